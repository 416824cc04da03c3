/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and wasm-backed packages load from node_modules at run time
  // rather than being bundled.
  serverExternalPackages: ['better-sqlite3', '@prisma/adapter-better-sqlite3', '@prisma/schema-engine-wasm'],
  poweredByHeader: false,
  // Several builds may share a checkout (tests run beside a dev server): each may name its own.
  distDir: process.env.THREADLAB_NEXT_DIR || '.next',
  // lore's URL forms end some paths with a slash (/<list>/<mid>/, /T/) and
  // others not (/raw, /t.mbox.gz): serve each as written, no redirects.
  skipTrailingSlashRedirect: true,
};

export default nextConfig;
