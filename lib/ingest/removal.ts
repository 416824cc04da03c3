import type { Connection } from '../db/connection';
import { removalStatements } from '../db/removals';
import { sqlDateTime } from '../db/sqlite';
import { queueQuotersOf } from '../db/link-queue';

/**
 * Taking a message out of a list, as its archive asked (a public-inbox `d`
 * commit, a v1 deletion). It leaves that list; when it is in no list any
 * more it leaves the archive: its row and everything hanging on it go, its
 * bytes stay (RemovedMessage points at its RawBlock span), and the messages
 * that quoted it are queued to be linked again (the quoted message becomes a
 * ghost at the next threading, as any missing parent does). The connection
 * runs without foreign keys (lib/db/sqlite.ts), so each dependent row goes
 * explicitly.
 */
export type Removal = 'unlisted' | 'removed';


/** In the caller's transaction. `source` names where the removal was met, kept with the bytes. */
export function removeFromList(
  db: Connection,
  message: { id: number; archiveId: string; rawSha256: string | null },
  listId: number,
  source: string,
): Removal {
  const sql = removalStatements(db);
  sql.unlist.run(message.id, listId);
  const other = sql.remaining.get(message.id);
  if (other) {
    sql.rehome.run(other.listId, message.id, other.listId);
    return 'unlisted';
  }
  const raw = sql.raw.get(message.id);
  sql.keep.run(message.archiveId, message.rawSha256 ?? '', raw?.blockId ?? null, raw?.start ?? 0, raw?.length ?? null, source, sqlDateTime(new Date()));
  queueQuotersOf(db, message.id);
  sql.unquote.run(message.id);
  sql.orphan.run(message.id);
  for (const d of sql.dependents) d.run(message.id);
  sql.message.run(message.id);
  return 'removed';
}
