// The 50k corpus (bench/corpus.ts) as a public-inbox v2 inbox, for benches of the
// public-inbox reader: built once with git fast-import into the cache and reused, and
// cheap throw-away copies of it that a bench may append to (new mail arriving). The
// repository writer is tests/support/public-inbox.ts, shared with the tests.
//
// Run on its own (npx tsx bench/public-inbox.ts [HOLD_BACK]) it builds or reuses the
// inbox, then times appending the held-back messages to a scratch copy's last epoch.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { spawn, spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../lib/db/url';
import { buildCorpus, cacheDir, corpusDir } from './corpus';
import {
  appendToEpoch, commitChunks, epochsOf, fastImportArgs, finishV2Inbox, freshInboxDir, git, gitEnv, initBare, STREAM_END, STREAM_START, tipOf,
} from '../tests/support/public-inbox';

/** The corpus's message files in the order the Maildir reader takes them: cur/ then new/, each by name. */
export function corpusFiles(dir: string = corpusDir): string[] {
  const files: string[] = [];
  for (const sub of ['cur', 'new']) {
    const d = path.join(dir, sub);
    if (fs.existsSync(d)) for (const name of fs.readdirSync(d).sort()) if (!name.startsWith('.')) files.push(path.join(d, name));
  }
  return files;
}

/**
 * A v2 inbox of the corpus's messages except the last `holdBack` (in file name order),
 * built once with git fast-import into cacheDir (scale-51-v2-<holdBack>) and reused; two
 * epochs (split in the middle) so the reader's epoch handling is exercised. Returns its
 * path and the held-back messages' file paths.
 */
export function publicInboxOfCorpus(holdBack: number): { inbox: string; heldBack: string[]; messages: number } {
  buildCorpus('the public-inbox corpus');
  const files = corpusFiles();
  if (!Number.isInteger(holdBack) || holdBack < 0 || holdBack >= files.length) throw new Error(`holdBack must be a whole number from 0 to ${files.length - 1}, not ${holdBack}`);
  const kept = files.slice(0, files.length - holdBack);
  const inbox = path.join(cacheDir, `scale-51-v2-${holdBack}`);
  if (!fs.existsSync(inbox)) buildInbox(inbox, kept);
  return { inbox, heldBack: files.slice(kept.length), messages: kept.length };
}

/**
 * Builds into a temp folder beside `inbox`, checks each epoch's commit count, and renames
 * it into place last: an interrupted build leaves no inbox to be reused.
 */
function buildInbox(inbox: string, files: string[]): void {
  removeAbandonedBuilds(inbox);
  const tmp = `${inbox}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const half = Math.ceil(files.length / 2);
  const epochs = [files.slice(0, half), files.slice(half)];
  console.log(`building a public-inbox v2 of ${files.length} messages (2 epochs) in ${inbox} (once) ...`);
  const started = performance.now();
  try {
    // fast-import is fed by a child process that streams one message at a time with
    // backpressure; this function stays synchronous for its callers.
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'bench', 'public-inbox-child.ts')], {
      cwd: projectRoot, input: JSON.stringify({ dir: tmp, epochs }), stdio: ['pipe', 'inherit', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`building the public-inbox failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
    epochs.forEach((e, n) => {
      const count = Number(git(path.join(tmp, 'git', `${n}.git`), ['rev-list', '--count', 'refs/heads/master']));
      if (count !== e.length) throw new Error(`epoch ${n} has ${count} commits, not ${e.length}`);
    });
    finishV2Inbox(tmp);
    try {
      fs.renameSync(tmp, inbox);
    } catch (err) {
      if (!fs.existsSync(inbox)) throw err;
      fs.rmSync(tmp, { recursive: true, force: true }); // another process finished first: use its inbox
    }
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  console.log(`public-inbox built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Temp folders of builds whose process is gone (killed mid-build). */
function removeAbandonedBuilds(inbox: string): void {
  const prefix = `${path.basename(inbox)}.tmp-`;
  for (const name of fs.readdirSync(path.dirname(inbox))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch (err) {
      alive = (err as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (!alive) fs.rmSync(path.join(path.dirname(inbox), name), { recursive: true, force: true });
  }
}

/**
 * Appends the message files to refs/heads/master of the epoch at gitDir (created when
 * missing), streaming them into one git fast-import: one message in memory at a time.
 * Returns the new tip. (appendToEpoch is the same for ops already in memory.)
 */
export async function streamToEpoch(gitDir: string, files: Iterable<string>): Promise<string> {
  initBare(gitDir);
  const tip = tipOf(gitDir) ?? undefined;
  const child = spawn('git', fastImportArgs(gitDir), { env: gitEnv(), stdio: ['pipe', 'inherit', 'inherit'] });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  async function* stream() {
    yield STREAM_START;
    let first = true;
    for (const file of files) {
      yield* commitChunks({ add: await fs.promises.readFile(file) }, 'v2', first ? tip : undefined);
      first = false;
    }
    yield STREAM_END;
  }
  const fed = pipeline(Readable.from(stream()), child.stdin);
  const [feeding, code] = await Promise.allSettled([fed, exited]);
  if (code.status === 'rejected') throw code.reason;
  if (code.value !== 0) throw new Error(`git fast-import into ${gitDir} exited with ${code.value}`);
  if (feeding.status === 'rejected') throw feeding.reason;
  const newTip = tipOf(gitDir);
  if (!newTip) throw new Error(`git fast-import into ${gitDir} made no refs/heads/master`);
  return newTip;
}

/** A throw-away copy of that inbox (git clone --bare --local per epoch, hard links, cheap) that a bench may append to. */
export function scratchCopy(inbox: string, into: string): string {
  freshInboxDir(into);
  for (const n of epochsOf(inbox)) {
    const r = spawnSync('git', ['clone', '--bare', '--local', '--quiet', path.join(inbox, 'git', `${n}.git`), path.join(into, 'git', `${n}.git`)], { env: gitEnv(), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cloning epoch ${n} of ${inbox} failed: ${r.stderr}`);
  }
  finishV2Inbox(into);
  return into;
}

// On its own: build or reuse, then time an append of the held-back messages to a copy.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const holdBack = Number(process.argv[2] ?? 1000);
  const { inbox, heldBack, messages } = publicInboxOfCorpus(holdBack);
  const last = epochsOf(inbox).at(-1)!;
  console.log(`inbox: ${inbox}, ${messages} messages, epochs ${epochsOf(inbox).join(', ')}; ${heldBack.length} held back`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-pi-'));
  try {
    let t = performance.now();
    const copy = scratchCopy(inbox, path.join(work, 'inbox'));
    console.log(`scratch copy in ${((performance.now() - t) / 1000).toFixed(2)} s`);
    const epoch = path.join(copy, 'git', `${last}.git`);
    const before = Number(git(epoch, ['rev-list', '--count', 'refs/heads/master']));
    t = performance.now();
    const ops = heldBack.map((f) => ({ add: fs.readFileSync(f) }));
    appendToEpoch(epoch, ops);
    const seconds = (performance.now() - t) / 1000;
    const after = Number(git(epoch, ['rev-list', '--count', 'refs/heads/master']));
    if (after !== before + heldBack.length) throw new Error(`epoch ${last} went from ${before} to ${after} commits, not +${heldBack.length}`);
    console.log(`appendToEpoch of ${heldBack.length} messages to git/${last}.git in ${seconds.toFixed(2)} s (reading the files included); ${before} -> ${after} commits`);
    const original = Number(git(path.join(inbox, 'git', `${last}.git`), ['rev-list', '--count', 'refs/heads/master']));
    if (original !== before) throw new Error('the cached inbox changed');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
