/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and wasm-backed packages load from node_modules at run time
  // rather than being bundled.
  serverExternalPackages: ['better-sqlite3', '@prisma/adapter-better-sqlite3', '@prisma/schema-engine-wasm', 'pg', '@prisma/adapter-pg'],
  poweredByHeader: false,
  // Pages go out as rendered: lib/cli/page-cache.mjs gives each kept page a fresh nonce in its
  // bytes. The site is a local tool (127.0.0.1 unless HOST says otherwise); a server facing a
  // network compresses in its reverse proxy.
  compress: false,
  // Several builds may share a checkout (tests run beside a dev server): each may name its own.
  distDir: process.env.THREADLAB_NEXT_DIR || '.next',
  // lore's URL forms end some paths with a slash (/<list>/<mid>/, /T/) and
  // others not (/raw, /t.mbox.gz): serve each as written, no redirects.
  skipTrailingSlashRedirect: true,
};

export default nextConfig;
