/**
 * Streaming mbox splitter. Reads any size of file chunk by chunk (node:fs streams),
 * keeps each message's byte offset, undoes `>From ` quoting, and reports broken
 * separators without losing the rest of the file.
 */
import { createReadStream } from 'node:fs';
import { MAX_MESSAGE_BYTES } from './limits';
import { MalformedMessage, type ArchiveFormat, type RawMessage } from './types';

export type MboxVariant = 'mboxrd' | 'mboxo';

export interface ReaderOptions {
  /**
   * Called for every problem a reader gets past (unreadable file, text before the
   * first separator, a `From ` line with no header block after it, an oversized
   * message). Reading goes on. Default: console.warn.
   */
  onError?: (error: MalformedMessage) => void;
  /**
   * mboxrd (default) removes one `>` from every `>+From ` line; mboxo only turns
   * `>From ` into `From `. The file cannot tell which it is: ponymail's mbox-vm
   * archives are mboxrd, its lists.a.o and mail-archives.a.o exports are mboxo.
   */
  mboxVariant?: MboxVariant;
}

export const warnOnError = (error: MalformedMessage): void => console.warn(error.message);

export function readMbox(path: string, options: ReaderOptions = {}): AsyncGenerator<RawMessage> {
  return splitMbox(createReadStream(path, { highWaterMark: 1 << 20 }), path, options, 'mbox');
}

const NL = 0x0a;
const F = 0x46; // 'F'
const GT = 0x3e; // '>'
const FROM_ = Buffer.from('From ');
/** An RFC 5322 header field line: printable name without colon or space, then a colon. */
const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;

export function isHeaderLine(line: Uint8Array): boolean {
  return HEADER_LINE.test(Buffer.from(line.buffer, line.byteOffset, Math.min(line.length, 200)).toString('latin1'));
}

function isFromLine(buf: Buffer, start: number, end: number): boolean {
  return end - start >= 5 && buf[start] === F && buf.compare(FROM_, 0, 5, start, start + 5) === 0;
}

/** Length of the `>` run that quotes a `From `, or 0 if the line is not one. */
function quotedFromDepth(buf: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end && buf[i] === GT) i++;
  return i > start && isFromLine(buf, i, end) ? i - start : 0;
}

function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b !== NL && b !== 0x0d && b !== 0x20 && b !== 0x09) return false;
  }
  return true;
}

interface Current {
  offset: number;
  parts: Buffer[];
  size: number;
  /** The separator line, passed on as RawMessage.fromLine (its date is a fallback for Date). */
  fromLine: string;
}

/**
 * Splits an mbox byte stream. Exported for the pipermail monthly reader, which feeds
 * it a gunzipped stream. A `From ` line counts as a separator only when a header
 * line follows it; otherwise it stays in the message as text and is reported.
 */
export async function* splitMbox(
  stream: AsyncIterable<Buffer>,
  source: string,
  options: ReaderOptions,
  format: ArchiveFormat,
): AsyncGenerator<RawMessage> {
  const onError = options.onError ?? warnOnError;
  const unescapeAll = (options.mboxVariant ?? 'mboxrd') === 'mboxrd';
  let cur: Current | null = null;
  /** A `From ` line waiting for the next line to decide whether it separates. */
  let pending: { line: Buffer; offset: number } | null = null;
  let preamble = 0;
  let preambleOffset = 0;
  let carry: Buffer | null = null;
  let carryOffset = 0;
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
      // A copy: the parts are views of 1 MiB read chunks, which must not outlive the read.
      let raw = Buffer.concat(cur.parts, cur.size);
      // The blank line before the next separator belongs to the mbox, not the message.
      if (raw.length >= 4 && raw[raw.length - 1] === NL && raw[raw.length - 2] === 0x0d && raw[raw.length - 3] === NL) raw = raw.subarray(0, raw.length - 2);
      else if (raw.length >= 2 && raw[raw.length - 1] === NL && raw[raw.length - 2] === NL) raw = raw.subarray(0, raw.length - 1);
      ready.push({ source, offset: cur.offset, raw, format, fromLine: cur.fromLine });
    }
    cur = null;
  };

  const reportPreamble = (): void => {
    if (preamble > 0) {
      onError(new MalformedMessage(source, preambleOffset, `${preamble} bytes of text before the first "From " separator line; skipped`));
      preamble = 0;
    }
  };

  /** One complete line (with its newline, if any) at absolute file offset `offset`. */
  const line = (buf: Buffer, start: number, end: number, offset: number, runStart: { v: number }): void => {
    if (pending) {
      const p = pending;
      pending = null;
      if (isHeaderLine(buf.subarray(start, end))) {
        finish();
        reportPreamble();
        cur = { offset: p.offset, parts: [], size: 0, fromLine: p.line.toString('latin1').replace(/\r?\n$/, '') };
      } else {
        onError(new MalformedMessage(source, p.offset, '"From " line not followed by a header block; kept as message text'));
        if (!cur && preamble === 0) preambleOffset = p.offset;
        if (!cur) preamble += p.line.length;
        append(p.line);
      }
    }
    const first = buf[start];
    if (first === F && isFromLine(buf, start, end)) {
      flushRun(buf, runStart, start);
      pending = { line: Buffer.from(buf.subarray(start, end)), offset };
      runStart.v = end;
      return;
    }
    if (!cur && !isBlank(buf, start, end)) {
      if (preamble === 0) preambleOffset = offset;
      preamble += end - start;
    }
    if (first === GT) {
      const depth = quotedFromDepth(buf, start, end);
      if (depth === 1 || (depth > 1 && unescapeAll)) {
        flushRun(buf, runStart, start);
        append(buf.subarray(start + 1, end));
        runStart.v = end;
      }
    }
  };

  const flushRun = (buf: Buffer, runStart: { v: number }, end: number): void => {
    if (end > runStart.v) append(buf.subarray(runStart.v, end));
    runStart.v = end;
  };

  try {
    for await (const chunk of stream) {
      const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      const base = carryOffset; // file offset of buf[0]
      const runStart = { v: 0 };
      let start = 0;
      for (let nl = buf.indexOf(NL, 0); nl !== -1; nl = buf.indexOf(NL, start)) {
        line(buf, start, nl + 1, base + start, runStart);
        start = nl + 1;
      }
      flushRun(buf, runStart, start);
      carry = start < buf.length ? Buffer.from(buf.subarray(start)) : null;
      carryOffset = base + start;
      for (const m of ready.splice(0)) yield m;
    }
  } catch (err) {
    onError(new MalformedMessage(source, carryOffset, `read failed: ${(err as Error).message}`));
  }
  if (carry) {
    const runStart = { v: 0 };
    line(carry, 0, carry.length, carryOffset, runStart);
    flushRun(carry, runStart, carry.length);
  }
  if (pending) {
    const p: { line: Buffer; offset: number } = pending;
    onError(new MalformedMessage(source, p.offset, '"From " line at end of file with no message after it'));
    append(p.line);
  }
  finish();
  reportPreamble();
  for (const m of ready.splice(0)) yield m;
}
