/**
 * Control characters in header fields: a NUL or an escape byte in a Subject, a name or a
 * Message-ID is line noise, not text. Kept, it is cut off or dropped differently by each
 * reader of the stored value (SQLite's length() stops at a NUL, an HTML parser drops it,
 * a terminal obeys an escape), so the values ingest stores are made without them. Only
 * those characters go: the text after them is kept whole.
 */

/** C0 controls but TAB (a header's folding whitespace), DEL, and the C1 controls. */
const CONTROL_CHARS = /[\x00-\x08\x0a-\x1f\x7f-\x9f]+/g;

/** `text` without its control characters (TAB kept). */
export function withoutControlChars(text: string): string {
  return text.replace(CONTROL_CHARS, '');
}
