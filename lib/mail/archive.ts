/**
 * One entry point for every archive shape: tells the format of a path and streams its
 * messages. Problems are passed to options.onError and reading goes on: every file
 * or message not read is reported with its reason, nothing is passed over in silence.
 *
 * A file's format is told by its content, its name only breaking a tie: a `From `-less
 * `x.mbox` holding one message is that message, an mbox named `x.eml` is an mbox, a
 * gzipped mbox is read whatever its name.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { constants as zlib, createGunzip, gunzipSync } from 'node:zlib';
import { readEml } from './eml';
import { EMPTY, IN_DELIVERY, isBlank, isMaildir, isPlaceholder, MAILDIR_PARTS, readMaildirFile, readMaildirFolder } from './maildir';
import { isHeaderLine, splitMbox, warnOnError, type ReaderOptions } from './mbox';
import { looksLikePipermailText, readPipermailArticle, readPipermailMonthly, readPipermailText } from './pipermail';
import { isGitRepository, readPublicInbox, v2Epochs } from './public-inbox';
import type { ArchiveOptions } from './resume';
import { MalformedMessage, type ArchiveFormat, type RawMessage } from './types';

export async function* readArchive(path: string, options: ArchiveOptions = {}): AsyncGenerator<RawMessage> {
  const onError = options.onError ?? warnOnError;
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    onError(new MalformedMessage(path, 0, `unreadable: ${(err as Error).message}`));
    return;
  }
  if (isDir) {
    // A public-inbox (v2 folder, epoch or v1 repository): read through git, not as files.
    if (v2Epochs(path) || isGitRepository(path)) {
      yield* readPublicInbox(path, options);
      return;
    }
    if (await isMaildir(path)) {
      yield* readMaildir(path, options);
      return;
    }
    let names: string[];
    try {
      names = (await readdir(path)).sort();
    } catch (err) {
      onError(new MalformedMessage(path, 0, `unreadable folder: ${(err as Error).message}`));
      return;
    }
    // cur/ or new/ of a Maildir, named on its own: its files are that Maildir's messages.
    const part = await maildirPart(path);
    for (const name of names) {
      const entry = join(path, name);
      if (name.startsWith('.')) {
        if (!isPlaceholder(entry)) onError(new MalformedMessage(entry, 0, HIDDEN));
      } else if (part === 'tmp') onError(new MalformedMessage(entry, 0, IN_DELIVERY));
      else if (part) {
        if (options.resume?.known?.(entry)) continue;
        const message = readMaildirFile(entry, onError);
        if (message) yield message;
      } else yield* readArchive(entry, options);
    }
    return;
  }
  // A Maildir's file named on its own is read as the Maildir would read it.
  const part = await maildirPart(dirname(path));
  if (part === 'tmp') onError(new MalformedMessage(path, 0, IN_DELIVERY));
  else if (part) {
    const message = readMaildirFile(path, onError);
    if (message) yield message;
  } else yield* readFile(path, options);
}

const HIDDEN = 'hidden (name starts with "."); not read';

/**
 * A Maildir and everything under it: its cur/ and new/ (tmp/ reported, not read),
 * then in name order its Maildir++ subfolders (`.Sent`, `.lists.linux-mm`, `.a.b`; a
 * folder of a Maildir that is itself a Maildir, as some tools nest them, is read the
 * same way), each message with its folder (RawMessage.folder), and its loose files,
 * read as any file is, by their content. A hidden folder that is no Maildir
 * (`.notmuch`) and the Maildir's own bookkeeping files (dovecot-uidlist, …) are
 * reported and not read. `folder` is set by the walk itself: the Maildir++ name of
 * `dir` when it is a subfolder.
 */
export async function* readMaildir(dir: string, options: ArchiveOptions = {}, folder?: string): AsyncGenerator<RawMessage> {
  const onError = options.onError ?? warnOnError;
  yield* readMaildirFolder(dir, folder, options);
  let entries: string[];
  try {
    entries = (await readdir(dir)).sort();
  } catch (err) {
    onError(new MalformedMessage(dir, 0, `unreadable folder: ${(err as Error).message}`));
    return;
  }
  const inFolder = async function* (messages: AsyncIterable<RawMessage>) {
    for await (const m of messages) {
      if (folder !== undefined) m.folder ??= folder;
      yield m;
    }
  };
  for (const name of entries) {
    if (MAILDIR_PARTS.has(name)) continue;
    const entry = join(dir, name);
    if (MAILDIR_METADATA.test(name)) {
      onError(new MalformedMessage(entry, 0, 'Maildir bookkeeping, not mail; not read'));
      continue;
    }
    let isDir: boolean;
    try {
      isDir = (await stat(entry)).isDirectory();
    } catch (err) {
      onError(new MalformedMessage(entry, 0, `unreadable: ${(err as Error).message}`));
      continue;
    }
    if (isDir && (await isMaildir(entry))) {
      const sub = name.replace(/^\./, '');
      yield* readMaildir(entry, options, folder === undefined ? sub : `${folder}.${sub}`);
    } else if (name.startsWith('.')) {
      if (isDir) onError(new MalformedMessage(entry, 0, 'hidden folder that is no Maildir++ folder (no cur/ or new/); not read'));
      else if (!isPlaceholder(entry)) onError(new MalformedMessage(entry, 0, HIDDEN));
    } else {
      yield* inFolder(readArchive(entry, options));
    }
  }
}

/** What mail servers and sync tools keep beside a Maildir's messages. */
const MAILDIR_METADATA =
  /^(?:dovecot[.-].*|subscriptions|maildirfolder|courierimap\w*|\.uidvalidity|\.mbsyncstate.*|\.isyncuidmap\.db|\.notmuch|\.mu|\.strstate|\.offlineimap)$/;

/** 'cur', 'new' or 'tmp' when `dir` is that part of a Maildir; else null. */
async function maildirPart(dir: string): Promise<'cur' | 'new' | 'tmp' | null> {
  const name = basename(dir);
  if (!MAILDIR_PARTS.has(name)) return null;
  return (await isMaildir(dirname(dir))) ? (name as 'cur' | 'new' | 'tmp') : null;
}

/** One file, by what its content is. */
async function* readFile(path: string, options: ArchiveOptions): AsyncGenerator<RawMessage> {
  const onError = options.onError ?? warnOnError;
  const kind = await sniff(path, onError);
  if (!kind) return;
  switch (kind.format) {
    case 'mbox': {
      // An mbox read before and only appended to since goes on where it stopped (not gzipped ones: they are rewritten whole).
      const start = kind.gzip ? 0 : (options.resume?.mboxStart?.(path) ?? 0);
      const messages = start > 0 ? readMboxFrom(path, start, options) : splitMbox(fileStream(path, kind.gzip), path, options, 'mbox', kind.headless);
      if (kind.gzip) yield* messages;
      else for await (const m of messages) yield { ...m, seekable: true };
      if (!kind.gzip) options.resume?.onMboxRead?.(path, kind.size);
      break;
    }
    case 'eml':
      yield* readEml(path, options);
      break;
    case 'pipermail-article':
      yield* readPipermailArticle(path, options);
      break;
    case 'pipermail-text':
      yield* readPipermailText(path, options);
      break;
    case 'pipermail-monthly':
      // Its reader gunzips by the name; a name that says otherwise than the bytes is read here.
      if (kind.gzip === path.endsWith('.gz')) yield* readPipermailMonthly(path, options);
      else yield* splitMbox(fileStream(path, kind.gzip), path, options, 'pipermail-monthly');
      break;
  }
}

interface Sniffed {
  format: ArchiveFormat;
  /** The file is gzip-compressed (mbox and pipermail-monthly only); offsets are then in the uncompressed text. */
  gzip: boolean;
  /**
   * An mbox whose first message has no `From ` line before it (cut from the top of a
   * bigger one, or two files put together): that message is read from offset 0.
   */
  headless?: boolean;
  /** The file's size when it was looked at. */
  size: number;
}

/**
 * The format of one file, from its first bytes; null (reported) when it is no mail we
 * read. Exported so callers can tell what a file is before reading it.
 */
export async function detectFileFormat(path: string, onError: (error: MalformedMessage) => void = warnOnError): Promise<ArchiveFormat | null> {
  return (await sniff(path, onError))?.format ?? null;
}

const HEAD_BYTES = 64 * 1024;

async function sniff(path: string, onError: (error: MalformedMessage) => void): Promise<Sniffed | null> {
  let head: Buffer;
  let size: number;
  try {
    const file = await open(path, 'r');
    try {
      size = (await file.stat()).size;
      const buf = Buffer.alloc(Math.min(size, HEAD_BYTES));
      const { bytesRead } = await file.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (err) {
    onError(new MalformedMessage(path, 0, `unreadable: ${(err as Error).message}`));
    return null;
  }
  if (size <= HEAD_BYTES && isBlank(head)) {
    onError(new MalformedMessage(path, 0, EMPTY));
    return null;
  }
  const name = basename(path).toLowerCase();
  if (head[0] === 0x1f && head[1] === 0x8b) {
    // Enough of the start to tell what is inside: a partial stream inflates without error.
    let inner: Buffer;
    try {
      inner = gunzipSync(head, { finishFlush: zlib.Z_SYNC_FLUSH });
    } catch (err) {
      onError(new MalformedMessage(path, 0, `gzip file that cannot be read: ${(err as Error).message}; skipped`));
      return null;
    }
    const text = inner.subarray(0, 4096).toString('latin1');
    if (text.startsWith('From ')) return { format: OBFUSCATED_FROM.test(text) ? 'pipermail-monthly' : 'mbox', gzip: true, size };
    onError(new MalformedMessage(path, 0, 'compressed file that holds no mbox and no pipermail monthly archive; skipped'));
    return null;
  }
  const text = head.toString('latin1');
  if (text.startsWith('From ')) {
    // Pipermail's monthly separators carry the obfuscated sender: `From a at b.org  Fri ...`.
    if (OBFUSCATED_FROM.test(text)) return { format: 'pipermail-monthly', gzip: false, size };
    // One message after a `From ` line is an mbox of one, and also what "save as" tools
    // write: as .eml it is read as a message (the line dropped), as it always was.
    if (name.endsWith('.eml') && (await findSeparator(path, 1)) < 0) return { format: 'eml', gzip: false, size };
    return { format: 'mbox', gzip: false, size };
  }
  if (looksLikePipermailText(text)) return { format: 'pipermail-text', gzip: false, size };
  if (looksLikeHeaderBlock(text, size <= HEAD_BYTES)) {
    // A message; or an mbox that lost its first separator line, whose first message is read all the same.
    const separator = await findSeparator(path, 0);
    return separator < 0 ? { format: 'eml', gzip: false, size } : { format: 'mbox', gzip: false, headless: true, size };
  }
  if (/^\s*<(?:!doctype\s+html|html)\b/i.test(text) || (/\.html?$/.test(name) && /<!--beginarticle-->/i.test(text))) {
    return { format: 'pipermail-article', gzip: false, size };
  }
  // Text before the first separator (a note, a cut-off message) does not make an mbox none.
  SEPARATOR.lastIndex = 0;
  if (SEPARATOR.test(text)) return { format: 'mbox', gzip: false, size };
  onError(new MalformedMessage(path, 0, 'unrecognised format, not mail (no header block, "From " line or pipermail page at its start); skipped'));
  return null;
}

const OBFUSCATED_FROM = /^From \S+ at \S+/;

/** Fields that say a header block is a message's (one of them is enough). */
const MAIL_FIELD = /^(?:from|to|cc|date|subject|message-id|received|return-path|delivered-to|mime-version|in-reply-to|references|list-id|sender|reply-to|x-[\w-]+)[ \t]*:/i;

/**
 * The start of a message: header fields (folded lines allowed) up to a blank line, mail
 * fields among them. A stray line is let by when the block is plainly a message's
 * (`[transport headers omitted]` above Message-ID, Date, From, ...). `whole` says the
 * text is the whole file.
 */
function looksLikeHeaderBlock(text: string, whole: boolean): boolean {
  const lines = text.split('\n');
  if (!whole) lines.pop(); // may be a cut line: judge only whole ones
  let fields = 0;
  let mail = 0;
  let stray = 0;
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '');
    if (line === '') break;
    if (/^[ \t]/.test(line) && fields > 0) continue;
    if (isHeaderLine(Buffer.from(line, 'latin1'))) {
      fields++;
      if (MAIL_FIELD.test(line)) mail++;
    } else if (++stray > 2) return false;
  }
  return stray === 0 ? mail > 0 : mail >= 2 && stray * 4 <= fields;
}

/** An mbox separator: a `From ` line with a time of day in it, then a header line. */
const SEPARATOR = /\n(From [^\n]*\d:\d\d[^\n]*\n)[\x21-\x39\x3b-\x7e]+[ \t]*:/g;

/**
 * The offset of the first mbox separator line at or after byte `from` (never the
 * file's first line), or -1. Stops at the first one found: cheap on any mbox.
 */
async function findSeparator(path: string, from: number): Promise<number> {
  const chunk = 1 << 20;
  const file = await open(path, 'r');
  try {
    const buf = Buffer.alloc(chunk);
    let carry = '';
    for (let position = 0; ; ) {
      const { bytesRead } = await file.read(buf, 0, chunk, position);
      if (bytesRead === 0) return -1;
      const text = carry + buf.subarray(0, bytesRead).toString('latin1');
      const base = position - carry.length;
      SEPARATOR.lastIndex = 0;
      for (let m = SEPARATOR.exec(text); m; m = SEPARATOR.exec(text)) {
        const at = base + m.index + 1;
        if (at >= from) return at;
      }
      position += bytesRead;
      // A separator across the chunk boundary is found in the next round.
      carry = text.slice(Math.max(0, text.length - 4096));
    }
  } finally {
    await file.close();
  }
}

function fileStream(path: string, gzip: boolean, start = 0): AsyncIterable<Buffer> {
  const file = createReadStream(path, { highWaterMark: 1 << 20, start });
  if (!gzip) return file;
  const gunzip = createGunzip();
  // A read error on the file must reach the consumer of the gunzip stream.
  file.on('error', (err) => gunzip.destroy(err));
  return file.pipe(gunzip);
}

/** An mbox from byte `start` (a separator line) on, offsets counted from the file's start. */
async function* readMboxFrom(path: string, start: number, options: ReaderOptions): AsyncGenerator<RawMessage> {
  const onError = options.onError ?? warnOnError;
  const shifted = { ...options, onError: (e: MalformedMessage) => onError(new MalformedMessage(e.source, e.offset + start, e.reason)) };
  for await (const m of splitMbox(fileStream(path, false, start), path, shifted, 'mbox')) {
    m.offset += start;
    yield m;
  }
}
