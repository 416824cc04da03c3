// npm run ingest -- [--list NAME] [--mbox=mboxrd|mboxo|mboxcl2] [--json] PATH...
import { parseArgs } from 'node:util';
import { openWriter } from '../db/connection';
import { migrateDeploy } from '../db/migrate';
import { ingestPaths } from '../ingest';
import { isMboxVariant, MBOX_VARIANTS } from '../mail';
import { failedToRead, printSummary, progressBar, waitNotices } from './summary';

const usage = `usage: npm run ingest -- [--list NAME] [--mbox=${MBOX_VARIANTS.join('|')}] [--json] PATH...`;
let args;
try {
  args = parseArgs({ allowPositionals: true, options: { list: { type: 'string' }, mbox: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
} catch (e) {
  console.error(`${(e as Error).message}\n${usage}`);
  process.exit(2);
}
if (args.values.help || args.positionals.length === 0) {
  console.error(usage);
  process.exit(args.values.help ? 0 : 2);
}
const mbox = args.values.mbox;
if (mbox !== undefined && !isMboxVariant(mbox)) {
  console.error(`--mbox: unknown mbox flavour "${mbox}"; one of ${MBOX_VARIANTS.join(', ')} (without --mbox, each file's is told from its content)\n${usage}`);
  process.exit(2);
}

const bar = process.stderr.isTTY && !args.values.json ? progressBar : undefined;
await migrateDeploy();
const db = await openWriter();
const summary = await ingestPaths(db, args.positionals, { list: args.values.list, mbox, onProgress: bar, onWait: waitNotices(bar !== undefined) });
if (bar) process.stderr.write('\r\x1b[K');
db.close();

if (args.values.json) console.log(JSON.stringify(summary, null, 2));
else printSummary(summary);
// Nothing read at all (every path missing, unreadable, not mail or skipped): a failure, for
// scripts and cron; the summary above says why. An empty folder read without a problem is not.
if (failedToRead(summary)) {
  console.error(`nothing could be read: ${summary.skipped.length} ${summary.skipped.length === 1 ? 'path or message' : 'paths or messages'} skipped`);
  process.exitCode = 1;
}
