// npm run bench:ingest: ingest a 50k-message Maildir into a fresh database and
// compare with `notmuch new` on the same Maildir, in one run.
//
// The corpus is ../shared/tools/scale-corpus --copies 51 --format maildir over
// ../shared/corpora (988 distinct real messages x 51), cached outside the repo
// in $XDG_CACHE_HOME/threadlab (default ~/.cache/threadlab).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../lib/db/url';
import { migrateDeploy } from '../lib/db/migrate';

const shared = path.resolve(projectRoot, '..', 'shared');
if (!fs.existsSync(path.join(shared, 'tools', 'scale-corpus'))) {
  console.error(`bench:ingest needs ${shared} (tools/scale-corpus and corpora/): it is absent.`);
  process.exit(2);
}
const cache = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'threadlab');
const corpusDir = path.join(cache, 'scale-51');

function buildCorpus() {
  if (fs.existsSync(corpusDir)) return;
  fs.mkdirSync(cache, { recursive: true });
  const tmp = `${corpusDir}.tmp-${process.pid}`;
  console.log(`building the 50k corpus in ${corpusDir} (about 2 minutes, once) ...`);
  const inputs = fs.readdirSync(path.join(shared, 'corpora', 'ponymail')).filter((f) => f.endsWith('.mbox')).sort()
    .map((f) => path.join(shared, 'corpora', 'ponymail', f)).concat(path.join(shared, 'corpora', 'notmuch-lkml'));
  const r = spawnSync('python3', [path.join(shared, 'tools', 'scale-corpus'), '--copies', '51', '--format', 'maildir', '--out', tmp, ...inputs], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('scale-corpus failed');
  fs.renameSync(tmp, corpusDir);
}

function bytesUnder(dir: string): { files: number; bytes: number } {
  let files = 0, bytes = 0;
  for (const sub of ['cur', 'new']) {
    const d = path.join(dir, sub);
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d)) { files++; bytes += fs.statSync(path.join(d, f)).size; }
  }
  return { files, bytes };
}

function ensureNotmuch(): boolean {
  if (spawnSync('notmuch', ['--version']).status === 0) return true;
  console.log('installing notmuch from Debian ...');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  return spawnSync('apt-get', ['install', '-y', '-qq', 'notmuch'], { stdio: 'inherit' }).status === 0;
}

const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;

buildCorpus();
const corpus = bytesUnder(corpusDir);
console.log(`corpus: ${corpus.files} messages, ${mb(corpus.bytes)} in ${corpusDir}`);

// Threadlab: the real CLI in a child process, so its peak RSS is its own.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-bench-'));
const dbFile = path.join(work, 'bench.db');
const url = `file:${dbFile}`;
await migrateDeploy(url); // outside the timing, as for notmuch's empty database
const started = performance.now();
const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'bench', 'ingest-child.ts'), corpusDir], {
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
  const nmDb = path.join(work, 'notmuch');
  fs.mkdirSync(nmDb);
  const config = path.join(work, 'notmuch-config');
  fs.writeFileSync(config, `[database]\npath=${nmDb}\nmail_root=${corpusDir}\n[user]\nname=bench\nprimary_email=bench@example.invalid\n[new]\ntags=\n[maildir]\nsynchronize_flags=false\n`);
  const t = performance.now();
  const nm = spawnSync('notmuch', ['new', '--quiet'], { env: { ...process.env, NOTMUCH_CONFIG: config }, encoding: 'utf8' });
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
