/**
 * One entry point for every archive shape: detects the format of a path and streams
 * its messages. Problems are passed to options.onError and reading goes on.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readEml } from './eml';
import { readMaildir } from './maildir';
import { isHeaderLine, readMbox, warnOnError, type ReaderOptions } from './mbox';
import { looksLikePipermailText, readPipermailArticle, readPipermailMonthly, readPipermailText } from './pipermail';
import { MalformedMessage, type ArchiveFormat, type RawMessage } from './types';

const MONTHLY = /^\d{4}-(?:January|February|March|April|May|June|July|August|September|October|November|December)\.txt(?:\.gz)?$/;

export async function* readArchive(path: string, options: ReaderOptions = {}): AsyncGenerator<RawMessage> {
  const onError = options.onError ?? warnOnError;
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch (err) {
    onError(new MalformedMessage(path, 0, `unreadable: ${(err as Error).message}`));
    return;
  }
  if (isDir) {
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
    for (const name of names) if (!name.startsWith('.')) yield* readArchive(join(path, name), options);
    return;
  }
  const format = await detectFileFormat(path, onError);
  switch (format) {
    case 'mbox':
      yield* readMbox(path, options);
      break;
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
      yield* readPipermailMonthly(path, options);
      break;
    case null:
      break;
  }
}

async function isMaildir(dir: string): Promise<boolean> {
  for (const sub of ['cur', 'new']) {
    try {
      if ((await stat(join(dir, sub))).isDirectory()) return true;
    } catch {
      // not there: try the other
    }
  }
  return false;
}

/**
 * The format of one file, from its name and first bytes; null (reported) when it is
 * none we read. Exported so ingest can tell what it is about to read.
 */
export async function detectFileFormat(
  path: string,
  onError: (error: MalformedMessage) => void = warnOnError,
): Promise<ArchiveFormat | null> {
  const name = basename(path).toLowerCase();
  if (MONTHLY.test(basename(path)) || name.endsWith('.txt.gz')) return 'pipermail-monthly';
  if (/\.html?$/.test(name)) return 'pipermail-article';
  let head: string;
  try {
    const file = await open(path, 'r');
    try {
      const buf = Buffer.alloc(4096);
      const { bytesRead } = await file.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead).toString('latin1');
    } finally {
      await file.close();
    }
  } catch (err) {
    onError(new MalformedMessage(path, 0, `unreadable: ${(err as Error).message}`));
    return null;
  }
  if (name.endsWith('.eml')) return 'eml';
  // A named mbox is read as one even when it starts badly; the splitter reports the preamble.
  if (name.endsWith('.mbox') || name.endsWith('.mbx')) return 'mbox';
  if (head.startsWith('From ')) {
    // Pipermail's monthly separators carry the obfuscated sender: `From a at b.org  Fri ...`.
    return /^From \S+ at \S+/.test(head) ? 'pipermail-monthly' : 'mbox';
  }
  if (name.endsWith('.txt') && looksLikePipermailText(head)) return 'pipermail-text';
  if (isHeaderLine(Buffer.from(head, 'latin1'))) return 'eml';
  if (name.endsWith('.gz')) {
    onError(new MalformedMessage(path, 0, 'compressed file that is not a pipermail monthly archive (YYYY-Month.txt.gz); skipped'));
    return null;
  }
  onError(new MalformedMessage(path, 0, 'unrecognised format (not mbox, Maildir, .eml or pipermail); skipped'));
  return null;
}
