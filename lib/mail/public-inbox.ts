/**
 * public-inbox repositories, lore.kernel.org's own format, read through `git` itself
 * (public-inbox-v2-format(5), public-inbox-v1-format(5)); nothing touches the network.
 *
 * - A v2 inbox is a folder with git/0.git, git/1.git, ... ("epochs", read in order).
 *   Each commit's tree holds one file: `m`, a message as received, or `d`, a message
 *   the archive removed.
 * - A v1 inbox is one bare repository holding each message at `xx/yyyy…` (the SHA-1 of
 *   its Message-ID); a commit deleting such a path removes that message.
 * - A single epoch (git/N.git) is read as a v1 inbox or an epoch, by what it holds.
 *
 * Commits are listed with `git log --raw` and their blobs read by one
 * `git cat-file --batch`, streamed, in history order. A message's place is its
 * repository and the commit's number in its history (RawMessage.offset, counted from 1),
 * which never changes for an inbox that only grows. `since` resumes after a commit read
 * before (ArchiveOptions.resume); when that commit is no longer in the history (rewritten by a purge) the
 * repository is read again from its start and that is reported.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { MAX_MESSAGE_BYTES } from './limits';
import { warnOnError } from './mbox';
import type { ArchiveOptions, EpochPosition } from './resume';
import { MalformedMessage, type RawMessage } from './types';

/** A bare git repository: HEAD, objects/ and refs/. */
export function isGitRepository(dir: string): boolean {
  return existsSync(join(dir, 'HEAD')) && isDir(join(dir, 'objects')) && isDir(join(dir, 'refs'));
}

/** The epochs of a v2 inbox in order (git/0.git, git/1.git, …, git/10.git), or null when `dir` is none. */
export function v2Epochs(dir: string): string[] | null {
  const git = join(dir, 'git');
  if (!isDir(git)) return null;
  const epochs = readdirSync(git)
    .filter((n) => /^\d+\.git$/.test(n) && isGitRepository(join(git, n)))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  return epochs.length ? epochs.map((n) => join(git, n)) : null;
}

/** The name of the inbox a path is or is in: /m/linux-mm, /m/linux-mm/git/0.git and /m/linux-mm.git are all "linux-mm". */
export function inboxName(path: string): string {
  const epoch = /^(.*)\/git\/\d+\.git\/?$/.exec(path);
  return basename(epoch ? epoch[1]! : path).replace(/\.git$/, '');
}

export async function* readPublicInbox(path: string, options: ArchiveOptions = {}): AsyncGenerator<RawMessage> {
  const onError = options.onError ?? warnOnError;
  const epochs = v2Epochs(path);
  if (epochs) {
    for (const gitDir of epochs) yield* readRepository(gitDir, options);
    return;
  }
  if (basename(path) === 'all.git' && v2Epochs(join(path, '..'))) {
    onError(new MalformedMessage(path, 0, 'all.git of a v2 inbox holds no history of its own; give the inbox folder (or one of its git/N.git); not read'));
    return;
  }
  if (!isGitRepository(path)) {
    onError(new MalformedMessage(path, 0, 'neither a public-inbox folder (git/N.git) nor a git repository; not read'));
    return;
  }
  yield* readRepository(path, options);
}

/** One entry of `git log --raw`: what a commit did to a message. */
interface Change {
  commit: string;
  count: number;
  blob: string;
  removal: boolean;
}

/** A path public-inbox keeps a message at: `m`, `d`, or v1's `xx/yyyy…`. */
const V1_PATH = /^[0-9a-f]{2}\/[0-9a-f]{38}$/;

async function* readRepository(gitDir: string, options: ArchiveOptions): AsyncGenerator<RawMessage> {
  const onError = options.onError ?? warnOnError;
  const fail = (offset: number, reason: string) => onError(new MalformedMessage(gitDir, offset, reason));
  const tip = git(gitDir, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
  if (tip.status !== 0) {
    // A mirror's HEAD may name a branch it lacks; public-inbox writes master.
    const master = git(gitDir, ['rev-parse', '--verify', '-q', 'refs/heads/master^{commit}']);
    if (master.status !== 0) {
      fail(0, 'git repository with no commits (an empty epoch); nothing read');
      return;
    }
  }
  const head = (tip.status === 0 ? tip.stdout : git(gitDir, ['rev-parse', 'refs/heads/master']).stdout).trim();
  let from = options.resume?.since?.get(gitDir);
  if (from && from.commit !== head && git(gitDir, ['merge-base', '--is-ancestor', from.commit, head]).status !== 0) {
    fail(0, `commit ${from.commit.slice(0, 12)}, where the last read stopped, is no longer in the history (rewritten?): read again from the start`);
    from = undefined;
  }
  if (from?.commit === head) {
    options.resume?.onPosition?.(gitDir, from);
    return;
  }

  const listed = { count: from?.count ?? 0, ok: true };
  const changes = listChanges(gitDir, from ? `${from.commit}..${head}` : head, listed, fail);
  let messages = 0;
  for await (const { change, bytes, problem } of readBlobs(gitDir, changes)) {
    if (problem) {
      fail(change.count, `commit ${change.commit.slice(0, 12)}: ${problem}`);
      continue;
    }
    messages++;
    yield { source: gitDir, offset: change.count, commit: change.commit, raw: bytes!, format: 'public-inbox', ...(change.removal ? { removal: true as const } : {}) };
  }
  if (!from && messages === 0) fail(0, 'git repository holding no public-inbox messages (no m, d or xx/… files); nothing read');
  // The position is the tip, past commits that changed no message too; not when git log failed
  // part way (reported), so that the next read goes on from where the last good one stopped.
  if (listed.ok) options.resume?.onPosition?.(gitDir, { commit: head, count: listed.count });
}

/**
 * The message changes of `range`, oldest first, each commit numbered on from
 * `listed.count` (the commit's number in the whole history when that is the count
 * before the range); `listed` ends with the last commit's number, and `ok` false when
 * git log failed.
 */
async function* listChanges(gitDir: string, range: string, listed: { count: number; ok: boolean }, fail: (offset: number, reason: string) => void): AsyncGenerator<Change> {
  const log = spawn('git', ['--git-dir', gitDir, 'log', '--reverse', '--first-parent', '--no-renames', '--raw', '--no-abbrev', '--format=%H', range], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  log.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number>((resolve) => log.on('close', (code) => resolve(code ?? 1)));
  let commit = '';
  let count = listed.count;
  for await (const line of createInterface({ input: log.stdout, crlfDelay: Infinity })) {
    if (/^[0-9a-f]{40,64}$/.test(line)) {
      commit = line;
      listed.count = ++count;
      continue;
    }
    // :100644 100644 <old> <new> <status>\t<path>
    const m = /^:\d+ \d+ ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*\t(.*)$/.exec(line);
    if (!m) continue;
    const [, oldBlob, newBlob, status, path] = m as unknown as [string, string, string, string, string];
    if (path === 'm' && status !== 'D') yield { commit, count, blob: newBlob, removal: false };
    else if (path === 'd' && status !== 'D') yield { commit, count, blob: newBlob, removal: true };
    else if (V1_PATH.test(path)) {
      if (status === 'D') yield { commit, count, blob: oldBlob, removal: true };
      else yield { commit, count, blob: newBlob, removal: false };
    }
  }
  if ((await exited) !== 0) {
    listed.ok = false;
    fail(count, `git log failed: ${stderr.trim() || 'no message'}`);
  }
}

/**
 * The blob of each change, by one `git cat-file --batch`: requests are written as the
 * log is read and answers parsed in order, so memory holds a few messages, not the inbox.
 */
async function* readBlobs(gitDir: string, changes: AsyncIterable<Change>): AsyncGenerator<{ change: Change; bytes?: Uint8Array; problem?: string }> {
  const cat = spawn('git', ['--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const asked: Change[] = [];
  let listed = false;
  let failure: Error | undefined;
  cat.on('error', (err) => (failure = err));
  cat.stdin.on('error', (err) => (failure = err));
  // The writer runs ahead of the reader; the pipe's own back-pressure bounds it.
  const writing = (async () => {
    for await (const change of changes) {
      asked.push(change);
      if (!cat.stdin.write(`${change.blob}\n`)) await new Promise((resolve) => cat.stdin.once('drain', resolve));
    }
    listed = true;
    cat.stdin.end();
  })();
  const answers = new BatchAnswers(cat.stdout);
  let n = 0;
  while (!(listed && n === asked.length)) {
    const answer = await answers.next();
    if (!answer) break;
    const change = asked[n++]!;
    if (answer.missing) yield { change, problem: `blob ${change.blob.slice(0, 12)} is missing from the repository (a shallow or partial clone?); not read` };
    else if (answer.bytes.length > MAX_MESSAGE_BYTES) yield { change, problem: `message of ${answer.bytes.length} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit; skipped` };
    else yield { change, bytes: answer.bytes };
  }
  await writing;
  if (failure) throw new Error(`${gitDir}: git cat-file failed: ${failure.message}`);
}

/**
 * Parses `git cat-file --batch` output: `<oid> <type> <size>\n<content>\n`, or `<oid> missing\n`.
 * Each message is copied once, from the pipe's chunks into a buffer of its own, which the
 * decode pool then hands to a worker without copying it again.
 */
class BatchAnswers {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private readonly source: AsyncIterator<Buffer>;

  constructor(stream: AsyncIterable<Buffer>) {
    this.source = stream[Symbol.asyncIterator]();
  }

  async next(): Promise<{ missing: true } | { missing: false; bytes: Uint8Array } | null> {
    const header = await this.line();
    if (header === null) return null;
    if (header.endsWith(' missing')) return { missing: true };
    const size = Number(header.slice(header.lastIndexOf(' ') + 1));
    const bytes = await this.take(size);
    if (!bytes || !(await this.take(1))) return null; // the content, then its newline
    return { missing: false, bytes };
  }

  private async fill(): Promise<boolean> {
    const { value, done } = await this.source.next();
    if (done) return false;
    this.chunks.push(value);
    this.buffered += value.length;
    return true;
  }

  private async line(): Promise<string | null> {
    for (;;) {
      const first = this.chunks[0];
      const nl = first ? first.indexOf(0x0a) : -1;
      if (nl >= 0) {
        const text = first!.toString('latin1', 0, nl);
        this.drop(nl + 1);
        return text;
      }
      if (first && this.chunks.length > 1) {
        // A line cut between two chunks: join them and look again.
        this.chunks.splice(0, 2, Buffer.concat([first, this.chunks[1]!]));
        continue;
      }
      if (!(await this.fill())) return null;
    }
  }

  private async take(n: number): Promise<Uint8Array | null> {
    while (this.buffered < n) if (!(await this.fill())) return null;
    const out = new Uint8Array(n);
    for (let at = 0; at < n; ) {
      const chunk = this.chunks[0]!;
      const k = Math.min(chunk.length, n - at);
      out.set(chunk.subarray(0, k), at);
      at += k;
      this.drop(k);
    }
    return out;
  }

  private drop(n: number): void {
    const chunk = this.chunks[0]!;
    if (n === chunk.length) this.chunks.shift();
    else this.chunks[0] = chunk.subarray(n);
    this.buffered -= n;
  }
}

function git(gitDir: string, args: string[]): { status: number; stdout: string } {
  const r = spawnSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8' });
  return { status: r.status ?? 1, stdout: r.stdout ?? '' };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
