// Taking a message out of a list, or out of the archive (lib/ingest/removal.ts).
import { prepare } from './connection';
import { statementsOf } from './prepared';

/** The statements removeFromList (lib/ingest/removal.ts) runs, on either store. */
export const removalStatements = statementsOf((db) => ({
  unlist: prepare(db, 'DELETE FROM "MessageList" WHERE "messageId" = ? AND "listId" = ?'),
  remaining: prepare<[number], { listId: number }>(db, 'SELECT "listId" FROM "MessageList" WHERE "messageId" = ? ORDER BY "listId" LIMIT 1'),
  rehome: prepare(db, { sqlite: 'UPDATE "Message" SET "listId" = ? WHERE id = ? AND "listId" IS NOT ?', postgresql: 'UPDATE "Message" SET "listId" = ? WHERE id = ? AND "listId" IS DISTINCT FROM ?' }),
  raw: prepare<[number], { blockId: number; start: number; length: number | null }>(db, 'SELECT "blockId", start, length FROM "MessageRaw" WHERE "messageId" = ?'),
  keep: prepare(db, 'INSERT INTO "RemovedMessage" ("archiveId", "rawSha256", "blockId", start, length, source, "removedAt") VALUES (?, ?, ?, ?, ?, ?, ?)'),
  unquote: prepare(db, 'UPDATE "QuoteLink" SET "sourceId" = NULL WHERE "sourceId" = ?'),
  orphan: prepare(db, 'UPDATE "Message" SET "parentId" = NULL WHERE "parentId" = ?'),
  dependents: ['MessageText', 'MessageRaw', 'MessageCopy', 'Attachment', 'QuoteLink', 'Claim', 'LinkQueue', 'MessageList'].map((table) =>
    prepare(db, `DELETE FROM "${table}" WHERE "messageId" = ?`),
  ),
  message: prepare(db, 'DELETE FROM "Message" WHERE id = ?'),
}));
