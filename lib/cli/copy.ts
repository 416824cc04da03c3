// npm run db:copy -- --to postgresql://… [--from file:…]: move an archive from its
// SQLite file (DATABASE_URL's, or the project's) into a new PostgreSQL database.
import { parseArgs } from 'node:util';
import { copyArchive } from '../db/copy';
import { backendOf, databaseUrl, redact } from '../db/url';

const usage = 'usage: npm run db:copy -- --to postgresql://USER@HOST/DB [--from file:PATH]';
const { values } = parseArgs({ options: { to: { type: 'string' }, from: { type: 'string' } } });
const from = values.from ?? databaseUrl();
if (!values.to || backendOf(values.to) !== 'postgresql' || backendOf(from) !== 'sqlite') {
  console.error(usage);
  process.exit(2);
}
const started = performance.now();
try {
  const copied = await copyArchive(from, values.to, ({ table, rows }) => console.log(`${table.padEnd(16)} ${rows.toLocaleString('en')} rows`));
  const rows = copied.reduce((n, t) => n + t.rows, 0);
  const seconds = (performance.now() - started) / 1000;
  console.log(`copied ${rows.toLocaleString('en')} rows from ${from} to ${redact(values.to)} in ${seconds.toFixed(1)} s`);
} catch (e) {
  console.error(`db:copy: ${(e as Error).message}`);
  process.exit(1);
}
