import { deflateRawSync, inflateRawSync } from 'node:zlib';

export type RawEncoding = 'identity' | 'deflate-raw';

/**
 * The stored form of a message's bytes. Level 1 keeps most of the 3:1
 * ratio at a fraction of the cost. The window is no larger than the message
 * needs: the same output for most mail, and setting up zlib's default 32 KB
 * window and hash for every small message took some 15% of the time.
 */
export function packRaw(bytes: Uint8Array): { raw: Buffer; rawEncoding: RawEncoding } {
  const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(bytes.byteLength + 262))));
  return { raw: deflateRawSync(bytes, { level: 1, windowBits }), rawEncoding: 'deflate-raw' };
}

/** The original bytes, exactly as archived. */
export function unpackRaw(raw: Uint8Array, rawEncoding: string): Buffer {
  if (rawEncoding === 'identity') return Buffer.from(raw);
  if (rawEncoding === 'deflate-raw') return inflateRawSync(raw);
  throw new Error(`unknown raw encoding ${JSON.stringify(rawEncoding)}`);
}
