// SQLite's search index as it is written: the FTS5 tables, search_dates and
// the queue the triggers on "Message" fill (the search migration). What goes
// in, and when, lib/search/indexer.ts decides.
import { statementsOf } from './prepared';
import type { MessageSource } from './search-sql';
import type { SqliteConnection } from './sqlite';

const statements = statementsOf((db: SqliteConnection) => {
  // The FTS5 table's own columns, in its order: a message's entry names its values by column.
  const columns = (db.prepare('SELECT name FROM pragma_table_info(?)').all('message_fts') as Array<{ name: string }>).map((c) => c.name);
  return {
    columns,
    pending: db.prepare<[number], { messageId: number }>('SELECT messageId FROM search_queue ORDER BY messageId LIMIT ?'),
    message: db.prepare<[number], MessageSource & { date: string | null }>(`SELECT m.subject, m.fromName, m.fromAddress, m.toJson, m.ccJson, coalesce(t.body, '') AS body, coalesce(t.segmentsJson, '[]') AS segmentsJson, m.date
      FROM "Message" m LEFT JOIN "MessageText" t ON t.messageId = m.id WHERE m.id = ?`),
    remove: db.prepare('DELETE FROM message_fts WHERE rowid = ?'),
    insert: db.prepare(`INSERT INTO message_fts (rowid, ${columns.join(', ')}) VALUES (?, ${columns.map(() => '?').join(', ')})`),
    removeDate: db.prepare('DELETE FROM search_dates WHERE messageId = ?'),
    insertDate: db.prepare('INSERT INTO search_dates (messageId, date) VALUES (?, ?)'),
    done: db.prepare('DELETE FROM search_queue WHERE messageId = ?'),
    queued: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM search_queue'),
    automerge: db.prepare<[], { v: number }>("SELECT v FROM message_fts_config WHERE k = 'automerge'"),
  };
});

/** The message with this id as the index reads it, and its date; undefined when there is none. */
export const messageSourceOf = (db: SqliteConnection, id: number) => statements(db).message.get(id);

/** What one message puts in the index: its text by column and its date; no fields when the message is gone. */
export interface IndexedMessage {
  id: number;
  date: string | null;
  fields: Readonly<Record<string, string>> | null;
}

/** Puts these entries in the index, each replacing what it held for its message, and takes them off the queue. */
export function writeMessageIndex(db: SqliteConnection, entries: readonly IndexedMessage[]): void {
  const sql = statements(db);
  // In rowid order: FTS5 flushes its pending terms whenever a rowid is lower than the last one.
  for (const e of [...entries].sort((a, b) => a.id - b.id)) {
    sql.remove.run(e.id);
    sql.removeDate.run(e.id);
    if (e.fields) {
      const f = e.fields;
      sql.insert.run(e.id, ...sql.columns.map((c) => f[c]));
      sql.insertDate.run(e.id, e.date);
    }
    sql.done.run(e.id);
  }
}

/** The first `limit` messages queued for indexing. */
export const queuedMessages = (db: SqliteConnection, limit: number): number[] => statements(db).pending.all(limit).map((r) => r.messageId);

/** How many messages are queued for indexing. */
export const queuedCount = (db: SqliteConnection): number => statements(db).queued.get()!.n;

/** FTS5's automerge setting, when one was set; 0 is merging off. */
export const automergeOf = (db: SqliteConnection): number | undefined => statements(db).automerge.get()?.v;

/** FTS5 takes its settings as literals only. */
export function setAutomerge(db: SqliteConnection, segments: number): void {
  db.exec(`INSERT INTO message_fts (message_fts, rank) VALUES ('automerge', ${Math.trunc(segments)})`);
}

/** Merges the index's b-trees into one: queries read fewer pages. */
export function optimizeMessageIndex(db: SqliteConnection): void {
  db.exec("INSERT INTO message_fts (message_fts) VALUES ('optimize')");
}

/** Empties the message index and queues every message for it again; rebuilds the claims' index from "Claim". */
export function resetSearchIndex(db: SqliteConnection): void {
  db.exec(`INSERT INTO message_fts (message_fts) VALUES ('delete-all');
    DELETE FROM search_dates;
    INSERT INTO search_queue (messageId) SELECT id FROM "Message" WHERE true ON CONFLICT DO NOTHING;
    INSERT INTO claim_fts (claim_fts) VALUES ('rebuild');`);
}

/** Replaces the indexed scenarios with these, in the caller's transaction. */
export function replaceScenarioIndex(db: SqliteConnection, scenarios: ReadonlyArray<{ scenario: string; title: string; prose: string }>): void {
  const insert = db.prepare('INSERT INTO scenario_fts (scenario, title, prose) VALUES (?, ?, ?)');
  db.exec('DELETE FROM scenario_fts');
  for (const s of scenarios) insert.run(s.scenario, s.title, s.prose);
}
