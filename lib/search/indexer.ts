// Keeping the index in step with the archive. Triggers on "Message" queue
// every message whose indexed text changed (inserted, rewritten, a ghost
// made real, deleted); refreshSearchIndex() indexes the queue. Claims index
// themselves (triggers on "Claim"); scenarios are files, indexed when given.
import { immediate, type SqliteConnection } from '../db/sqlite';
import type { Scenario } from '../engine/index';
import { MESSAGE_COLUMNS, indexEntry, scenarioFields, type IndexEntry, type MessageSource } from './fields';

const BATCH = 500;

function statements(db: SqliteConnection) {
  return {
    pending: db.prepare<[number], { messageId: number }>('SELECT messageId FROM search_queue ORDER BY messageId LIMIT ?'),
    message: db.prepare<[number], MessageSource & { date: string | null }>(`SELECT m.subject, m.fromName, m.fromAddress, m.toJson, m.ccJson, coalesce(t.body, '') AS body, coalesce(t.segmentsJson, '[]') AS segmentsJson, m.date
      FROM "Message" m LEFT JOIN "MessageText" t ON t.messageId = m.id WHERE m.id = ?`),
    remove: db.prepare('DELETE FROM message_fts WHERE rowid = ?'),
    insert: db.prepare(`INSERT INTO message_fts (rowid, ${MESSAGE_COLUMNS.join(', ')}) VALUES (?, ${MESSAGE_COLUMNS.map(() => '?').join(', ')})`),
    removeDate: db.prepare('DELETE FROM search_dates WHERE messageId = ?'),
    insertDate: db.prepare('INSERT INTO search_dates (messageId, date) VALUES (?, ?)'),
    done: db.prepare('DELETE FROM search_queue WHERE messageId = ?'),
    queued: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM search_queue'),
    automerge: db.prepare<[], { v: number }>("SELECT v FROM message_fts_config WHERE k = 'automerge'"),
  };
}

const prepared = new WeakMap<SqliteConnection, ReturnType<typeof statements>>();
const statementsOf = (db: SqliteConnection) => {
  let s = prepared.get(db);
  if (!s) prepared.set(db, (s = statements(db)));
  return s;
};

/**
 * (Re)indexes these messages now, whatever the queue says: each one's old
 * row goes and its current text goes in; an id with no message left only
 * goes. Idempotent.
 */
export function indexMessages(db: SqliteConnection, messageIds: readonly number[]): void {
  const sql = statementsOf(db);
  immediate(db, () => writeIndexEntries(db, messageIds.map((id) => indexEntry(id, sql.message.get(id)))));
}

/**
 * Puts entries in the index, each replacing what it held for its message,
 * and takes them off the queue; in the caller's transaction. Quote linking
 * makes the entries of the messages it reads anyway (quotes.ts), so that
 * this thread, the one writer, does not read and split them again.
 */
export function writeIndexEntries(db: SqliteConnection, entries: readonly IndexEntry[]): void {
  const sql = statementsOf(db);
  // In rowid order: FTS5 flushes its pending terms whenever a rowid is lower than the last one.
  for (const e of [...entries].sort((a, b) => a.id - b.id)) {
    sql.remove.run(e.id);
    sql.removeDate.run(e.id);
    if (e.fields) {
      const f = e.fields;
      sql.insert.run(e.id, ...MESSAGE_COLUMNS.map((c) => f[c]));
      sql.insertDate.run(e.id, e.date);
    }
    sql.done.run(e.id);
  }
}

/** After indexing this many messages at once, the index is merged into one b-tree (0.6 s for 50,000). */
const OPTIMIZE_AFTER = 5000;

/**
 * Indexes every queued message, in batches of their own transactions so
 * that readers never wait long. Call it after ingest has stored, threaded
 * and segmented. Returns how many messages it indexed; `alreadyIndexed`
 * counts those the caller indexed since beginIndexing, for the merge.
 */
export function refreshSearchIndex(db: SqliteConnection, alreadyIndexed = 0): number {
  let n = 0;
  for (let got = indexPending(db); got > 0; got = indexPending(db)) n += got;
  settleSearchIndex(db, alreadyIndexed + n);
  return n;
}

/**
 * Indexes one batch of the queue in one transaction; returns how many (0: the queue is empty).
 * Before a bulk load it turns FTS5's incremental merging off: the merge that
 * settleSearchIndex does at the end would redo that work (about 15% of indexing).
 */
export function indexPending(db: SqliteConnection): number {
  const sql = statementsOf(db);
  beginIndexing(db);
  const ids = sql.pending.all(BATCH).map((r) => r.messageId);
  if (ids.length) indexMessages(db, ids);
  return ids.length;
}

/** Before indexing what is queued, by whatever route: a bulk load turns merging off (see indexPending). */
export function beginIndexing(db: SqliteConnection): void {
  if (!bulkLoads.has(db) && statementsOf(db).queued.get()!.n >= OPTIMIZE_AFTER) {
    setAutomerge(db, 0);
    bulkLoads.add(db);
  }
}

/** After `indexed` messages went in batch by batch: merge the index if that was a bulk load. */
export function settleSearchIndex(db: SqliteConnection, indexed: number): void {
  // Merging back on, also after a bulk load that crashed before getting here.
  if (bulkLoads.delete(db) || statementsOf(db).automerge.get()?.v === 0) setAutomerge(db, FTS5_AUTOMERGE);
  if (indexed >= OPTIMIZE_AFTER) optimizeSearchIndex(db);
}

const bulkLoads = new WeakSet<SqliteConnection>();
/** FTS5's default. */
const FTS5_AUTOMERGE = 4;

/** FTS5 takes its settings as literals only. */
function setAutomerge(db: SqliteConnection, segments: number): void {
  db.exec(`INSERT INTO message_fts (message_fts, rank) VALUES ('automerge', ${Math.trunc(segments)})`);
}

/** Empties and refills every index (messages and their dates, claims) from the tables. */
export function rebuildSearchIndex(db: SqliteConnection): number {
  immediate(db, () => {
    db.exec(`INSERT INTO message_fts (message_fts) VALUES ('delete-all');
      DELETE FROM search_dates;
      INSERT INTO search_queue (messageId) SELECT id FROM "Message" WHERE true ON CONFLICT DO NOTHING;
      INSERT INTO claim_fts (claim_fts) VALUES ('rebuild');`);
  });
  return refreshSearchIndex(db);
}

/** Merges the index's b-trees into one: queries read fewer pages. */
function optimizeSearchIndex(db: SqliteConnection): void {
  db.exec("INSERT INTO message_fts (message_fts) VALUES ('optimize')");
}

/** Replaces the indexed scenarios with these (content/scenarios as loaded by lib/scenarios). */
export function indexScenarios(db: SqliteConnection, scenarios: readonly Scenario[]): void {
  const insert = db.prepare('INSERT INTO scenario_fts (scenario, title, prose) VALUES (?, ?, ?)');
  immediate(db, () => {
    db.exec('DELETE FROM scenario_fts');
    for (const s of scenarios) {
      const { title, prose } = scenarioFields(s);
      insert.run(s.id, title, prose);
    }
  });
}
