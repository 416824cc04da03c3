/**
 * LinkQueue: the messages whose threads are to be linked (quote links, ghost text),
 * queued in the transaction that stores or re-threads them and taken once linked
 * (lib/ingest/index.ts deriveStored), so that a crash in between leaves the work queued.
 * Queuing a message again gives it a new seq (never reused): a linker takes only the
 * requests it read, so one made while it worked stays queued.
 */
import { later, prepare, type Connection } from './connection';
import { statementsOf } from './prepared';
import { inValues } from './dialect';

// Queued again, a message takes a new seq: SQLite's OR REPLACE deletes and inserts the row.
const statements = statementsOf((db) => ({
  add: prepare(db, {
    sqlite: 'INSERT OR REPLACE INTO "LinkQueue" ("messageId") VALUES (?)',
    postgresql: 'INSERT INTO "LinkQueue" ("messageId") VALUES (?) ON CONFLICT ("messageId") DO UPDATE SET seq = DEFAULT',
  }),
  quoters: prepare(db, {
    sqlite: 'INSERT OR REPLACE INTO "LinkQueue" ("messageId") SELECT DISTINCT "messageId" FROM "QuoteLink" WHERE "sourceId" = ?',
    postgresql: 'INSERT INTO "LinkQueue" ("messageId") SELECT DISTINCT "messageId" FROM "QuoteLink" WHERE "sourceId" = ? ON CONFLICT ("messageId") DO UPDATE SET seq = DEFAULT',
  }),
}));

export const queueForLinking = (db: Connection, messageId: number): void => later(statements(db).add, messageId);

export const queueQuotersOf = (db: Connection, sourceId: number): void => void statements(db).quoters.run(sourceId);

export interface Queued {
  seq: number;
  messageId: number;
  threadId: number | null;
  /** 1 while the message waits to be threaded: its request stays until it can be done. */
  unthreaded: number;
}

export const queuedForLinking = (db: Connection): Queued[] =>
  prepare<[], Queued>(db, `SELECT q.seq, q."messageId", m."threadId", (m.id IS NOT NULL AND m."threadId" IS NULL) AS unthreaded
    FROM "LinkQueue" q LEFT JOIN "Message" m ON m.id = q."messageId"`).all();

/** These requests are done; one made again since (a new seq) stays. */
export function unqueue(db: Connection, done: readonly Queued[]): void {
  prepare(db, `DELETE FROM "LinkQueue" WHERE ${inValues(db, 'seq')}`).run(JSON.stringify(done.map((q) => q.seq)));
}
