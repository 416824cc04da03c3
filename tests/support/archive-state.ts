// Everything an ingest derives, keyed by Message-ID rather than by row id, so that two
// databases filled in different orders (a crash and its re-runs, two writers at once)
// compare equal exactly when their archives are the same; on either store, so that an
// archive ingested on SQLite and one ingested on PostgreSQL compare too (portable()).
import { createHash } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import { withPostgres } from '../../lib/db/postgres-client';
import { backendOf, sqlitePath } from '../../lib/db/url';
import { MESSAGE_COLUMNS } from '../../lib/search/fields';

const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

export interface ArchiveState {
  messages: string[];
  threads: string[];
  quoteLinks: string[];
  ghostText: string[];
  /** Each message in the search index, with the date it is found by. */
  indexed: string[];
  /** The words each message is indexed by, as the store keeps them (FTS5's columns, PostgreSQL's tsvector): compares only on one store. */
  words: string[];
  /** Work left undone: queued links, unindexed messages, owed derivation. Always empty after a finished run. */
  owed: { linkQueue: number; searchQueue: number; owedWork: string[] };
}

/** Nothing left to do. */
export const nothingOwed = { linkQueue: 0, searchQueue: 0, owedWork: [] };

/** The state without what only compares within one store. */
export const portable = ({ words: _, ...rest }: ArchiveState): Omit<ArchiveState, 'words'> => rest;

/** What the two stores write differently; the queries below are otherwise one text for both. */
interface Dialect {
  /** A DateTime as SQLite stores it (sqlDateTime: ISO 8601 with +00:00); PostgreSQL's timestamp without zone is UTC. */
  date(column: string): string;
  /** The names a subquery gives (`SELECT name … WHERE …`), joined by commas in byte order. */
  names(select: string): string;
  /** The search index, one row a message: "messageId", date, words. */
  searchIndex: string;
}

const dialects: Record<'sqlite' | 'postgresql', Dialect> = {
  sqlite: {
    date: (column) => column,
    names: (select) => `(SELECT group_concat(name) FROM (${select} ORDER BY name))`,
    searchIndex: `(SELECT f.rowid AS "messageId", d.date AS date, ${MESSAGE_COLUMNS.map((c) => `coalesce(f.${c}, '')`).join(` || '\u0001' || `)} AS words
      FROM message_fts f LEFT JOIN search_dates d ON d."messageId" = f.rowid)`,
  },
  postgresql: {
    date: (column) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"+00:00"')`,
    names: (select) => `(SELECT string_agg(name, ',' ORDER BY name COLLATE "C") FROM (${select}) n)`,
    searchIndex: `(SELECT "messageId", date, document::text AS words FROM message_search)`,
  },
};

/**
 * One query per part, each row a line. No ORDER BY: the lines are sorted in JavaScript,
 * the same on both stores whatever their collations. Booleans are read as 0/1.
 */
const queries = (d: Dialect) => ({
  messages: `SELECT m."archiveId", CASE WHEN m."isGhost" THEN 1 ELSE 0 END, p."archiveId", t."rootArchiveId", m.depth, m."threadOrder",
      ${d.names(`SELECT l.name FROM "MessageList" ml JOIN "List" l ON l.id = ml."listId" WHERE ml."messageId" = m.id`)}
    FROM "Message" m LEFT JOIN "Message" p ON p.id = m."parentId" LEFT JOIN "Thread" t ON t.id = m."threadId"`,
  threads: `SELECT t."rootArchiveId", t.subject, t."messageCount", ${d.date('t."firstDate"')}, ${d.date('t."lastDate"')},
      ${d.names(`SELECT l.name FROM "ThreadList" tl JOIN "List" l ON l.id = tl."listId" WHERE tl."threadId" = t.id`)}
    FROM "Thread" t`,
  quoteLinks: `SELECT m."archiveId", q.segment, s."archiveId", q."sourceStart", q."sourceEnd", q.match, q.score
    FROM "QuoteLink" q JOIN "Message" m ON m.id = q."messageId" LEFT JOIN "Message" s ON s.id = q."sourceId"`,
  ghostText: `SELECT m."archiveId", t.body FROM "Message" m LEFT JOIN "MessageText" t ON t."messageId" = m.id WHERE m."isGhost"`,
  // A LEFT JOIN: an entry left behind by a message deleted shows as one.
  index: `SELECT coalesce(m."archiveId", '(no message)'), ${d.date('i.date')}, i.words FROM ${d.searchIndex} i LEFT JOIN "Message" m ON m.id = i."messageId"`,
  linkQueue: `SELECT count(*) FROM "LinkQueue"`,
  searchQueue: 'SELECT count(*) FROM search_queue',
  owedWork: 'SELECT kind FROM "OwedWork" WHERE version > settled',
});

type Rows = Record<keyof ReturnType<typeof queries>, unknown[][]>;

function stateOf(rows: Rows): ArchiveState {
  const lines = (rs: unknown[][]) => rs.map((r) => r.map((v) => String(v)).join(' ')).sort();
  return {
    messages: lines(rows.messages),
    threads: lines(rows.threads),
    quoteLinks: lines(rows.quoteLinks),
    ghostText: lines(rows.ghostText.map(([id, body]) => [id, body === null ? 'none' : digest(String(body))])),
    indexed: lines(rows.index.map(([id, date]) => [id, date])),
    words: lines(rows.index.map(([id, , words]) => [id, digest(String(words))])),
    owed: {
      linkQueue: Number(rows.linkQueue[0]![0]),
      searchQueue: Number(rows.searchQueue[0]![0]),
      owedWork: lines(rows.owedWork),
    },
  };
}

/** The state of the store at `url`: an SQLite file (`file:`) or a PostgreSQL database. */
export function archiveState(url: string): Promise<ArchiveState> {
  return backendOf(url) === 'postgresql' ? postgresState(url) : Promise.resolve(sqliteState(sqlitePath(url)));
}

function sqliteState(file: string): ArchiveState {
  const db = new Sqlite(file, { readonly: true });
  try {
    const all = Object.entries(queries(dialects.sqlite)).map(([part, sql]) => [part, db.prepare(sql).raw().all() as unknown[][]]);
    return stateOf(Object.fromEntries(all) as Rows);
  } finally {
    db.close();
  }
}

async function postgresState(url: string): Promise<ArchiveState> {
  return withPostgres(url, async (client) => {
    // One snapshot for every part, should a writer still be at work.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const all: Array<[string, unknown[][]]> = [];
    for (const [part, text] of Object.entries(queries(dialects.postgresql))) all.push([part, (await client.query<unknown[]>({ text, rowMode: 'array' })).rows]);
    await client.query('COMMIT');
    return stateOf(Object.fromEntries(all) as Rows);
  });
}
