import { packRaw, type RawEncoding } from '../db/raw';
import type { ParsedMessage } from '../mail/types';
import { storeSegments } from '../quote/stored';
import { segmentBody } from '../quote/segment';
import { sha256Hex } from './archive-id';

/**
 * What ingest stores of a message besides its decoded fields. Made where the
 * message is decoded (a decode-pool worker in bulk ingest), so that the
 * thread writing the database only writes.
 */
export interface StoredForm {
  raw: Uint8Array;
  rawEncoding: RawEncoding;
  rawSha256: string;
  segmentsJson: string;
}

export function storedForm(parsed: ParsedMessage): StoredForm {
  const { raw, rawEncoding } = packRaw(parsed.raw);
  return { raw, rawEncoding, rawSha256: sha256Hex(parsed.raw), segmentsJson: storeSegments(segmentBody(parsed.body)) };
}
