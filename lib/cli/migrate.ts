// npm run db:migrate: apply prisma/migrations offline.
// npm run db:diff -- NAME: write a new migration for schema changes.
import { migrateDeploy, createMigration } from '../db/migrate';
import { databaseUrl } from '../db/url';

const [command, name] = process.argv.slice(2);
if (command === 'deploy') {
  const applied = await migrateDeploy();
  console.log(applied.length ? `applied ${applied.join(', ')} to ${databaseUrl()}` : `${databaseUrl()} is up to date`);
} else if (command === 'diff' && name) {
  const dir = await createMigration(name);
  console.log(dir ? `wrote ${dir}` : 'schema and migrations agree: nothing to write');
} else {
  console.error('usage: migrate.ts deploy | diff NAME');
  process.exit(2);
}
