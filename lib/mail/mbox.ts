/**
 * Streaming mbox splitter. Reads any size of file chunk by chunk (node:fs streams),
 * keeps each message's byte offset, undoes `>From ` quoting or measures messages by
 * their Content-Length as the file's flavour says, and reports broken separators
 * without losing the rest of the file.
 */
import { createReadStream } from 'node:fs';
import { MAX_MESSAGE_BYTES } from './limits';
import { contentLength, isBlank, isEmptyLine, isFromLine, NL, quotedFromDepth, separatorAfter, SEPARATOR_LOOKAHEAD, startsMessage } from './mbox-lines';
import { detectMboxVariant, type MboxVariant } from './mbox-variant';
import { MalformedMessage, type ArchiveFormat, type RawMessage } from './types';

export type { MboxVariant } from './mbox-variant';
// decode, eml and archive tell a header block by it, and import it from here.
export { isHeaderLine } from './mbox-lines';

export interface ReaderOptions {
  /**
   * Called for every problem a reader gets past (unreadable file, text before the
   * first separator, a `From ` line with no header block after it, an oversized
   * message). Reading goes on. Default: console.warn.
   */
  onError?: (error: MalformedMessage) => void;
  /**
   * How an mbox keeps `From ` body lines from separating: mboxrd removes one `>` from
   * every `>+From ` line; mboxo only turns `>From ` into `From `; mboxcl2 un-quotes
   * nothing and ends each message where its Content-Length says. Not given: told per
   * file from its start (detectMboxVariant), mboxrd unless the file shows otherwise.
   * mboxo cannot be told: ponymail's mbox-vm archives are mboxrd, its lists.a.o and
   * mail-archives.a.o exports mboxo.
   */
  mboxVariant?: MboxVariant;
}

export const warnOnError = (error: MalformedMessage): void => console.warn(error.message);

export function readMbox(path: string, options: ReaderOptions = {}): AsyncGenerator<RawMessage> {
  return splitMbox(createReadStream(path, { highWaterMark: 1 << 20 }), path, options, 'mbox');
}

/** What the flavour is told from: the first MiB, more (up to 16) while not one message could be judged. */
const DETECT_BYTES = 1 << 20;
const DETECT_MAX_BYTES = 16 << 20;

interface Current {
  offset: number;
  parts: Buffer[];
  size: number;
  /** The separator line, passed on as RawMessage.fromLine (its date is a fallback for Date); none for a headless start. */
  fromLine?: string;
  /** Still in the header block, and its Content-Length once seen there. */
  inHeader: boolean;
  contentLength: number | null;
  /** Its body was measured by Content-Length: no blank line of the mbox's own at its end. */
  measured: boolean;
}

/**
 * Splits an mbox byte stream. Exported for the pipermail monthly reader, which feeds
 * it a gunzipped stream. A `From ` line counts as a separator only when a header
 * line follows it (startsMessage); otherwise it stays in the message as text and is reported.
 * `headless`: the stream starts inside a message's header block (an mbox that lost its
 * first `From ` line); that message is read at offset 0.
 */
export async function* splitMbox(
  stream: AsyncIterable<Buffer>,
  source: string,
  options: ReaderOptions,
  format: ArchiveFormat,
  headless = false,
): AsyncGenerator<RawMessage> {
  const onError = options.onError ?? warnOnError;
  let variant = options.mboxVariant;
  const open = (offset: number, fromLine?: string): Current => ({ offset, parts: [], size: 0, fromLine, inHeader: true, contentLength: null, measured: false });
  let cur: Current | null = headless ? open(0) : null;
  /** A `From ` line waiting for the next line to decide whether it separates. */
  let pending: { line: Buffer; offset: number } | null = null;
  /** A Content-Length body whose end (a file offset) waits for the bytes after it to be seen. */
  let body: { end: number } | null = null;
  let preamble = 0;
  let preambleOffset = 0;
  /** Input read but not split yet, from file offset heldOffset; split once it is `need` bytes. */
  let held: Buffer[] = [];
  let heldBytes = 0;
  let heldOffset = 0;
  let need = variant ? 0 : DETECT_BYTES;
  const ready: RawMessage[] = [];

  const append = (bytes: Buffer): void => {
    if (!cur) return; // preamble, counted in line()
    cur.size += bytes.length;
    if (cur.size <= MAX_MESSAGE_BYTES) cur.parts.push(bytes);
    else cur.parts = []; // reported and skipped in finish(); stop holding it
  };

  const finish = (): void => {
    if (!cur) return;
    if (cur.size > MAX_MESSAGE_BYTES) {
      onError(new MalformedMessage(source, cur.offset, `message of ${cur.size} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit; skipped`));
    } else {
      // A copy: the parts are views of 1 MiB read chunks, which must not outlive the read. Made
      // to the message's length, so that the decode pool can hand this buffer on, not a copy.
      const size = cur.measured ? cur.size : cur.size - blankLineAtEnd(cur.parts);
      ready.push({ source, offset: cur.offset, raw: Buffer.concat(cur.parts, size), format, fromLine: cur.fromLine });
    }
    cur = null;
  };

  const reportPreamble = (): void => {
    if (preamble > 0) {
      onError(new MalformedMessage(source, preambleOffset, `${preamble} bytes of text before the first "From " separator line; skipped`));
      preamble = 0;
    }
  };

  const flushRun = (buf: Buffer, runStart: { v: number }, end: number): void => {
    if (end > runStart.v) append(buf.subarray(runStart.v, end));
    runStart.v = end;
  };

  /** One complete line (with its newline, if any) at absolute file offset `offset`. */
  const line = (buf: Buffer, start: number, end: number, offset: number, runStart: { v: number }): void => {
    if (pending) {
      const p = pending;
      pending = null;
      if (startsMessage(p.line, 0, p.line.length, buf.subarray(start, end))) {
        finish();
        reportPreamble();
        cur = open(p.offset, p.line.toString('latin1').replace(/\r?\n$/, ''));
      } else {
        onError(new MalformedMessage(source, p.offset, '"From " line not followed by a header block; kept as message text'));
        if (!cur && preamble === 0) preambleOffset = p.offset;
        if (!cur) preamble += p.line.length;
        append(p.line);
      }
    }
    if (isFromLine(buf, start, end)) {
      flushRun(buf, runStart, start);
      pending = { line: Buffer.from(buf.subarray(start, end)), offset };
      runStart.v = end;
      return;
    }
    if (!cur) {
      if (!isBlank(buf, start, end)) {
        if (preamble === 0) preambleOffset = offset;
        preamble += end - start;
      }
    } else if (cur.inHeader) {
      if (!isEmptyLine(buf, start, end)) cur.contentLength ??= contentLength(buf, start, end);
      else {
        cur.inHeader = false;
        // A body too big to hold is not held to be measured: its separators end it, and it is skipped as too big.
        if (variant === 'mboxcl2' && cur.contentLength !== null && cur.contentLength <= MAX_MESSAGE_BYTES) {
          body = { end: offset + (end - start) + cur.contentLength };
        }
      }
    }
    if (variant !== 'mboxcl2') {
      const depth = quotedFromDepth(buf, start, end);
      if (depth === 1 || (depth > 1 && variant === 'mboxrd')) {
        flushRun(buf, runStart, start);
        append(buf.subarray(start + 1, end));
        runStart.v = end;
      }
    }
  };

  /**
   * Splits `buf` (file offset `base`) as far as it can and returns how many bytes it used;
   * the rest waits for more input: a cut line, or a Content-Length body and the bytes
   * after it (then `need` says how many).
   */
  const consume = (buf: Buffer, base: number, eof: boolean): number => {
    const runStart = { v: 0 };
    let start = 0;
    need = 0;
    for (;;) {
      if (body && cur) {
        const end = body.end - base;
        if (!eof && buf.length < end + SEPARATOR_LOOKAHEAD) {
          need = end + SEPARATOR_LOOKAHEAD - start;
          break;
        }
        const next = separatorAfter(buf, end, eof);
        if (next < 0) {
          const reason = `Content-Length ${cur.contentLength} does not end at a "From " line or the end of the file; split at "From " lines instead`;
          onError(new MalformedMessage(source, cur.offset, reason));
        } else {
          flushRun(buf, runStart, start);
          append(buf.subarray(start, end));
          cur.measured = true;
          start = runStart.v = next;
        }
        body = null;
        continue;
      }
      const nl = buf.indexOf(NL, start);
      if (nl === -1) break;
      line(buf, start, nl + 1, base + start, runStart);
      start = nl + 1;
    }
    if (eof && start < buf.length) {
      line(buf, start, buf.length, base + start, runStart);
      start = buf.length;
    }
    flushRun(buf, runStart, start);
    return start;
  };

  const split = (eof: boolean): void => {
    const buf = held.length === 1 ? held[0] : Buffer.concat(held, heldBytes);
    if (!variant) {
      const told = detectMboxVariant(buf, eof, headless);
      if (!told && !eof && heldBytes < DETECT_MAX_BYTES) {
        held = [buf];
        need = heldBytes * 4;
        return;
      }
      variant = told ?? 'mboxrd';
    }
    const used = consume(buf, heldOffset, eof);
    held = used < buf.length ? [buf.subarray(used)] : [];
    heldBytes = buf.length - used;
    heldOffset += used;
  };

  try {
    for await (const chunk of stream) {
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes < need) continue;
      split(false);
      for (const m of ready.splice(0)) yield m;
    }
  } catch (err) {
    onError(new MalformedMessage(source, heldOffset + heldBytes, `read failed: ${(err as Error).message}`));
  }
  split(true);
  if (pending) {
    const p: { line: Buffer; offset: number } = pending;
    onError(new MalformedMessage(source, p.offset, '"From " line at end of file with no message after it'));
    append(p.line);
  }
  finish();
  reportPreamble();
  for (const m of ready.splice(0)) yield m;
}

/** The length of the blank line that ends a message, which belongs to the mbox (a measured body has none): 0, 1 or 2. */
function blankLineAtEnd(parts: readonly Buffer[]): number {
  // The last 4 bytes, whatever parts they are in.
  const tail: number[] = [];
  for (let i = parts.length - 1; i >= 0 && tail.length < 4; i--) for (let j = parts[i]!.length - 1; j >= 0 && tail.length < 4; j--) tail.unshift(parts[i]![j]!);
  const n = tail.length;
  if (n >= 4 && tail[n - 1] === NL && tail[n - 2] === 0x0d && tail[n - 3] === NL) return 2;
  if (n >= 2 && tail[n - 1] === NL && tail[n - 2] === NL) return 1;
  return 0;
}
