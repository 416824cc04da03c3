// What ingest and sync print: a progress bar on a terminal, then the summary.
import type { IngestSummary, Progress } from '../ingest';

export function progressBar(p: Progress) {
  const rate = p.messages / Math.max(p.millis / 1000, 1e-3);
  const share = p.bytesTotal ? Math.min(p.bytesDone / p.bytesTotal, 1) : 0;
  const eta = share > 0 ? (p.millis / 1000) * (1 / share - 1) : 0;
  const width = 30;
  const filled = Math.round(share * width);
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${p.messages.toLocaleString('en')} messages  ${Math.round(rate).toLocaleString('en')} msg/s  ETA ${clock(eta)}\x1b[K`,
  );
}

const waiting = (ms: number) => `waiting for another process to finish writing the database (${Math.round(ms / 1000)} s)`;

/**
 * How a wait for another writer is told: on the progress bar's line on a terminal;
 * elsewhere (--json, a pipe, cron) a line every WAIT_NOTICE_MS, so that a run that
 * seems stuck says why.
 */
export function waitNotices(onTerminal: boolean): (waitedMs: number) => void {
  if (onTerminal) return (ms) => process.stderr.write(`\r${waiting(ms)}\x1b[K`);
  let told = 0;
  return (ms) => {
    if (ms < told + WAIT_NOTICE_MS) return;
    told = ms;
    process.stderr.write(`${waiting(ms)}\n`);
  };
}

const WAIT_NOTICE_MS = 10_000;

function clock(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function printSummary(s: IngestSummary) {
  console.log(`${s.files} files, ${s.seen} messages read in ${(s.millis / 1000).toFixed(1)} s`);
  console.log(`  added       ${s.added}`);
  console.log(`  duplicates  ${s.duplicates} (copies of messages already stored)`);
  console.log(`  unchanged   ${s.unchanged} (already ingested from the same place)`);
  if (s.listed) console.log(`  listed      ${s.listed} (messages already stored, now also in this list)`);
  if (s.removed || s.unlisted) console.log(`  removed     ${s.removed} from the archive, ${s.unlisted} from one list only (the archive removed them)`);
  if (s.reused.length) {
    console.log(`  reused ids  ${s.reused.length} (Message-ID already taken by a message with other content: stored under a derived id)`);
    for (const r of s.reused) console.log(`    ${placeOf(r.source, r.offset)}: <${r.claimedId}> stored as ${r.storedAs}`);
  }
  if (s.replaced.length) {
    console.log(`  replaced    ${s.replaced.length} (stored copies cut short or without text, replaced by a complete copy; theirs kept as copies)`);
    for (const r of s.replaced) console.log(`    <${r.archiveId}> now from ${placeOf(r.source, r.offset)}`);
  }
  console.log(`  skipped     ${s.skipped.length}`);
  for (const k of s.skipped) console.log(`    ${placeOf(k.source, k.offset)}: ${k.reason}`);
  for (const r of s.renamedLists) console.log(`  list "${r.from}" stored as "${r.to}": /${r.from}/ is a page of the site (use --list to choose another name)`);
  console.log(`  threads     ${s.threads}`);
  console.log(`  quotes      ${s.quoteLinks} linked to their sources; ${s.ghostsRebuilt} missing messages rebuilt from quotes`);
}

/** Where a message was: a byte offset in a file, or a commit's number in a public-inbox repository. */
function placeOf(source: string, offset: number): string {
  return /\.git\/?$/.test(source) ? `${source} commit #${offset}` : `${source} at byte ${offset}`;
}

/** Nothing read at all (every path missing, unreadable, not mail or skipped): a failure for scripts and cron. */
export function failedToRead(s: IngestSummary): boolean {
  return s.added + s.duplicates + s.unchanged + s.replaced.length + s.removed + s.unlisted === 0 && s.skipped.length > 0;
}

