// Quote links and ghost text (lib/ingest/quotes.ts): reading threads to link,
// writing their links and the text of their ghosts.
import { prepare } from './connection';
import { statementsOf } from './prepared';
import { insertJsonRows, inValues } from './dialect';
import type { MessageSource } from './search-sql';

/** A thread member as linking reads it, with what the search index reads of it. */
export interface MemberRow extends MessageSource {
  id: number;
  threadId: number;
  archiveId: string;
  isGhost: number;
  parentId: number | null;
  date: string | null;
  /** 1 when the message waits in the search queue. */
  queued: number;
  /** 1 when the message waits to be linked (LinkQueue): stored, or given another parent, since its thread was linked. */
  fresh: number;
}

const LINK_COLUMNS = [
  ['messageId', 'int'], ['segment', 'int'], ['sourceId', 'int'], ['sourceStart', 'int'], ['sourceEnd', 'int'], ['match', 'text'], ['score', 'double precision'],
] as const;

/** The statements lib/ingest/quotes.ts runs, on either store. */
export const linkStatements = statementsOf((db) => ({
  // Mail stored before segmentation existed.
  unsegmented: prepare<[], { id: number; body: string }>(
    db,
    `SELECT t."messageId" AS id, t.body FROM "MessageText" t JOIN "Message" m ON m.id = t."messageId" WHERE m."isGhost" = false AND t."segmentsJson" = '[]' AND t.body <> ''`,
  ),
  setSegments: prepare<[string, number]>(db, 'UPDATE "MessageText" SET "segmentsJson" = ? WHERE "messageId" = ?'),
  // The members of the threads in a JSON array, thread by thread, in thread order.
  members: prepare<[string], MemberRow>(
    db,
    `SELECT m.id, m."threadId", m."archiveId", m."isGhost", m."parentId", coalesce(t.body, '') AS body, coalesce(t."segmentsJson", '[]') AS "segmentsJson",
      m.subject, m."fromName", m."fromAddress", m."toJson", m."ccJson", m.date, EXISTS (SELECT 1 FROM search_queue q WHERE q."messageId" = m.id) AS queued,
      EXISTS (SELECT 1 FROM "LinkQueue" l WHERE l."messageId" = m.id) AS fresh
    FROM "Message" m LEFT JOIN "MessageText" t ON t."messageId" = m.id WHERE ${inValues(db, 'm."threadId"')} ORDER BY m."threadId", m."threadOrder"`,
  ),
  // Only while it is a ghost: a plan read before another writer stored the message itself is stale there.
  setGhost: prepare<[string, string, number]>(db, `INSERT INTO "MessageText" (body, "segmentsJson", "messageId") SELECT ?, ?, id FROM "Message" WHERE id = ? AND "isGhost" = true
    ON CONFLICT ("messageId") DO UPDATE SET body = excluded.body, "segmentsJson" = excluded."segmentsJson"`),
  // Links go in as one JSON array per transaction, in key order: a statement per link cost a
  // quarter more (the bench corpus's 347,514 links: 1.13 s against 0.87 s).
  dropLinks: prepare<[string]>(db, `DELETE FROM "QuoteLink" WHERE ${inValues(db, '"messageId"')}`),
  insertLinks: prepare<[string]>(db, insertJsonRows(db, 'QuoteLink', LINK_COLUMNS)),
}));
