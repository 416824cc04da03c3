// npm run bench:ingest: ingest a 50k-message Maildir into a fresh database and
// compare with `notmuch new` on the same Maildir, in one run, both with the mail in
// the page cache. The corpus: bench/corpus.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../lib/db/url';
import { migrateDeploy } from '../lib/db/migrate';
import { buildCorpus, bytesUnder, corpusDir, ensureNotmuch, INGEST_NODE_FLAGS, mb, notmuchEnv, warmPageCache } from './corpus';

buildCorpus('bench:ingest');
const corpus = bytesUnder(corpusDir);
console.log(`corpus: ${corpus.files} messages, ${mb(corpus.bytes)} in ${corpusDir}`);
console.log(`page cache warmed in ${warmPageCache(corpusDir).toFixed(1)} s (untimed: both tools then read the mail from memory)`);

// Threadlab: the real CLI in a child process, so its peak RSS is its own.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-bench-'));
const dbFile = path.join(work, 'bench.db');
const url = `file:${dbFile}`;
await migrateDeploy(url); // outside the timing, as for notmuch's empty database
const started = performance.now();
const run = spawnSync(process.execPath, [...INGEST_NODE_FLAGS, path.join(projectRoot, 'lib', 'cli', 'launch.mjs'), path.join(projectRoot, 'bench', 'ingest-child.ts'), corpusDir], {
  env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8', maxBuffer: 64 << 20,
});
const seconds = (performance.now() - started) / 1000;
if (run.status !== 0) throw new Error(`ingest failed:\n${run.stderr}`);
const result = JSON.parse(run.stdout) as { added: number; seen: number; threads: number; skipped: unknown[]; maxRssKb: number };
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
fs.rmSync(work, { recursive: true, force: true });
