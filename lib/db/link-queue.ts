/**
 * LinkQueue: the messages whose threads are to be linked (quote links, ghost text),
 * queued in the transaction that stores or re-threads them and taken once linked
 * (lib/ingest/index.ts deriveStored), so that a crash in between leaves the work queued.
 */
import type Sqlite from 'better-sqlite3';
import { inValues, type SqliteConnection } from './sqlite';

const statements = new WeakMap<SqliteConnection, { add: Sqlite.Statement; quoters: Sqlite.Statement }>();

function prepared(db: SqliteConnection) {
  let s = statements.get(db);
  if (!s) {
    s = {
      add: db.prepare('INSERT INTO "LinkQueue" (messageId) VALUES (?) ON CONFLICT DO NOTHING'),
      quoters: db.prepare('INSERT INTO "LinkQueue" (messageId) SELECT DISTINCT messageId FROM "QuoteLink" WHERE sourceId = ? ON CONFLICT DO NOTHING'),
    };
    statements.set(db, s);
  }
  return s;
}

export const queueForLinking = (db: SqliteConnection, messageId: number): void => void prepared(db).add.run(messageId);

/** The messages that quote `sourceId`: their links to it are to be made again. */
export const queueQuotersOf = (db: SqliteConnection, sourceId: number): void => void prepared(db).quoters.run(sourceId);

export const queuedForLinking = (db: SqliteConnection): number[] =>
  db.prepare<[], { messageId: number }>('SELECT messageId FROM "LinkQueue"').all().map((r) => r.messageId);

export function unqueue(db: SqliteConnection, messageIds: readonly number[]): void {
  db.prepare(`DELETE FROM "LinkQueue" WHERE ${inValues('messageId')}`).run(JSON.stringify(messageIds));
}
