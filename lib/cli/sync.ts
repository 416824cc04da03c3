// npm run sync [-- --json]: read again every source ingest has read (lib/ingest/sources.ts),
// only what is new in each: for cron, after `git fetch` of public-inbox mirrors.
import { parseArgs } from 'node:util';
import { openWriter } from '../db/connection';
import { migrateDeploy } from '../db/migrate';
import { ingestSources } from '../ingest';
import { recordedSources } from '../ingest/sources';
import { failedToRead, printSummary, progressBar, waitNotices } from './summary';

const usage = 'usage: npm run sync [-- --json]';
let args;
try {
  args = parseArgs({ options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
} catch (e) {
  console.error(`${(e as Error).message}\n${usage}`);
  process.exit(2);
}
if (args.values.help) {
  console.log(usage);
  process.exit(0);
}

await migrateDeploy();
const db = await openWriter();
const sources = recordedSources(db);
if (sources.length === 0) {
  db.close();
  console.error('no sources recorded yet: ingest one first (npm run ingest -- PATH)');
  process.exit(1);
}
const bar = process.stderr.isTTY && !args.values.json ? progressBar : undefined;
const summary = await ingestSources(db, sources, { onProgress: bar, onWait: waitNotices(bar !== undefined) });
if (bar) process.stderr.write('\r\x1b[K');
db.close();

if (args.values.json) console.log(JSON.stringify(summary, null, 2));
else {
  console.log(`${sources.length} ${sources.length === 1 ? 'source' : 'sources'}: ${sources.map((s) => s.path).join(', ')}`);
  printSummary(summary);
}
if (failedToRead(summary)) process.exitCode = 1;
