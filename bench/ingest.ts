// npm run bench:ingest: ingest a 50k-message Maildir into a fresh database and
// compare with `notmuch new` on the same Maildir, in one run, both with the mail in
// the page cache. The corpus: bench/corpus.ts. Then the same mail as a public-inbox
// v2 inbox (bench/public-inbox.ts; all but the last 1,000 messages), ingested into
// another database, and synced after those 1,000 are committed to it, and again with
// nothing new. Then 30 messages of 45 MB (bench/large-messages.ts), for peak RSS;
// `npm run bench:ingest -- --large` runs that part alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../lib/db/url';
import { migrateDeploy } from '../lib/db/migrate';
import { buildCorpus, bytesUnder, corpusDir, ensureNotmuch, INGEST_NODE_FLAGS, mb, notmuchEnv, warmPageCache } from './corpus';
import { buildLargeCorpus, largeCorpusDir, LARGE_MESSAGE_BYTES, LARGE_MESSAGES } from './large-messages';
import { publicInboxOfCorpus, scratchCopy, streamToEpoch } from './public-inbox';

interface ChildResult { added: number; seen: number; threads: number; skipped: unknown[]; removed: number; childMillis: number; millis: number; maxRssKb: number }
/** One ingest (or `--sync`) in a child process, as `npm run ingest` runs; wall-clock seconds and its summary. */
function ingestChild(dbUrl: string, args: string[]): { seconds: number; result: ChildResult } {
  const t = performance.now();
  const run = spawnSync(process.execPath, [...INGEST_NODE_FLAGS, path.join(projectRoot, 'lib', 'cli', 'launch.mjs'), path.join(projectRoot, 'bench', 'ingest-child.ts'), ...args], {
    env: { ...process.env, DATABASE_URL: dbUrl }, encoding: 'utf8', maxBuffer: 64 << 20,
  });
  const seconds = (performance.now() - t) / 1000;
  if (run.status !== 0) throw new Error(`ingest ${args.join(' ')} failed:\n${run.stderr}`);
  return { seconds, result: JSON.parse(run.stdout) as ChildResult };
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-bench-'));
if (!process.argv.includes('--large')) await fiftyThousand();
await largeMessages();
fs.rmSync(work, { recursive: true, force: true });

/** The 50k Maildir against notmuch, then as a public-inbox. */
async function fiftyThousand(): Promise<void> {
  buildCorpus('bench:ingest');
  const corpus = bytesUnder(corpusDir);
  console.log(`corpus: ${corpus.files} messages, ${mb(corpus.bytes)} in ${corpusDir}`);
  console.log(`page cache warmed in ${warmPageCache(corpusDir).toFixed(1)} s (untimed: both tools then read the mail from memory)`);

  // Threadlab: the real CLI in a child process, so its peak RSS is its own.
  const dbFile = path.join(work, 'bench.db');
  const url = `file:${dbFile}`;
  await migrateDeploy(url); // outside the timing, as for notmuch's empty database
  const { seconds, result } = ingestChild(url, [corpusDir]);
  const dbBytes = ['', '-wal', '-shm'].map((s) => dbFile + s).filter(fs.existsSync).reduce((n, f) => n + fs.statSync(f).size, 0);
  const rate = result.seen / seconds;

  // notmuch new on the same Maildir, its database kept outside the corpus.
  let notmuchSeconds: number | null = null;
  if (ensureNotmuch()) {
    const env = notmuchEnv(path.join(work, 'notmuch'));
    const t = performance.now();
    const nm = spawnSync('notmuch', ['new', '--quiet'], { env, encoding: 'utf8' });
    notmuchSeconds = (performance.now() - t) / 1000;
    if (nm.status !== 0) { console.log(`notmuch new failed: ${nm.stderr}`); notmuchSeconds = null; }
  }

  console.log('');
  console.log(`threadlab ingest   ${result.seen} messages in ${seconds.toFixed(1)} s = ${Math.round(rate)} msg/s end to end (${result.added} added, ${result.threads} threads, ${result.skipped.length} skipped)`);
  console.log(`  peak RSS         ${mb(result.maxRssKb * 1024)}`);
  console.log(`  database         ${mb(dbBytes)} = ${(dbBytes / corpus.bytes).toFixed(2)} x the corpus (${mb(corpus.bytes)})`);
  if (notmuchSeconds !== null) {
    console.log(`notmuch new        ${notmuchSeconds.toFixed(1)} s = ${Math.round(corpus.files / notmuchSeconds)} msg/s`);
    console.log(`ratio              threadlab is ${(notmuchSeconds / seconds).toFixed(1)} x notmuch's speed`);
  }
  console.log(`targets            >= 3000 msg/s, peak RSS <= 300 MB, database <= 1.5 x corpus`);

  // The same mail as lore serves it: a public-inbox v2 inbox of all but the last 1,000 messages.
  const HELD_BACK = 1000;
  const pi = publicInboxOfCorpus(HELD_BACK);
  const inbox = scratchCopy(pi.inbox, path.join(work, 'inbox'));
  const piUrl = `file:${path.join(work, 'public-inbox.db')}`;
  await migrateDeploy(piUrl);
  const whole = ingestChild(piUrl, [inbox]);
  if (whole.result.seen !== pi.messages) throw new Error(`public-inbox ingest read ${whole.result.seen} of ${pi.messages} messages`);
  const epochs = fs.readdirSync(path.join(inbox, 'git')).filter((n) => /^\d+\.git$/.test(n)).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  await streamToEpoch(path.join(inbox, 'git', epochs[epochs.length - 1]!), pi.heldBack); // untimed: what a git fetch brings
  const synced = ingestChild(piUrl, ['--sync']);
  if (synced.result.seen !== HELD_BACK) throw new Error(`sync read ${synced.result.seen} messages, not the ${HELD_BACK} new ones`);
  const unchanged = ingestChild(piUrl, ['--sync']);
  if (unchanged.result.seen !== 0) throw new Error(`an unchanged sync read ${unchanged.result.seen} messages`);
  const piRate = whole.result.seen / whole.seconds;
  // The sync's own time, and with the process's start (node, the bundle, opening the database) around it.
  const syncFigures = (r: { seconds: number; result: ChildResult }) => `${(r.result.childMillis / 1000).toFixed(2)} s (${r.seconds.toFixed(2)} s with the process's start)`;
  console.log('');
  console.log(`public-inbox v2    ${whole.result.seen} messages in ${epochs.length} epochs in ${whole.seconds.toFixed(1)} s = ${Math.round(piRate)} msg/s end to end (${whole.result.added} added, ${whole.result.threads} threads); the Maildir: ${Math.round(rate)} msg/s`);
  console.log(`  peak RSS         ${mb(whole.result.maxRssKb * 1024)}`);
  console.log(`sync, ${HELD_BACK} new commits  ${syncFigures(synced)}: ${synced.result.added} added, ${synced.result.threads} threads`);
  console.log(`sync, nothing new  ${syncFigures(unchanged)}`);
  if (notmuchSeconds !== null) console.log(`notmuch new        ${notmuchSeconds.toFixed(1)} s on the same mail (above)`);
  console.log(`targets            public-inbox >= the Maildir's rate; sync of ${HELD_BACK} commits <= 2 s; unchanged sync <= 0.5 s`);
}

/** 30 messages of 45 MB: memory bounded by bytes in flight, not by message count. */
async function largeMessages(): Promise<void> {
  buildLargeCorpus('bench:ingest');
  const large = bytesUnder(largeCorpusDir);
  const largeUrl = `file:${path.join(work, 'large.db')}`;
  await migrateDeploy(largeUrl);
  const { seconds, result } = ingestChild(largeUrl, [largeCorpusDir]);
  if (result.added !== LARGE_MESSAGES) throw new Error(`large messages: ${result.added} of ${LARGE_MESSAGES} added, ${result.skipped.length} skipped`);
  console.log('');
  console.log(`large messages     ${large.files} of ${LARGE_MESSAGE_BYTES / 1e6} MB (${mb(large.bytes)}) in ${seconds.toFixed(1)} s`);
  console.log(`  peak RSS         ${mb(result.maxRssKb * 1024)} (main thread and decode workers: one process)`);
  console.log(`target             peak RSS <= 1024 MB`);
}
