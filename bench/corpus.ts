// The 50k-message Maildir the benches share, and notmuch beside it.
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
export const cacheDir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'threadlab');
/** The corpus of `copies` copies (51: the 50k one most benches share; 510: bench:scale's 500k). */
export const scaleCorpusDir = (copies: number) => path.join(cacheDir, `scale-${copies}`);
export const corpusDir = scaleCorpusDir(51);

/** Makes the corpus of `copies` copies once, returning its folder; exits with a message when ../shared is missing. */
export function buildCorpus(bench: string, copies = 51): string {
  const corpusDir = scaleCorpusDir(copies);
  if (fs.existsSync(corpusDir)) return corpusDir;
  if (!fs.existsSync(path.join(shared, 'tools', 'scale-corpus'))) {
    console.error(`${bench} needs ${shared} (tools/scale-corpus and corpora/): it is absent.`);
    process.exit(2);
  }
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${corpusDir}.tmp-${process.pid}`;
  console.log(`building the ${copies * 988} message corpus in ${corpusDir} (about ${Math.ceil(copies / 25)} minutes, once) ...`);
  const inputs = fs.readdirSync(path.join(shared, 'corpora', 'ponymail')).filter((f) => f.endsWith('.mbox')).sort()
    .map((f) => path.join(shared, 'corpora', 'ponymail', f)).concat(path.join(shared, 'corpora', 'notmuch-lkml'));
  const r = spawnSync('python3', [path.join(shared, 'tools', 'scale-corpus'), '--copies', String(copies), '--format', 'maildir', '--out', tmp, ...inputs], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('scale-corpus failed');
  fs.renameSync(tmp, corpusDir);
  return corpusDir;
}

export function bytesUnder(dir: string): { files: number; bytes: number } {
  let files = 0, bytes = 0;
  for (const sub of ['cur', 'new']) {
    const d = path.join(dir, sub);
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d)) { files++; bytes += fs.statSync(path.join(d, f)).size; }
  }
  return { files, bytes };
}

/**
 * Reads every message file once, so that the timed runs read the mail from the page
 * cache: both tools then measure their own work, not the disk, and the second to run
 * (notmuch) gains nothing from the first having read the corpus. Returns seconds.
 */
export function warmPageCache(dir: string): number {
  const started = performance.now();
  for (const sub of ['cur', 'new']) {
    const d = path.join(dir, sub);
    if (fs.existsSync(d)) for (const f of fs.readdirSync(d)) fs.readFileSync(path.join(d, f));
  }
  return (performance.now() - started) / 1000;
}

export function ensureNotmuch(): boolean {
  if (spawnSync('notmuch', ['--version']).status === 0) return true;
  console.log('installing notmuch from Debian ...');
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  return spawnSync('apt-get', ['install', '-y', '-qq', 'notmuch'], { stdio: 'inherit' }).status === 0;
}

/** A notmuch config for a database at `dbDir` over the corpus, kept out of the corpus itself; returns the env to run notmuch with. */
export function notmuchEnv(dbDir: string): NodeJS.ProcessEnv {
  fs.mkdirSync(dbDir, { recursive: true });
  const config = `${dbDir}.config`;
  fs.writeFileSync(config, `[database]\npath=${dbDir}\nmail_root=${corpusDir}\n[user]\nname=bench\nprimary_email=bench@example.invalid\n[new]\ntags=\n[maildir]\nsynchronize_flags=false\n[search]\nexclude_tags=\n`);
  return { ...process.env, NOTMUCH_CONFIG: config };
}

export const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;

/**
 * The node flags `npm run ingest` runs with (package.json): benches that run an
 * ingest in a child process use them too, so they measure what the CLI does.
 */
export const INGEST_NODE_FLAGS: string[] = (() => {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts.ingest.split(/\s+/);
  return words.slice(1, words.indexOf('lib/cli/launch.mjs')).filter((w) => w.startsWith('--'));
})();

/** Ingests a corpus (the 50k one unless named) into a new database at `url`, as bench:ingest does (its child process). */
export async function ingestCorpus(url: string, dir = corpusDir): Promise<{ seconds: number; added: number; maxRssKb: number }> {
  await migrateDeploy(url);
  console.log('ingesting ...');
  const t = performance.now();
  const run = spawnSync(process.execPath, [...INGEST_NODE_FLAGS, path.join(projectRoot, 'lib', 'cli', 'launch.mjs'), path.join(projectRoot, 'bench', 'ingest-child.ts'), dir], {
    env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8', maxBuffer: 64 << 20,
  });
  if (run.status !== 0) throw new Error(`ingest failed:\n${run.stderr}`);
  const seconds = (performance.now() - t) / 1000;
  console.log(`ingested in ${seconds.toFixed(1)} s`);
  const child = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { added: number; maxRssKb: number };
  return { seconds, added: child.added, maxRssKb: child.maxRssKb };
}
