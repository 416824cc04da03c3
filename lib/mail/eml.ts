/** Single-message files: .eml, and each file of a Maildir. */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { MAX_MESSAGE_BYTES } from './limits';
import { isHeaderLine, warnOnError, type ReaderOptions } from './mbox';
import { MalformedMessage, type ArchiveFormat, type RawMessage } from './types';

/**
 * Reads one message file whole (they are small; the size is checked first). Sync on
 * purpose: for 50k small Maildir files it is ~10 us a file against ~70 us through
 * fs.promises (open, stat, read, close each cross the thread pool), and the main
 * thread is the bottleneck of ingest. Each call blocks only for one small file.
 *
 * A leading mbox `From ` line, as left by some "save as" tools, is not part of the
 * message: it is dropped and the offset points past it.
 */
export function readMessageFile(
  path: string,
  format: ArchiveFormat,
  onError: (error: MalformedMessage) => void,
): RawMessage | null {
  let raw: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      const { size } = fstatSync(fd);
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
    if (nl !== -1 && isHeaderLine(raw.subarray(nl + 1))) offset = nl + 1;
  }
  return { source: path, offset, raw: offset ? raw.subarray(offset) : raw, format };
}

export async function* readEml(path: string, options: ReaderOptions = {}): AsyncGenerator<RawMessage> {
  const message = readMessageFile(path, 'eml', options.onError ?? warnOnError);
  if (message) yield message;
}
