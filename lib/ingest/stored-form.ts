import { packRaw, type RawSpan } from '../db/raw';
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
  /** Its bytes: a span of a block packed with those of the messages decoded with it. */
  raw: RawSpan;
  rawSha256: string;
  segmentsJson: string;
}

/** The stored forms of messages decoded together: their bytes go in one block (lib/db/raw.ts). */
export function storedForms(messages: readonly ParsedMessage[]): StoredForm[] {
  const spans = packRaw(messages.map((m) => m.raw));
  return messages.map((m, i) => ({ raw: spans[i]!, rawSha256: sha256Hex(m.raw), segmentsJson: storeSegments(segmentBody(m.body)) }));
}

export const storedForm = (parsed: ParsedMessage): StoredForm => storedForms([parsed])[0]!;
