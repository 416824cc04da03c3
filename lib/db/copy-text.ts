// COPY's text format, for the rows PostgreSQL takes in bulk (ingest's writer,
// db:copy): values between tabs, a line a row.

/**
 * One value as COPY's text: \N for NULL, bytes as bytea's hex input, anything
 * else as its text with backslash, tab, newline and carriage return escaped, for
 * the column's own input function (as a quoted literal would be).
 */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (value instanceof Uint8Array) return `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`not a number a column can hold: ${value}`);
  return String(value).replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!);
}

/** A row as a line of COPY's text. */
export const copyLine = (values: readonly unknown[]): string => `${values.map(copyField).join('\t')}\n`;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
