// Keeping SQLite's index in step with the archive. Triggers on "Message"
// queue every message whose indexed text changed (inserted, rewritten, a
// ghost made real, deleted); refreshSearchIndex() indexes the queue. Claims
// index themselves (triggers on "Claim"); scenarios are files, indexed when
// given. The statements are lib/db/sqlite-search-index.ts's.
import { immediate, type SqliteConnection } from '../db/sqlite';
import {
  automergeOf, messageSourceOf, optimizeMessageIndex, queuedCount, queuedMessages, replaceScenarioIndex, resetSearchIndex, setAutomerge, writeMessageIndex,
} from '../db/sqlite-search-index';
import type { Scenario } from '../engine/index';
import { indexEntry, scenarioFields } from './fields';

const BATCH = 500;

/**
 * (Re)indexes these messages now, whatever the queue says: each one's old
 * row goes and its current text goes in; an id with no message left only
 * goes. Idempotent.
 */
export function indexMessages(db: SqliteConnection, messageIds: readonly number[]): void {
  immediate(db, () => writeMessageIndex(db, messageIds.map((id) => indexEntry(id, messageSourceOf(db, id)))));
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
  beginIndexing(db);
  const ids = queuedMessages(db, BATCH);
  if (ids.length) indexMessages(db, ids);
  return ids.length;
}

/** Before indexing what is queued, by whatever route: a bulk load turns merging off (see indexPending). */
export function beginIndexing(db: SqliteConnection): void {
  if (!bulkLoads.has(db) && queuedCount(db) >= OPTIMIZE_AFTER) {
    setAutomerge(db, 0);
    bulkLoads.add(db);
  }
}

/** After `indexed` messages went in batch by batch: merge the index if that was a bulk load. */
export function settleSearchIndex(db: SqliteConnection, indexed: number): void {
  // Merging back on, also after a bulk load that crashed before getting here.
  if (bulkLoads.delete(db) || automergeOf(db) === 0) setAutomerge(db, FTS5_AUTOMERGE);
  if (indexed >= OPTIMIZE_AFTER) optimizeMessageIndex(db);
}

const bulkLoads = new WeakSet<SqliteConnection>();
/** FTS5's default. */
const FTS5_AUTOMERGE = 4;

/** Empties and refills every index (messages and their dates, claims) from the tables. */
export function rebuildSearchIndex(db: SqliteConnection): number {
  immediate(db, () => resetSearchIndex(db));
  return refreshSearchIndex(db);
}

/** Replaces the indexed scenarios with these (content/scenarios as loaded by lib/scenarios). */
export function indexScenarios(db: SqliteConnection, scenarios: readonly Scenario[]): void {
  immediate(db, () => replaceScenarioIndex(db, scenarios.map((s) => ({ scenario: s.id, ...scenarioFields(s) }))));
}
