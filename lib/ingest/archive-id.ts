import { createHash } from 'node:crypto';

export type IdKind = 'header' | 'derived' | 'ghost';

export const sha256Hex = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * The key a message is stored under: its Message-ID, or for mail that has
 * none an id made from its bytes, so the same file gives the same id on
 * every ingest. The `.invalid` domain (RFC 2606) marks it as not a real
 * Message-ID. `rawSha256` is sha256Hex of the message's bytes, which the
 * stored form has already (stored-form.ts), so the bytes need not be kept.
 */
export function archiveIdOf(messageId: string | null, rawSha256: string): { archiveId: string; idKind: IdKind } {
  if (messageId) return { archiveId: messageId, idKind: 'header' };
  return { archiveId: `${rawSha256.slice(0, 32)}@archive.invalid`, idKind: 'derived' };
}
