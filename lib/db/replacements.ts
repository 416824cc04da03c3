// A complete copy of a message in place of a truncated one (lib/ingest/replacement.ts).
import { prepare } from './connection';
import { statementsOf } from './prepared';

/** The statements a complete copy replacing a truncated one runs (lib/ingest/replacement.ts), on either store. */
export const replacementStatements = statementsOf((db) => ({
  content: prepare<[number], { fromAddress: string | null; body: string | null; blockId: number | null; start: number | null; length: number | null; bytes: Uint8Array | null; encoding: string | null }>(
    db,
    `SELECT m."fromAddress", t.body, r."blockId", r.start, r.length, b.bytes, b.encoding FROM "Message" m
     LEFT JOIN "MessageText" t ON t."messageId" = m.id LEFT JOIN "MessageRaw" r ON r."messageId" = m.id LEFT JOIN "RawBlock" b ON b.id = r."blockId"
     WHERE m.id = ?`,
  ),
  // The replaced copies keep their bytes where they are: their MessageCopy rows point at them.
  keepCopyBytes: prepare(db, 'UPDATE "MessageCopy" SET "blockId" = ?, start = ?, length = ? WHERE "messageId" = ? AND "rawSha256" = ? AND "blockId" IS NULL'),
  raw: prepare(db, 'UPDATE "MessageRaw" SET "blockId" = ?, start = ?, length = ? WHERE "messageId" = ?'),
  dropAttachments: prepare(db, 'DELETE FROM "Attachment" WHERE "messageId" = ?'),
}));
