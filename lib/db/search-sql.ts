// The statements a search runs, in the SQL both engines read, and the shape
// each engine's dialect gives them (sqlite-search.ts, postgres-search.ts):
// how text queries are written, where each kind of hit is read from, how it
// is matched and ranked. lib/search lowers a parsed query into a plan (a text
// query and a tree of conditions, lib/search/lower.ts) and runs a search as a
// sequence of these statements (lib/search/search.ts); a driver runs them.
import { sqlDateTime } from './sqlite';

/** A statement and its bound parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** A message's text as the index reads it: what lib/search/fields.ts splits into the index's fields. */
export interface MessageSource {
  subject: string;
  fromName: string | null;
  fromAddress: string | null;
  toJson: string;
  ccJson: string;
  body: string;
  segmentsJson: string;
}

/** The statements a search runs, yielded one at a time; each gets its rows back. */
export type Steps<T> = Generator<Statement, T, Array<Record<string, unknown>>>;

/** A phrase of folded words (one word is a phrase of one), searched in some of its kind's fields. */
export interface Phrase {
  words: readonly string[];
  /** The last word is a prefix. */
  prefix: boolean;
  fields: readonly string[];
  /** All of the kind's indexed fields, in the index's order. */
  kindFields: readonly string[];
}

/** How an engine writes a text query. Its expressions only ever hold folded words, never user syntax. */
export interface TextSyntax {
  /** The phrase; null when the engine's index cannot hold it (it matches nothing). */
  term(phrase: Phrase): string | null;
  /** All of them (two or more). */
  and(qs: readonly string[]): string;
  /** Any of them. */
  or(qs: readonly string[]): string;
  /** `q`, but none of `excluded`. */
  without(q: string, excluded: readonly string[]): string;
}

/** What narrows hits by their message, outside the text query: d:, mid: and l:. */
export type MessageFilter =
  | { type: 'date'; from: Date | null; to: Date | null }
  | { type: 'mid'; id: string }
  | { type: 'list'; name: string };

/** What a hit must satisfy besides the driving text query: a tree of text queries and filters. */
export type Condition =
  | { kind: 'text'; q: string }
  | { kind: 'filter'; filter: MessageFilter }
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'const'; value: boolean };

/**
 * A query lowered for one kind of hit. `match` drives the search through
 * the index (and its rank); `where` holds what else a hit must satisfy.
 * `match` is null when no text term is required at the top (d:2010 alone, a
 * OR d:2010, -a). `never` when nothing can match (a prefix this kind lacks, required).
 */
export interface Plan {
  match: string | null;
  where: Condition | null;
  never: boolean;
}

/**
 * Where a kind's hits are read from. `from` answers relevance order and the
 * count; `fromByDate` adds what date order needs. `row` names the hit for
 * the conditions. `text` is how the index answers the text query: the
 * condition that a hit matches it (one parameter, the query) and its rank
 * for it, higher better; none where hits are found by filters alone.
 */
export interface Shape<Row> {
  from: string;
  fromByDate: string;
  row: Row;
  id: string;
  date: string | null;
  text?: { matches: string; score(match: string): Statement };
}

/** What an engine's SQL says differently. Everything else is written once, below, in SQL both read. */
export interface SearchDialect<Row> {
  text: TextSyntax;
  /** The hit, named by `row`, matches the text query `q`. */
  matches(q: string, row: Row): Statement;
  /** The hit's message is one the filter lets through. */
  filter(filter: MessageFilter, row: Row): Statement;
  /** Messages are found through the index when the query has words, through their dates when it has only filters. */
  messagesByText: Shape<Row>;
  messagesByFilter: Shape<Row>;
  claims: Shape<Row>;
  scenarios: Shape<Row>;
  /** `column` is one of `ids`. */
  idsIn(column: string, ids: readonly number[]): Statement;
  /** An instant column as ISO 8601 text. */
  isoDate(column: string): string;
  /** A condition true of every row, to AND into a statement's WHERE (SQLite's budget clock); null for none. */
  rowCheck(id: string): string | null;
  /**
   * The count of the rows of `from` that `where` lets through (n) and the id `rank` places
   * down from the highest (cutoff, null when there are fewer), in one pass over them;
   * null where the engine makes two passes as cheap (count, then the cutoff).
   */
  countWithCutoff(from: string, where: Statement, id: string, rank: number): Statement | null;
}

function conditionSql<Row>(c: Condition, row: Row, dialect: SearchDialect<Row>): Statement {
  switch (c.kind) {
    case 'text':
      return dialect.matches(c.q, row);
    case 'filter':
      return dialect.filter(c.filter, row);
    case 'const':
      return { sql: c.value ? 'TRUE' : 'FALSE', params: [] };
    case 'not': {
      const inner = conditionSql(c.item, row, dialect);
      return { sql: `NOT (${inner.sql})`, params: inner.params };
    }
    case 'and':
    case 'or': {
      const parts = c.items.map((i) => conditionSql(i, row, dialect));
      return { sql: parts.map((p) => `(${p.sql})`).join(c.kind === 'and' ? ' AND ' : ' OR '), params: parts.flatMap((p) => p.params) };
    }
  }
}

/** A d: range on a date column, its ends as sqlDateTime writes them: SQLite stores them so, PostgreSQL reads them as the UTC timestamps it stores. */
export function dateRange(filter: { from: Date | null; to: Date | null }, column: string): Statement {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (filter.from) sql.push(`${column} >= ?`), params.push(sqlDateTime(filter.from));
  if (filter.to) sql.push(`${column} < ?`), params.push(sqlDateTime(filter.to));
  return { sql: sql.join(' AND '), params };
}

/**
 * The message ids d:, mid: and l: let through, each read from an index.
 * `dates` is the table of the index's dates (a "messageId" and its "date").
 */
export function messageIdsFiltered(filter: MessageFilter, dates: string): Statement {
  switch (filter.type) {
    case 'date': {
      const range = dateRange(filter, '"date"');
      return { sql: `SELECT "messageId" FROM ${dates} WHERE ${range.sql}`, params: range.params };
    }
    case 'mid':
      return { sql: 'SELECT id FROM "Message" WHERE "archiveId" = ?', params: [filter.id] };
    case 'list': {
      // By name (linux-mm) or List-Id (linux-mm.kvack.org), any of the lists a message was delivered
      // to; a ghost, which has none, is in its thread's.
      const name = filter.name.toLowerCase();
      const lists = 'SELECT id FROM "List" WHERE lower(name) IN (?, ?)';
      return {
        sql: `SELECT "messageId" FROM "MessageList" WHERE "listId" IN (${lists})
          UNION ALL SELECT m.id FROM "Message" m JOIN "ThreadList" tl ON tl."threadId" = m."threadId" WHERE m."isGhost" = TRUE AND tl."listId" IN (${lists})`,
        params: [name, name.split('.')[0], name, name.split('.')[0]],
      };
    }
  }
}

/** Which hits of a kind a search reads, in which order: a page of them, and how many best-match order ranks at most. */
export interface Window {
  sort: 'relevance' | 'date';
  limit: number;
  offset: number;
  rank: number;
}

/**
 * The ids of one page of a kind's hits, ranked, and the total. Past
 * `window.rank` matches, best-match order ranks only that many, the most
 * recently archived (the highest ids, which the index finds without scoring).
 */
export function* rankedIds<Row>(dialect: SearchDialect<Row>, plan: Plan, shape: Shape<Row>, window: Window): Steps<{ rows: Array<{ id: number; score: number | null }>; total: number; rankedAmong?: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const check = dialect.rowCheck(shape.id);
  if (check) where.push(check);
  if (plan.match) where.push(shape.text!.matches), params.push(plan.match);
  if (plan.where) {
    const w = conditionSql(plan.where, shape.row, dialect);
    where.push(`(${w.sql})`), params.push(...w.params);
  }
  const filter = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const ranked = plan.match !== null && (window.sort === 'relevance' || !shape.date);
  const both = ranked ? dialect.countWithCutoff(shape.from, { sql: filter, params }, shape.id, window.rank) : null;
  let total: number;
  let cutoff: unknown = null;
  if (both) {
    const [row] = yield both;
    total = Number(row.n);
    if (total > window.rank) cutoff = row.cutoff;
  } else {
    total = Number((yield { sql: `SELECT CAST(count(*) AS INTEGER) AS n FROM ${shape.from}${filter}`, params })[0].n);
    if (ranked && total > window.rank) {
      cutoff = (yield { sql: `SELECT ${shape.id} AS id FROM ${shape.from}${filter} ORDER BY ${shape.id} DESC LIMIT 1 OFFSET ?`, params: [...params, window.rank - 1] })[0].id;
    }
  }
  const cut = cutoff === null || cutoff === undefined ? '' : ` AND ${shape.id} >= ${Number(cutoff)}`;
  const score = ranked ? shape.text!.score(plan.match!) : { sql: 'NULL', params: [] };
  const rows = yield {
    sql: `SELECT ${shape.id} AS id, ${score.sql} AS score FROM ${ranked ? shape.from : shape.fromByDate}${filter}${cut}
      ORDER BY ${ranked ? 'score DESC' : `${shape.date} DESC NULLS LAST`}, id DESC LIMIT ? OFFSET ?`,
    params: [...score.params, ...params, window.limit, window.offset],
  };
  return {
    rows: rows.map((r) => ({ id: Number(r.id), score: r.score === null ? null : Number(r.score) })),
    total,
    ...(cut ? { rankedAmong: window.rank } : {}),
  };
}

/** A message hit as the results show it, with its thread and list. */
export interface MessageHitRow extends MessageSource {
  id: number;
  archiveId: string;
  isGhost: number | boolean;
  /** ISO 8601. */
  date: string | null;
  threadId: number | null;
  list: string | null;
  threadSubject: string | null;
  threadSize: number | null;
  threadRoot: string | null;
}

/** The rows of `select` (its FROM and the rest; one parameter list) whose `column` is one of `ids`, by id. */
function* rowsById<R extends { id: number }, Row>(dialect: SearchDialect<Row>, select: string, column: string, ids: readonly number[]): Steps<Map<number, R>> {
  const among = dialect.idsIn(column, ids);
  const rows = (yield { sql: `${select} WHERE ${among.sql}`, params: among.params }) as unknown as R[];
  return new Map(rows.map((r) => [Number(r.id), r]));
}

/** The messages with these ids, by id. */
export function* messageHitRows<Row>(dialect: SearchDialect<Row>, ids: readonly number[]): Steps<Map<number, MessageHitRow>> {
  return yield* rowsById<MessageHitRow, Row>(dialect, `SELECT m.id, m."archiveId", m."isGhost", m.subject, m."fromName", m."fromAddress", m."toJson", m."ccJson", ${dialect.isoDate('m.date')} AS date,
      coalesce(x.body, '') AS body, coalesce(x."segmentsJson", '[]') AS "segmentsJson", m."threadId",
      coalesce(l.name, tl.name) AS list, t.subject AS "threadSubject", t."messageCount" AS "threadSize", t."rootArchiveId" AS "threadRoot"
    FROM "Message" m LEFT JOIN "MessageText" x ON x."messageId" = m.id LEFT JOIN "Thread" t ON t.id = m."threadId"
      LEFT JOIN "List" l ON l.id = m."listId" LEFT JOIN "List" tl ON tl.id = t."listId"`, 'm.id', ids);
}

/** A claim hit, with the message it is anchored to and that message's list. */
export interface ClaimHitRow {
  id: number;
  key: string;
  statement: string;
  claimant: string;
  exact: string;
  kind: string;
  verdict: string;
  archiveId: string | null;
  list: string | null;
}

/** The claims with these ids, by id. */
export function* claimHitRows<Row>(dialect: SearchDialect<Row>, ids: readonly number[]): Steps<Map<number, ClaimHitRow>> {
  return yield* rowsById<ClaimHitRow, Row>(dialect, `SELECT c.id, c.key, c.statement, c.claimant, c.exact, c.kind, c.verdict, m."archiveId", coalesce(l.name, tl.name) AS list
    FROM "Claim" c LEFT JOIN "Message" m ON m.id = c."messageId" LEFT JOIN "List" l ON l.id = m."listId"
      LEFT JOIN "Thread" t ON t.id = m."threadId" LEFT JOIN "List" tl ON tl.id = t."listId"`, 'c.id', ids);
}

/** A scenario hit: the scenario's id, and the text it is indexed by. */
export interface ScenarioHitRow {
  id: number;
  scenario: string;
  title: string;
  prose: string;
}

/** The indexed scenarios with these ids (the index's own, not the scenarios'), by id. */
export function* scenarioHitRows<Row>(dialect: SearchDialect<Row>, ids: readonly number[]): Steps<Map<number, ScenarioHitRow>> {
  const shape = dialect.scenarios;
  return yield* rowsById<ScenarioHitRow, Row>(dialect, `SELECT ${shape.id} AS id, scenario, title, prose FROM ${shape.from}`, shape.id, ids);
}
