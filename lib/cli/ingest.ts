// npm run ingest -- [--list NAME] [--mbox=mboxrd|mboxo|mboxcl2] [--json] PATH...
import { parseArgs } from 'node:util';
import { openSqlite } from '../db/sqlite';
import { migrateDeploy } from '../db/migrate';
import { ingestPaths, type Progress, type IngestSummary } from '../ingest';
import { isMboxVariant, MBOX_VARIANTS } from '../mail';

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
const db = openSqlite();
const summary = await ingestPaths(db, args.positionals, { list: args.values.list, mbox, onProgress: bar });
if (bar) process.stderr.write('\r\x1b[K');
db.close();

if (args.values.json) console.log(JSON.stringify(summary, null, 2));
else printSummary(summary);
// Nothing read at all (every path missing, unreadable, not mail or skipped): a failure, for
// scripts and cron; the summary above says why. An empty folder read without a problem is not.
if (summary.added + summary.duplicates + summary.unchanged === 0 && summary.skipped.length > 0) {
  console.error(`nothing could be read: ${summary.skipped.length} ${summary.skipped.length === 1 ? 'path or message' : 'paths or messages'} skipped`);
  process.exitCode = 1;
}

function progressBar(p: Progress) {
  const rate = p.messages / Math.max(p.millis / 1000, 1e-3);
  const share = p.bytesTotal ? Math.min(p.bytesDone / p.bytesTotal, 1) : 0;
  const eta = share > 0 ? (p.millis / 1000) * (1 / share - 1) : 0;
  const width = 30;
  const filled = Math.round(share * width);
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${p.messages.toLocaleString('en')} messages  ${Math.round(rate).toLocaleString('en')} msg/s  ETA ${clock(eta)}\x1b[K`,
  );
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function printSummary(s: IngestSummary) {
  console.log(`${s.files} files, ${s.seen} messages read in ${(s.millis / 1000).toFixed(1)} s`);
  console.log(`  added       ${s.added}`);
  console.log(`  duplicates  ${s.duplicates} (copies of messages already stored)`);
  console.log(`  unchanged   ${s.unchanged} (already ingested from the same place)`);
  console.log(`  skipped     ${s.skipped.length}`);
  for (const k of s.skipped) console.log(`    ${k.source} at byte ${k.offset}: ${k.reason}`);
  for (const r of s.renamedLists) console.log(`  list "${r.from}" stored as "${r.to}": /${r.from}/ is a page of the site (use --list to choose another name)`);
  console.log(`  threads     ${s.threads}`);
  console.log(`  quotes      ${s.quoteLinks} linked to their sources; ${s.ghostsRebuilt} missing messages rebuilt from quotes`);
}
