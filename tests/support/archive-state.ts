// Everything an ingest derives, keyed by Message-ID rather than by row id, so that two
// databases filled in different orders (a crash and its re-runs, two writers at once)
// compare equal exactly when their archives are the same.
import { createHash } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import { MESSAGE_COLUMNS } from '../../lib/search/fields';

const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

export interface ArchiveState {
  messages: string[];
  threads: string[];
  quoteLinks: string[];
  ghostText: string[];
  index: string[];
  /** Work left undone: queued links, unindexed messages, owed derivation. Always empty after a finished run. */
  owed: { linkQueue: number; searchQueue: number; owedWork: string[] };
}

export function archiveState(file: string): ArchiveState {
  const db = new Sqlite(file, { readonly: true });
  try {
    const col = (sql: string) => (db.prepare(sql).raw().all() as unknown[][]).map((r) => r.map((v) => String(v)).join(' '));
    return {
      messages: col(`SELECT m.archiveId, m.isGhost, p.archiveId, t.rootArchiveId, m.depth, m.threadOrder,
          (SELECT group_concat(l.name) FROM (SELECT l.name FROM "MessageList" ml JOIN "List" l ON l.id = ml.listId WHERE ml.messageId = m.id ORDER BY l.name) l)
        FROM "Message" m LEFT JOIN "Message" p ON p.id = m.parentId LEFT JOIN "Thread" t ON t.id = m.threadId ORDER BY m.archiveId`),
      threads: col(`SELECT t.rootArchiveId, t.subject, t.messageCount, t.firstDate, t.lastDate,
          (SELECT group_concat(l.name) FROM (SELECT l.name FROM "ThreadList" tl JOIN "List" l ON l.id = tl.listId WHERE tl.threadId = t.id ORDER BY l.name) l)
        FROM "Thread" t ORDER BY t.rootArchiveId`),
      quoteLinks: col(`SELECT m.archiveId, q.segment, s.archiveId, q.sourceStart, q.sourceEnd, q.match, q.score
        FROM "QuoteLink" q JOIN "Message" m ON m.id = q.messageId LEFT JOIN "Message" s ON s.id = q.sourceId ORDER BY m.archiveId, q.segment`),
      ghostText: (db.prepare('SELECT m.archiveId AS id, t.body AS body FROM "Message" m LEFT JOIN "MessageText" t ON t.messageId = m.id WHERE m.isGhost = 1 ORDER BY m.archiveId').all() as Array<{ id: string; body: string | null }>)
        .map((g) => `${g.id} ${g.body === null ? 'none' : digest(g.body)}`),
      index: (db.prepare(`SELECT m.archiveId AS id, ${MESSAGE_COLUMNS.map((c) => `coalesce(f.${c}, '')`).join(` || '\u0001' || `)} AS entry, d.date
          FROM message_fts f JOIN "Message" m ON m.id = f.rowid LEFT JOIN search_dates d ON d.messageId = m.id ORDER BY m.archiveId`).all() as Array<{ id: string; entry: string; date: string | null }>)
        .map((r) => `${r.id} ${digest(r.entry)} ${r.date}`),
      owed: {
        linkQueue: (db.prepare('SELECT count(*) AS n FROM "LinkQueue"').get() as { n: number }).n,
        searchQueue: (db.prepare('SELECT count(*) AS n FROM search_queue').get() as { n: number }).n,
        owedWork: col('SELECT kind FROM "OwedWork" WHERE version > settled ORDER BY kind'),
      },
    };
  } finally {
    db.close();
  }
}

/** Nothing left to do. */
export const nothingOwed = { linkQueue: 0, searchQueue: 0, owedWork: [] };
