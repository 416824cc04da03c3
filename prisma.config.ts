// Read by the Prisma CLI (generate; migrate on machines that can fetch its
// engine). The app and the offline migrator use lib/db/url.ts, which applies
// the same default.
import { defineConfig } from 'prisma/config';
import { databaseUrl } from './lib/db/url';
import { SEARCH_TABLES } from './lib/db/search-tables';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: databaseUrl() },
  // The FTS5 tables are made by raw SQL in a migration: not drift.
  experimental: { externalTables: true },
  tables: { external: SEARCH_TABLES },
});
