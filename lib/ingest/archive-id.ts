import { createHash } from 'node:crypto';

export type IdKind = 'header' | 'derived' | 'ghost';

export const sha256Hex = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * The key a message is stored under: its Message-ID, or for mail that has
 * none an id made from its bytes, so the same file gives the same id on
 * every ingest. The `.invalid` domain (RFC 2606) marks it as not a real
 * Message-ID.
 */
export function archiveIdOf(messageId: string | null, raw: Uint8Array): { archiveId: string; idKind: IdKind } {
  if (messageId) return { archiveId: messageId, idKind: 'header' };
  return { archiveId: `${sha256Hex(raw).slice(0, 32)}@archive.invalid`, idKind: 'derived' };
}
