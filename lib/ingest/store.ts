import type { SqliteConnection } from '../db/sqlite';
import { insertNew, sqlDateTime } from '../db/sqlite';
import type { ParsedMessage } from '../mail/types';
import { archiveIdOf } from './archive-id';
import type { StoredForm } from './stored-form';
import type { PackedBlock } from '../db/raw';

export interface Incoming {
  /** Without its bytes: the stored form has them, packed. */
  parsed: Omit<ParsedMessage, 'raw'>;
  stored: StoredForm;
  list: string;
}

export interface BatchCounts {
  /** New messages (including ghosts that became real). */
  added: number;
  /** New copies of messages already stored (same Message-ID, another file or place). */
  duplicates: number;
  /** Copies already recorded by an earlier ingest of the same file. */
  unchanged: number;
}

const MESSAGE_FIELDS = [
  'idKind', 'isGhost', 'listId', 'subject', 'fromName', 'fromAddress', 'toJson', 'ccJson', 'date', 'dateText',
  'inReplyTo', 'referencesJson', 'bodyFromHtml', 'rawSha256', 'warningsJson',
] as const;

function statements(db: SqliteConnection) {
  const named = MESSAGE_FIELDS.map((f) => `@${f}`).join(', ');
  return {
    message: db.prepare<[string], { id: number; isGhost: number }>('SELECT id, isGhost FROM "Message" WHERE archiveId = ?'),
    copy: db.prepare<[string, number], { id: number }>('SELECT id FROM "MessageCopy" WHERE source = ? AND "offset" = ?'),
    insertList: db.prepare('INSERT INTO "List" (name) VALUES (?) ON CONFLICT (name) DO NOTHING'),
    list: db.prepare<[string], { id: number }>('SELECT id FROM "List" WHERE name = ?'),
    // OR IGNORE where a search trigger fires: see insertNew.
    insertMessage: db.prepare(`INSERT OR IGNORE INTO "Message" (archiveId, ${MESSAGE_FIELDS.join(', ')}) VALUES (@archiveId, ${named})`),
    insertText: db.prepare('INSERT OR IGNORE INTO "MessageText" (messageId, body, segmentsJson) VALUES (?, ?, ?)'),
    // A ghost met its mail: the row becomes the message in place.
    promoteGhost: db.prepare(`UPDATE "Message" SET ${MESSAGE_FIELDS.map((f) => `"${f}" = @${f}`).join(', ')} WHERE id = @id`),
    // A ghost may have text already, rebuilt from the quotes of it: its mail's text replaces it.
    replaceText: db.prepare(`INSERT INTO "MessageText" (messageId, body, segmentsJson) VALUES (?, ?, ?)
      ON CONFLICT (messageId) DO UPDATE SET body = excluded.body, segmentsJson = excluded.segmentsJson`),
    insertBlock: db.prepare('INSERT INTO "RawBlock" (bytes, encoding) VALUES (?, ?)'),
    insertRaw: db.prepare('INSERT INTO "MessageRaw" (messageId, blockId, start, length) VALUES (?, ?, ?, ?)'),
    queueLink: db.prepare('INSERT OR IGNORE INTO "LinkQueue" (messageId) VALUES (?)'),
    insertCopy: db.prepare('INSERT INTO "MessageCopy" (messageId, source, "offset", rawSha256) VALUES (?, ?, ?, ?)'),
    insertAttachment: db.prepare('INSERT INTO "Attachment" (messageId, filename, contentType, size, sha256, content) VALUES (?, ?, ?, ?, ?, ?)'),
  };
}

const prepared = new WeakMap<SqliteConnection, ReturnType<typeof statements>>();
/**
 * The RawBlock row of each block stored, by connection: a block's messages may be
 * stored by two batches. Only rows of batches whose transaction went through are here.
 */
const storedBlocks = new WeakMap<SqliteConnection, WeakMap<PackedBlock, number>>();

/**
 * Stores one batch in one transaction: a crash leaves either the whole batch
 * or none of it, and a re-run skips what is already there. A copy is keyed
 * by (file, byte offset), so re-ingesting a file adds nothing.
 */
export function storeBatch(db: SqliteConnection, batch: Incoming[]): BatchCounts {
  const counts: BatchCounts = { added: 0, duplicates: 0, unchanged: 0 };
  if (batch.length === 0) return counts;
  let q = prepared.get(db);
  if (!q) prepared.set(db, (q = statements(db)));
  const sql = q;
  const keyed = batch.map((item) => ({ ...item, ...archiveIdOf(item.parsed.messageId, item.stored.rawSha256) }));
  const committed = storedBlocks.get(db) ?? new WeakMap<PackedBlock, number>();
  storedBlocks.set(db, committed);
  // A block goes in with the first of its messages stored: none of them new, none of it.
  const fresh = new Map<PackedBlock, number>();
  const blockId = (block: PackedBlock) => {
    let id = committed.get(block) ?? fresh.get(block);
    if (id === undefined) fresh.set(block, (id = Number(sql.insertBlock.run(block.bytes, block.encoding).lastInsertRowid)));
    return id;
  };

  db.transaction(() => {
    const listIds = new Map<string, number>();
    const listId = (name: string) => {
      let id = listIds.get(name);
      if (id === undefined) {
        sql.insertList.run(name);
        listIds.set(name, (id = sql.list.get(name)!.id));
      }
      return id;
    };
    for (const k of keyed) {
      const p = k.parsed;
      if (sql.copy.get(p.source, p.offset)) {
        counts.unchanged++;
        continue;
      }
      const known = sql.message.get(k.archiveId);
      let messageId: number;
      if (known && !known.isGhost) {
        counts.duplicates++;
        messageId = known.id;
      } else {
        counts.added++;
        const row = {
          idKind: k.idKind, isGhost: 0, listId: listId(k.list), subject: p.subject, fromName: p.from.name, fromAddress: p.from.address,
          toJson: JSON.stringify(p.to), ccJson: JSON.stringify(p.cc), date: sqlDateTime(p.date), dateText: null,
          inReplyTo: p.inReplyTo, referencesJson: JSON.stringify(p.references), bodyFromHtml: p.bodyFromHtml ? 1 : 0,
          rawSha256: k.stored.rawSha256, warningsJson: JSON.stringify(p.warnings),
        };
        if (known) {
          sql.promoteGhost.run({ ...row, id: known.id });
          messageId = known.id;
          sql.replaceText.run(messageId, p.body, k.stored.segmentsJson);
        } else {
          messageId = insertNew(sql.insertMessage, { ...row, archiveId: k.archiveId });
          insertNew(sql.insertText, messageId, p.body, k.stored.segmentsJson);
        }
        sql.queueLink.run(messageId); // its thread is linked after threading (deriveStored)
        const { block, start, length } = k.stored.raw;
        sql.insertRaw.run(messageId, blockId(block), start, length);
        for (const a of p.attachments) sql.insertAttachment.run(messageId, a.filename, a.contentType, a.size, a.sha256, Buffer.from(a.content));
      }
      sql.insertCopy.run(messageId, p.source, p.offset, k.stored.rawSha256);
    }
  })();
  for (const [block, id] of fresh) committed.set(block, id);
  return counts;
}
