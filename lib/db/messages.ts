// Storing messages (lib/ingest/store.ts): finding what is stored, and writing
// messages, their text, raw bytes, copies, lists and attachments.
import { newRows, prepare } from './connection';
import { statementsOf } from './prepared';
import { inTexts, insertNewRow, jsonPairs } from './dialect';

const MESSAGE_FIELDS = [
  'idKind', 'claimedId', 'isGhost', 'listId', 'subject', 'fromName', 'fromAddress', 'toJson', 'ccJson', 'date', 'dateText',
  'inReplyTo', 'referencesJson', 'bodyFromHtml', 'rawSha256', 'warningsJson',
] as const;
/** The fields a copy of a message sets (lib/ingest/replacement.ts). */
const COPY_FIELDS = MESSAGE_FIELDS.filter((f) => !['idKind', 'claimedId', 'isGhost', 'listId'].includes(f));

/** The statements storeBatch (lib/ingest/store.ts) runs, on either store. */
export const messageStatements = statementsOf((db) => {
  const named = MESSAGE_FIELDS.map((f) => `@${f}`).join(', ');
  const columns = 'id, "archiveId", "isGhost", "rawSha256"';
  return {
    message: prepare<[string], StoredRow>(db, `SELECT ${columns} FROM "Message" WHERE "archiveId" = ?`),
    // The messages stored under a derived id that claimed this one.
    claiming: prepare<[string], StoredRow>(db, `SELECT ${columns} FROM "Message" WHERE "claimedId" = ?`),
    content: prepare<[number], { fromAddress: string | null; body: string | null; segmentsJson: string | null }>(
      db,
      'SELECT m."fromAddress", t.body, t."segmentsJson" FROM "Message" m LEFT JOIN "MessageText" t ON t."messageId" = m.id WHERE m.id = ?',
    ),
    copy: prepare<[string, number], { messageId: number }>(db, 'SELECT "messageId" FROM "MessageCopy" WHERE source = ? AND "offset" = ?'),
    // What a batch finds stored before it starts, in one statement each (a statement per message costs a round trip on PostgreSQL).
    messages: prepare<[string], StoredRow>(db, `SELECT ${columns} FROM "Message" WHERE ${inTexts(db, '"archiveId"')}`),
    copies: prepare<[string], { messageId: number; source: string; offset: number }>(
      db,
      `SELECT c."messageId", c.source, c."offset" FROM ${jsonPairs(db)} JOIN "MessageCopy" c ON c.source = j.first AND c."offset" = j.second`,
    ),
    inList: prepare(db, 'INSERT INTO "MessageList" ("messageId", "listId") VALUES (?, ?) ON CONFLICT DO NOTHING'),
    insertList: prepare(db, 'INSERT INTO "List" (name) VALUES (?) ON CONFLICT (name) DO NOTHING'),
    list: prepare<[string], { id: number }>(db, 'SELECT id FROM "List" WHERE name = ?'),
    // Where a search trigger fires: see insertNew.
    insertMessage: newRows<[Record<string, unknown>]>(db, 'Message', ['archiveId', ...MESSAGE_FIELDS], `@archiveId, ${named}`),
    insertText: prepare(db, insertNewRow('MessageText', ['messageId', 'body', 'segmentsJson'], '?, ?, ?')),
    // A ghost met its mail: the row becomes the message in place.
    promoteGhost: prepare(db, `UPDATE "Message" SET ${MESSAGE_FIELDS.map((f) => `"${f}" = @${f}`).join(', ')} WHERE id = @id`),
    // A complete copy in place of a truncated one: the same message, id and home list kept.
    replaceMessage: prepare(db, `UPDATE "Message" SET ${COPY_FIELDS.map((f) => `"${f}" = @${f}`).join(', ')} WHERE id = @id`),
    // A ghost may have text already, rebuilt from the quotes of it: its mail's text replaces it.
    replaceText: prepare(db, `INSERT INTO "MessageText" ("messageId", body, "segmentsJson") VALUES (?, ?, ?)
      ON CONFLICT ("messageId") DO UPDATE SET body = excluded.body, "segmentsJson" = excluded."segmentsJson"`),
    insertBlock: newRows<[Uint8Array, string]>(db, 'RawBlock', ['bytes', 'encoding'], '?, ?'),
    insertRaw: prepare(db, 'INSERT INTO "MessageRaw" ("messageId", "blockId", start, length) VALUES (?, ?, ?, ?)'),
    insertCopy: prepare(db, 'INSERT INTO "MessageCopy" ("messageId", source, "offset", "rawSha256") VALUES (?, ?, ?, ?)'),
    insertAttachment: prepare(db, 'INSERT INTO "Attachment" ("messageId", filename, "contentType", size, sha256, content) VALUES (?, ?, ?, ?, ?, ?)'),
  };
});

/** A stored message as storeBatch compares an incoming one with it. */
export interface StoredRow {
  id: number;
  archiveId: string;
  isGhost: number;
  rawSha256: string | null;
}
