/**
 * LinkQueue: the messages whose threads are to be linked (quote links, ghost text),
 * queued in the transaction that stores or re-threads them and taken once linked
 * (lib/ingest/index.ts deriveStored), so that a crash in between leaves the work queued.
 * Queuing a message again gives it a new seq (never reused): a linker takes only the
 * requests it read, so one made while it worked stays queued.
 */
import type Sqlite from 'better-sqlite3';
import { inValues, type SqliteConnection } from './sqlite';

const statements = new WeakMap<SqliteConnection, { add: Sqlite.Statement; quoters: Sqlite.Statement }>();

function prepared(db: SqliteConnection) {
  let s = statements.get(db);
  if (!s) {
    s = {
      add: db.prepare('INSERT OR REPLACE INTO "LinkQueue" (messageId) VALUES (?)'),
      quoters: db.prepare('INSERT OR REPLACE INTO "LinkQueue" (messageId) SELECT DISTINCT messageId FROM "QuoteLink" WHERE sourceId = ?'),
    };
    statements.set(db, s);
  }
  return s;
}

export const queueForLinking = (db: SqliteConnection, messageId: number): void => void prepared(db).add.run(messageId);

/** The messages that quote `sourceId`: their links to it are to be made again. */
export const queueQuotersOf = (db: SqliteConnection, sourceId: number): void => void prepared(db).quoters.run(sourceId);

/** A request read from the queue, with the thread its message is in (null: not threaded yet, or gone). */
export interface Queued {
  seq: number;
  messageId: number;
  threadId: number | null;
  /** 1 while the message waits to be threaded: its request stays until it can be done. */
  unthreaded: number;
}

export const queuedForLinking = (db: SqliteConnection): Queued[] =>
  db.prepare<[], Queued>(`SELECT q.seq, q.messageId, m.threadId, (m.id IS NOT NULL AND m.threadId IS NULL) AS unthreaded
    FROM "LinkQueue" q LEFT JOIN "Message" m ON m.id = q.messageId`).all();

/** These requests are done; one made again since (a new seq) stays. */
export function unqueue(db: SqliteConnection, done: readonly Queued[]): void {
  db.prepare(`DELETE FROM "LinkQueue" WHERE ${inValues('seq')}`).run(JSON.stringify(done.map((q) => q.seq)));
}
