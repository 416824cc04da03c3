// npm run db:migrate: apply the store's migrations offline (DATABASE_URL chooses the store).
// npm run db:diff -- NAME: write a new migration for schema changes, one for each store
// (PostgreSQL's is diffed on a scratch PostgreSQL of our own: Debian's binaries).
import { migrateDeploy, createMigrations } from '../db/migrate';
import { databaseUrl } from '../db/url';

const [command, name] = process.argv.slice(2);
if (command === 'deploy') {
  const applied = await migrateDeploy();
  console.log(applied.length ? `applied ${applied.join(', ')} to ${databaseUrl()}` : `${databaseUrl()} is up to date`);
} else if (command === 'diff' && name) {
  const dirs = await createMigrations(name);
  console.log(dirs.length ? dirs.map((d) => `wrote ${d}`).join('\n') : 'schema and migrations agree: nothing to write');
} else {
  console.error('usage: migrate.ts deploy | diff NAME');
  process.exit(2);
}
