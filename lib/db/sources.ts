// The Source table: where ingest reads from and how far it got (lib/ingest/sources.ts).
import { prepare } from './connection';
import { statementsOf } from './prepared';

/** The statements lib/ingest/sources.ts runs, on either store. */
export const sourceStatements = statementsOf((db) => ({
  recorded: prepare<[], { path: string; kind: string; list: string | null; mbox: string | null }>(db, 'SELECT path, kind, list, mbox FROM "Source" ORDER BY id'),
  source: prepare<[string], { stateJson: string; list: string | null; mbox: string | null }>(db, 'SELECT "stateJson", list, mbox FROM "Source" WHERE path = ?'),
  // The files copies were stored from, under a folder (its path and '/' up to its path and '0'): a range scan of (source, offset).
  copiedFrom: prepare<[string, string], { source: string }>(db, {
    sqlite: 'SELECT DISTINCT source FROM "MessageCopy" WHERE source >= ? AND source < ?',
    // Byte order, as SQLite's: a locale's collation may weigh '/' and '0' otherwise.
    postgresql: 'SELECT DISTINCT source FROM "MessageCopy" WHERE source COLLATE "C" >= ? AND source COLLATE "C" < ?',
  }),
  save: prepare(db, `INSERT INTO "Source" (path, kind, list, mbox, "stateJson", "readAt") VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, list = excluded.list, mbox = excluded.mbox, "stateJson" = excluded."stateJson", "readAt" = excluded."readAt"`),
}));
