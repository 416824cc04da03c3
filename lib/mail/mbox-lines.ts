/**
 * Tests on the lines of an mbox, in bytes, shared by the splitter (mbox.ts) and the
 * flavour detector (mbox-variant.ts). A line is buf[start, end), its newline included.
 */
export const NL = 0x0a;
const CR = 0x0d;
const F = 0x46; // 'F'
const GT = 0x3e; // '>'
const FROM_ = Buffer.from('From ');
/** An RFC 5322 header field line: printable name without colon or space, then a colon. */
const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
const CONTENT_LENGTH = /^content-length:[ \t]*(\d{1,15})[ \t]*\r?\n?$/i;

export function isHeaderLine(line: Uint8Array): boolean {
  return HEADER_LINE.test(latin1Start(line));
}

const latin1Start = (line: Uint8Array) => Buffer.from(line.buffer, line.byteOffset, Math.min(line.length, 200)).toString('latin1');

/**
 * A separator as mbox writers make it: `From `, the sender (one word, or pipermail's
 * `a at b.org`), an asctime date (`Mon Jan  3 10:00:00 [zone] 2011`). Prose that starts
 * `From ` has no such date.
 */
const SEPARATOR_LINE = /^From \S+(?: +\S+)*? +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? +(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} +\d{1,2}:\d{2}(?::\d{2})?(?: +\S+)? +\d{4}\b/;
/** A header field line a byte may have damaged (`Return\xadPath:`): a name of up to 76 bytes, not starting with white space, then a colon. */
const DAMAGED_HEADER_LINE = /^[^\s:][^:\r\n]{0,75}:/;

/**
 * Whether a `From ` line (buf[start, end)) followed by `next` starts a message. Any
 * `From ` line does when a header field line follows it. A real separator (its sender
 * and date, SEPARATOR_LINE) does too when the line after it is a field line with a bad
 * byte in its name: one byte must not glue a message, Message-ID and all, to the body
 * before it. A body's `From here on...` left unquoted (mboxo) has no date, so a field
 * line must follow it, as before: what may be prose is not split on a guess.
 */
export function startsMessage(buf: Buffer, start: number, end: number, next: Uint8Array): boolean {
  if (isHeaderLine(next)) return true;
  return DAMAGED_HEADER_LINE.test(latin1Start(next)) && SEPARATOR_LINE.test(buf.toString('latin1', start, Math.min(end, start + 300)));
}

export function isFromLine(buf: Buffer, start: number, end: number): boolean {
  return end - start >= 5 && buf[start] === F && buf.compare(FROM_, 0, 5, start, start + 5) === 0;
}

/** Length of the `>` run that quotes a `From `, or 0 if the line is not one. */
export function quotedFromDepth(buf: Buffer, start: number, end: number): number {
  let i = start;
  while (i < end && buf[i] === GT) i++;
  return i > start && isFromLine(buf, i, end) ? i - start : 0;
}

/** Nothing but white space. */
export function isBlank(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b !== NL && b !== CR && b !== 0x20 && b !== 0x09) return false;
  }
  return true;
}

/** The empty line that ends a header block. */
export function isEmptyLine(buf: Buffer, start: number, end: number): boolean {
  return (end - start === 1 && buf[start] === NL) || (end - start === 2 && buf[start] === CR && buf[start + 1] === NL);
}

/** The value of a `Content-Length: N` header line, or null if the line is none. */
export function contentLength(buf: Buffer, start: number, end: number): number | null {
  if (end - start > 64 || (buf[start] | 0x20) !== 0x63) return null; // 'c' or 'C'
  const m = CONTENT_LENGTH.exec(buf.toString('latin1', start, end));
  return m ? Number(m[1]) : null;
}

/** Bytes after a Content-Length body that separatorAfter needs to see: a CRLF blank line and `From `. */
export const SEPARATOR_LOOKAHEAD = 7;

/**
 * Where the next message's `From ` line starts when a body measured by Content-Length
 * ends at `at`: right there or after one blank line; buf.length when the input ends
 * there (`eof`) instead. -1 when anything else follows: the length is wrong. The caller
 * gives SEPARATOR_LOOKAHEAD bytes after `at` unless at the end of the input.
 */
export function separatorAfter(buf: Buffer, at: number, eof: boolean): number {
  if (at > buf.length) return -1;
  let i = at;
  if (buf[i] === NL) i += 1;
  else if (buf[i] === CR && buf[i + 1] === NL) i += 2;
  if (eof && i === buf.length) return i;
  return i + 5 <= buf.length && buf.compare(FROM_, 0, 5, i, i + 5) === 0 ? i : -1;
}
