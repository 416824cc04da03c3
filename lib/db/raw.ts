import { promisify } from 'node:util';
import { deflateRaw, inflateRawSync, constants } from 'node:zlib';

export type RawEncoding = 'identity' | 'deflate-raw';

const deflate = promisify(deflateRaw);

/**
 * The stored form of a message's bytes. Level 1 keeps most of the 3:1
 * ratio at a fraction of the cost; zlib's async call runs on libuv's thread
 * pool, beside the main thread.
 */
export async function packRaw(bytes: Uint8Array): Promise<{ raw: Buffer; rawEncoding: RawEncoding }> {
  return { raw: await deflate(bytes, { level: 1, strategy: constants.Z_DEFAULT_STRATEGY }), rawEncoding: 'deflate-raw' };
}

/** The original bytes, exactly as archived. */
export function unpackRaw(raw: Uint8Array, rawEncoding: string): Buffer {
  if (rawEncoding === 'identity') return Buffer.from(raw);
  if (rawEncoding === 'deflate-raw') return inflateRawSync(raw);
  throw new Error(`unknown raw encoding ${JSON.stringify(rawEncoding)}`);
}
