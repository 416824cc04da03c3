// npm run db:copy -- --to postgresql://… [--from file:…]: move an archive from its
// SQLite file (DATABASE_URL's, or the project's) into a new PostgreSQL database.
import { parseArgs } from 'node:util';
import { copyArchive } from '../db/copy';
import { backendOf, databaseUrl, redact } from '../db/url';
import { refreshSearchIndex } from '../search/postgres/indexer';

const usage = 'usage: npm run db:copy -- --to postgresql://USER@HOST/DB [--from file:PATH]';
const { values } = parseArgs({ options: { to: { type: 'string' }, from: { type: 'string' } } });
const from = values.from ?? databaseUrl();
if (!values.to || backendOf(values.to) !== 'postgresql' || backendOf(from) !== 'sqlite') {
  console.error(usage);
  process.exit(2);
}
const seconds = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
const started = performance.now();
try {
  const copied = await copyArchive(from, values.to, ({ table, rows }) => console.log(`${table.padEnd(16)} ${rows.toLocaleString('en')} rows`));
  const rows = copied.reduce((n, t) => n + t.rows, 0);
  console.log(`copied ${rows.toLocaleString('en')} rows from ${from} to ${redact(values.to)} in ${seconds(started)}`);
  // Each store has its own index: PostgreSQL's is made from the rows copied, which its triggers queued.
  const indexing = performance.now();
  const indexed = await refreshSearchIndex(values.to);
  console.log(`indexed ${indexed.messages.toLocaleString('en')} messages and ${indexed.claims.toLocaleString('en')} claims for search in ${seconds(indexing)}`);
} catch (e) {
  console.error(`db:copy: ${(e as Error).message}`);
  process.exit(1);
}
