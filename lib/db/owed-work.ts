/**
 * OwedWork: derivation that stored mail is owed, recorded in the transaction that
 * stores it, so that whichever process runs next (ingest, sync, site start) finishes
 * it after a crash. Every writer owing it again raises its version; a process that did
 * the work settles the version it read before starting, so what a writer stored
 * meanwhile stays owed. Rows are never deleted: a version is never seen twice.
 */
import { prepare, type Connection } from './connection';

/**
 * - thread: the mail queued in LinkQueue, threaded with the threads it touches;
 * - thread-all: the whole archive (after removals);
 * - thread-lists: every thread's lists (mail already stored filed under another list).
 */
export type OwedKind = 'thread' | 'thread-all' | 'thread-lists';

export function owe(db: Connection, kind: OwedKind): void {
  prepare(db, 'INSERT INTO "OwedWork" (kind) VALUES (?) ON CONFLICT (kind) DO UPDATE SET version = "OwedWork".version + 1').run(kind);
}

/** What is owed now, each with the version to settle once done. */
export function owedWork(db: Connection): Map<OwedKind, number> {
  return new Map(prepare<[], { kind: OwedKind; version: number }>(db, 'SELECT kind, version FROM "OwedWork" WHERE version > settled').all().map((r) => [r.kind, r.version]));
}

/** Whether any writer owed `kind` again after `version` was read. */
export const owedSince = (db: Connection, kind: OwedKind, version: number): boolean =>
  prepare(db, 'SELECT 1 FROM "OwedWork" WHERE kind = ? AND version > ?').get(kind, version) !== undefined;

/** The work owed up to `version` is done. */
export function settle(db: Connection, kind: OwedKind, version: number): void {
  prepare(db, {
    sqlite: 'UPDATE "OwedWork" SET settled = max(settled, ?) WHERE kind = ?',
    postgresql: 'UPDATE "OwedWork" SET settled = greatest(settled, ?) WHERE kind = ?',
  }).run(version, kind);
}
