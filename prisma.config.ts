// Read by the Prisma CLI (generate; migrate on machines that can fetch its
// engine). The app and the offline migrator use lib/db/url.ts, which applies
// the same default.
import { defineConfig } from 'prisma/config';
import { databaseUrl } from './lib/db/url';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: databaseUrl() },
});
