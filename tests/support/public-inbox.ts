/**
 * Makes public-inbox repositories (lore.kernel.org's archive format) for tests and for
 * bench/public-inbox.ts: the one writer of both. Git plumbing only (`git init --bare`,
 * `git fast-import`); nothing touches the network, and the output is deterministic
 * (same messages, same commit ids).
 *
 * v2 (public-inbox-v2-format(5)): INBOX/git/N.git epochs, each a bare repo whose
 * refs/heads/master has one commit per message, its tree exactly one file: `m` (the
 * raw message, byte for byte) when added, `d` (the removed message's raw bytes) when
 * removed. INBOX/all.git lists every epoch's objects in objects/info/alternates, and
 * INBOX/inbox.lock exists. No Xapian or SQLite indexes are made.
 * v1 (public-inbox-v1-format(5)): one bare repo, each message a file at
 * XX/YYYY... (the SHA-1 of its Message-ID without brackets, split 2/38); a removal is
 * a commit that deletes that path.
 *
 * Commits: an added message's commit has the message's From as author, its Date as
 * author and committer date (FALLBACK_DATE when it has none that parses), COMMITTER as
 * committer and its Subject as message ("(no subject)" when empty). A removal commit,
 * as public-inbox makes it, is the inbox's own: COMMITTER as author and committer, "rm"
 * as message, dated like the removed message.
 *
 * Only Message-ID, From, Date and Subject are read, from the header block, unfolded.
 */
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type InboxOp = { add: Uint8Array | string } | { remove: Uint8Array | string };

/** The committer of every commit, and the author of removals. */
export const COMMITTER = { name: 'inbox', email: 'inbox@example.invalid' };
/** A message without a usable Date: 2000-01-01T00:00:00Z, fixed so runs repeat. */
export const FALLBACK_DATE = '946684800 +0000';

// ---------------------------------------------------------------------------------
// The header fields the repositories need

export interface InboxHeaders {
  /** Without the angle brackets; '' when the message has none. */
  messageId: string;
  fromName: string;
  fromEmail: string;
  /** Git's raw date: "<unix seconds> <+hhmm>". */
  date: string;
  subject: string;
}

/** Message-ID, From, Date and Subject of a raw message, for the commit that stores it. */
export function inboxHeaders(raw: Uint8Array): InboxHeaders {
  const fields = headerFields(raw);
  const from = parseFrom(fields.get('from') ?? '');
  return {
    messageId: parseMessageId(fields.get('message-id') ?? ''),
    fromName: from.name,
    fromEmail: from.email,
    date: gitDate(fields.get('date') ?? ''),
    subject: oneLine(decodeWords(fields.get('subject') ?? '')),
  };
}

/** The v1 path of a Message-ID (without brackets): its SHA-1 in hex, split 2/38. */
export function v1Path(messageId: string): string {
  const hex = createHash('sha1').update(messageId, 'utf8').digest('hex');
  return `${hex.slice(0, 2)}/${hex.slice(2)}`;
}

const WANTED = new Set(['message-id', 'from', 'date', 'subject']);

/** The first occurrence of each wanted field, unfolded, as text (UTF-8 when valid, else Latin-1). */
function headerFields(raw: Uint8Array): Map<string, string> {
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  let end = bytes.length;
  for (const sep of ['\n\n', '\r\n\r\n']) {
    const at = bytes.indexOf(sep);
    if (at >= 0 && at < end) end = at;
  }
  const head = bytes.subarray(0, end);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head);
  } catch {
    text = head.toString('latin1');
  }
  const fields = new Map<string, string>();
  // An mbox "From " line, should one have come along, is no header field.
  for (const line of text.replace(/^From [^\n]*\n/, '').replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
    const m = /^([!-9;-~]+)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (!m) continue;
    const name = m[1].toLowerCase();
    if (WANTED.has(name) && !fields.has(name)) fields.set(name, m[2].trim());
  }
  return fields;
}

function parseMessageId(value: string): string {
  const m = /<([^<>]+)>/.exec(value);
  return (m ? m[1] : value).replace(/\s+/g, '');
}

/** Name and address of a From value: `Name <a@b>`, `"Name" <a@b>`, `a@b (Name)` or `a@b`. */
function parseFrom(value: string): { name: string; email: string } {
  let name = '', email = '';
  let m: RegExpExecArray | null;
  // The last <...> is the address: a quoted name may hold brackets of its own.
  if ((m = /^(.*)<([^<>]*)>[^<>]*$/.exec(value))) {
    name = m[1];
    email = m[2];
  } else if ((m = /^\s*([^\s()<>]+)\s*\((.*)\)\s*$/.exec(value))) {
    email = m[1];
    name = m[2];
  } else {
    email = value;
  }
  name = decodeWords(name.trim().replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1'));
  // Git's ident can hold neither angle brackets nor newlines; public-inbox names a
  // nameless sender by the local part of the address.
  email = oneLine(email).replace(/[<>\s]/g, '');
  return { name: oneLine(name).replace(/[<>]/g, '').replace(/\s+/g, ' ').trim() || email.split('@')[0], email };
}

const oneLine = (s: string) => s.replace(/[\r\n\0]+/g, ' ').trim();

/** RFC 2047 encoded words, where Node knows the charset; left as they are otherwise. */
function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)/g, '$1')
    .replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g, (word, charset: string, enc: string, text: string) => {
      try {
        const bytes = enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
        return new TextDecoder(charset.replace(/\*.*$/, ''), { fatal: true }).decode(bytes);
      } catch {
        return word;
      }
    });
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ZONES: Record<string, number> = { UT: 0, UTC: 0, GMT: 0, Z: 0, EST: -500, EDT: -400, CST: -600, CDT: -500, MST: -700, MDT: -600, PST: -800, PDT: -700 };

/** An RFC 5322 Date as git's raw "<seconds> <+hhmm>", keeping the sender's offset; FALLBACK_DATE when it does not parse. */
export function gitDate(value: string): string {
  const m = /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:([+-]\d{4})\b|([A-Za-z]{1,5})\b)?/.exec(value);
  if (m) {
    const month = MONTHS.indexOf(m[2].toLowerCase());
    let year = Number(m[3]);
    if (m[3].length === 2) year += year < 50 ? 2000 : 1900;
    else if (m[3].length === 3) year += 1900;
    const [day, hour, minute, second] = [Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
    let zone = m[7] ? Number(m[7]) : ZONES[(m[8] ?? '').toUpperCase()] ?? 0;
    if (Math.abs(zone % 100) > 59 || Math.abs(zone) > 1400) zone = 0;
    if (month >= 0 && day >= 1 && day <= 31 && hour < 24 && minute < 60 && second <= 60) {
      const zoneMinutes = Math.sign(zone) * (Math.floor(Math.abs(zone) / 100) * 60 + (Math.abs(zone) % 100));
      const seconds = Date.UTC(year, month, day, hour, minute, second) / 1000 - zoneMinutes * 60;
      if (seconds > 0) return `${seconds} ${zone < 0 ? '-' : '+'}${String(Math.abs(zone)).padStart(4, '0')}`;
    }
  }
  const parsed = Date.parse(value);
  return Number.isFinite(parsed) && parsed > 0 ? `${Math.floor(parsed / 1000)} +0000` : FALLBACK_DATE;
}

// ---------------------------------------------------------------------------------
// The fast-import stream

export type Layout = 'v2' | 'v1';

const bytesOf = (b: Uint8Array | string): Buffer => (typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const data = (b: Buffer): Buffer[] => [Buffer.from(`data ${b.length}\n`), b, Buffer.from('\n')];

/** The stream's opening: a stream cut short (no `done`) then fails and updates no ref. */
export const STREAM_START = Buffer.from('feature done\n');
export const STREAM_END = Buffer.from('done\n');

/**
 * The fast-import commands of one op's commit on refs/heads/master, as chunks to write in
 * order (the message itself is one of them, not copied). `parent` is given for the first
 * commit appended to an existing branch; later commits of the same stream follow on.
 */
export function commitChunks(op: InboxOp, layout: Layout, parent?: string): Buffer[] {
  const removal = 'remove' in op;
  const raw = bytesOf(removal ? op.remove : op.add);
  const h = inboxHeaders(raw);
  const committer = `${COMMITTER.name} <${COMMITTER.email}> ${h.date}`;
  const author = removal ? committer : `${h.fromName} <${h.fromEmail}> ${h.date}`;
  const message = removal ? 'rm' : h.subject || '(no subject)';
  const chunks = [
    Buffer.from(`commit refs/heads/master\nauthor ${author}\ncommitter ${committer}\n`),
    ...data(Buffer.from(`${message}\n`, 'utf8')),
  ];
  if (parent) chunks.push(Buffer.from(`from ${parent}\n`));
  if (layout === 'v2') {
    // Exactly one file in each commit's tree.
    chunks.push(Buffer.from(`deleteall\nM 100644 inline ${removal ? 'd' : 'm'}\n`), ...data(raw));
  } else {
    if (!h.messageId) throw new Error('a v1 inbox files a message by its Message-ID, and this one has none');
    const file = v1Path(h.messageId);
    if (removal) chunks.push(Buffer.from(`D ${file}\n`));
    else chunks.push(Buffer.from(`M 100644 inline ${file}\n`), ...data(raw));
  }
  chunks.push(Buffer.from('\n'));
  return chunks;
}

// ---------------------------------------------------------------------------------
// Git

/** The environment git runs in: none of the caller's GIT_* repository variables. */
export function gitEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const v of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR', 'GIT_NAMESPACE', 'GIT_CEILING_DIRECTORIES']) delete env[v];
  return env;
}

export function git(gitDir: string, args: string[], input?: Buffer): string {
  return execFileSync('git', [`--git-dir=${gitDir}`, ...args], { env: gitEnv(), input, encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A bare repository with HEAD at refs/heads/master, unless one is there already. */
export function initBare(gitDir: string): void {
  if (fs.existsSync(path.join(gitDir, 'HEAD'))) return;
  fs.mkdirSync(gitDir, { recursive: true });
  execFileSync('git', ['init', '--bare', '--quiet', '--initial-branch=master', gitDir], { env: gitEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The commit refs/heads/master points at, or null when the branch has none yet. */
export function tipOf(gitDir: string): string | null {
  const r = spawnSync('git', [`--git-dir=${gitDir}`, 'rev-parse', '--verify', '--quiet', 'refs/heads/master^{commit}'], { env: gitEnv(), encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** The args of a quiet `git fast-import` into gitDir. */
export const fastImportArgs = (gitDir: string) => [`--git-dir=${gitDir}`, 'fast-import', '--quiet'];

function appendOps(gitDir: string, ops: InboxOp[], layout: Layout): string {
  initBare(gitDir);
  const tip = tipOf(gitDir);
  if (ops.length === 0) {
    if (!tip) throw new Error(`${gitDir}: no ops, and no commit to return`);
    return tip;
  }
  const chunks = [STREAM_START, ...ops.flatMap((op, i) => commitChunks(op, layout, i === 0 ? tip ?? undefined : undefined)), STREAM_END];
  const r = spawnSync('git', fastImportArgs(gitDir), { env: gitEnv(), input: Buffer.concat(chunks), stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`git fast-import into ${gitDir} failed: ${r.error?.message ?? r.stderr.toString()}`);
  const newTip = tipOf(gitDir);
  if (!newTip) throw new Error(`git fast-import into ${gitDir} made no refs/heads/master`);
  return newTip;
}

// ---------------------------------------------------------------------------------
// The API

/** Appends one commit per op to refs/heads/master of a bare epoch repo (created when missing); returns the new tip commit. */
export function appendToEpoch(gitDir: string, ops: InboxOp[]): string {
  return appendOps(gitDir, ops, 'v2');
}

/** The epoch numbers of the v2 inbox at dir (its git/N.git), in order. */
export function epochsOf(dir: string): number[] {
  const git = path.join(dir, 'git');
  if (!fs.existsSync(git)) return [];
  return fs.readdirSync(git).map((n) => /^(\d+)\.git$/.exec(n)).filter((m) => m !== null).map((m) => Number(m[1])).sort((a, b) => a - b);
}

/** all.git (alternates to each epoch, relative so the inbox can be moved) and inbox.lock, for the epochs under dir/git. */
export function finishV2Inbox(dir: string): void {
  const epochs = epochsOf(dir);
  const all = path.join(dir, 'all.git');
  initBare(all);
  fs.mkdirSync(path.join(all, 'objects', 'info'), { recursive: true });
  fs.writeFileSync(path.join(all, 'objects', 'info', 'alternates'), epochs.map((n) => `../../git/${n}.git/objects\n`).join(''));
  fs.closeSync(fs.openSync(path.join(dir, 'inbox.lock'), 'a'));
}

/** dir, which must not exist or be empty, ready for a v2 inbox. */
export function freshInboxDir(dir: string): void {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new Error(`${dir} is not empty: an inbox is made in a new folder`);
  fs.mkdirSync(dir, { recursive: true });
}

/** A v2 inbox at dir: git/N.git for each epoch's ops, in order, plus all.git with alternates and inbox.lock. */
export function makeV2Inbox(dir: string, epochs: InboxOp[][]): void {
  freshInboxDir(dir);
  epochs.forEach((ops, n) => {
    const gitDir = path.join(dir, 'git', `${n}.git`);
    if (ops.length > 0) appendToEpoch(gitDir, ops);
    else initBare(gitDir);
  });
  finishV2Inbox(dir);
}

/** A v1 inbox (one bare repo) at gitDir; remove deletes the message's path. Returns the tip. */
export function makeV1Inbox(gitDir: string, ops: InboxOp[]): string {
  return appendOps(gitDir, ops, 'v1');
}
