import type { Connection } from '../db/connection';
import { replacementStatements as sql } from '../db/replacements';
import { queueForLinking, queueQuotersOf } from '../db/link-queue';
import { rawBytes, type RawSpan } from '../db/raw';
import { completes, type CopyContent } from './same-content';

/**
 * A stored message and a copy of it with other content: whether one is the other cut
 * short (same-content.ts completes), and the complete one put in the other's place.
 * The first copy met wins otherwise (store.ts): without this, a truncated copy met
 * first was served forever and the complete one counted as another message.
 */

/** The stored message's bytes, writer and text, for completes(). Null for one without bytes. */
export function storedContent(db: Connection, messageId: number): CopyContent | null {
  const row = sql(db).content.get(messageId);
  if (!row || row.bytes === null || row.blockId === null) return null;
  const raw = rawBytes({ start: row.start ?? 0, length: row.length, block: { bytes: row.bytes, encoding: row.encoding! } });
  return { raw, fromAddress: row.fromAddress, body: row.body ?? '' };
}

/** An incoming copy's bytes (unpacked from its stored form), writer and text. */
export const incomingContent = (span: RawSpan, fromAddress: string | null, body: string): CopyContent => ({ raw: rawBytes(span), fromAddress, body });

/** Whether `incoming` is the complete form of the stored `stored`, or the reverse, or neither. */
export function compareCopies(stored: CopyContent, incoming: CopyContent): 'complete' | 'truncated' | null {
  if (completes(incoming, stored)) return 'complete';
  if (completes(stored, incoming)) return 'truncated';
  return null;
}

/**
 * In the caller's transaction, which writes the message's new fields, text and
 * attachments (store.ts): its bytes become `raw` (a span in block `blockId`), those it
 * had stay with the copies they came from (`oldSha256`), and its thread and the
 * messages quoting it are queued to be linked again (their quotes of it may link
 * further now). The search index entry follows the text (the search queue's triggers).
 */
export function replaceBytes(db: Connection, messageId: number, oldSha256: string | null, raw: { blockId: number; start: number; length: number }): void {
  const s = sql(db);
  const old = s.content.get(messageId);
  if (old?.blockId != null) s.keepCopyBytes.run(old.blockId, old.start, old.length, messageId, oldSha256 ?? '');
  s.raw.run(raw.blockId, raw.start, raw.length, messageId);
  s.dropAttachments.run(messageId);
  queueForLinking(db, messageId);
  queueQuotersOf(db, messageId);
}
