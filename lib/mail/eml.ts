/** Single-message files: .eml, and each file of a Maildir. */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { MAX_MESSAGE_BYTES } from './limits';
import { warnOnError, type ReaderOptions } from './mbox';
import { startsMessage } from './mbox-lines';
import { MalformedMessage, type ArchiveFormat, type RawMessage } from './types';

/**
 * Reads one message file whole (they are small; the size is checked first). Sync on
 * purpose: for 50k small Maildir files it is ~10 us a file against ~70 us through
 * fs.promises (open, stat, read, close each cross the thread pool), and the main
 * thread is the bottleneck of ingest. Each call blocks only for one small file.
 *
 * A leading mbox `From ` line, as left by some "save as" tools, is not part of the
 * message: it is dropped and the offset points past it (and kept as fromLine, for its date).
 * A Maildir file's delivery time is its archiveDate, a fallback for a missing Date.
 */
export function readMessageFile(
  path: string,
  format: ArchiveFormat,
  onError: (error: MalformedMessage) => void,
): RawMessage | null {
  let raw: Buffer;
  let mtimeMs = NaN;
  try {
    const fd = openSync(path, 'r');
    try {
      const stat = fstatSync(fd);
      const size = stat.size;
      mtimeMs = stat.mtimeMs;
      if (size > MAX_MESSAGE_BYTES) {
        onError(new MalformedMessage(path, 0, `file of ${size} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte message limit; skipped`));
        return null;
      }
      raw = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    onError(new MalformedMessage(path, 0, `unreadable: ${(err as Error).message}`));
    return null;
  }
  let offset = 0;
  if (raw.subarray(0, 5).toString('latin1') === 'From ') {
    const nl = raw.indexOf(0x0a);
    if (nl !== -1 && startsMessage(raw, 0, nl + 1, raw.subarray(nl + 1))) offset = nl + 1;
  }
  const message: RawMessage = { source: path, offset, raw: offset ? raw.subarray(offset) : raw, format };
  if (offset) message.fromLine = raw.subarray(0, offset).toString('latin1').replace(/\r?\n$/, '');
  if (format === 'maildir') {
    const archiveDate = maildirDeliveryTime(path, mtimeMs);
    if (archiveDate) message.archiveDate = archiveDate;
  }
  return message;
}

/**
 * When a Maildir message was delivered: the Unix time its file name starts with
 * (`1354585346.M1P2.host:2,S`, as the Maildir spec names files; it survives copies),
 * else the file's modification time (set at delivery, but by every copy too).
 */
function maildirDeliveryTime(path: string, mtimeMs: number): { iso: string; from: string } | null {
  const seconds = /^(\d{9,10})\./.exec(basename(path))?.[1];
  if (seconds !== undefined && +seconds * 1000 <= Date.now()) {
    return { iso: new Date(+seconds * 1000).toISOString().replace('.000Z', 'Z'), from: 'Maildir file name' };
  }
  if (!(mtimeMs > 0)) return null;
  return { iso: new Date(Math.floor(mtimeMs / 1000) * 1000).toISOString().replace('.000Z', 'Z'), from: 'Maildir file modification time' };
}

export async function* readEml(path: string, options: ReaderOptions = {}): AsyncGenerator<RawMessage> {
  const message = readMessageFile(path, 'eml', options.onError ?? warnOnError);
  if (message) yield message;
}
