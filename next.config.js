/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and wasm-backed packages load from node_modules at run time
  // rather than being bundled.
  serverExternalPackages: ['better-sqlite3', '@prisma/adapter-better-sqlite3', '@prisma/schema-engine-wasm'],
  poweredByHeader: false,
};

export default nextConfig;
