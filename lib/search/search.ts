// Running a query: messages (grouped by thread), claims and scenarios, each
// ranked by the engine's rank or by date, paged, with highlighted snippets.
// One executor for both engines: it yields the statements it needs (Steps)
// and gets their rows back, SQLite's driver at once (search() below), PostgreSQL's
// awaiting them (postgres/search.ts); what differs is the Dialect's SQL.
import type { QueryBudget } from '../db/budget';
import { MAX_PAGE, messageHref, threadHref } from '../archive/urls';
import { compile, type RowNames } from './compile';
import type { Compiled, Sql } from './lower';
import { BODY_COLUMNS, messageFields, type MessageColumn } from './fields';
import { highlight, opening, snippet, type Part } from './match';
import { patternsFor } from './highlight';
import type { QueryNode } from './query/ast';
import { parseQuery } from './query/parse';
import { HIT_FIELDS, type HitKind } from './prefixes';
import { claimTarget, FIELD_WEIGHTS, messageTarget, scenarioTarget } from './targets';

export type SortOrder = 'relevance' | 'date';

export interface SearchOptions {
  page?: number;
  perPage?: number;
  sort?: SortOrder;
  /** The instant relative dates count back from. */
  now?: Date;
  /** At most how many matches best-match order ranks (RANK_WINDOW). */
  rankWindow?: number;
  /** Stops the statements once spent (the search workers run every search within one). */
  budget?: QueryBudget;
}

export interface MessageHit {
  id: number;
  archiveId: string;
  isGhost: boolean;
  list: string | null;
  subject: Part[];
  from: string;
  /** ISO 8601, UTC. */
  date: string | null;
  /** The engine's rank (BM25 on SQLite, ts_rank on PostgreSQL), higher is better; null when sorted by date or no words were searched. */
  score: number | null;
  snippet: Part[];
  /** The message permalink, ?q= carrying the query for highlighting there. */
  href: string | null;
}

export interface ThreadGroup {
  threadId: number | null;
  subject: string;
  /** Messages in the whole thread. */
  size: number;
  href: string | null;
  hits: MessageHit[];
}

export interface ClaimHit {
  key: string;
  statement: Part[];
  claimant: string;
  kind: string;
  verdict: string;
  /** The words of the message the claim is anchored to, marked. */
  snippet: Part[];
  /** The engine's rank, higher is better; null when sorted by date. */
  score: number | null;
  href: string | null;
}

export interface ScenarioHit {
  id: string;
  title: Part[];
  snippet: Part[];
  score: number;
}

export interface Page<T> {
  total: number;
  /**
   * Set when more matched than best-match order ranks: the order is then
   * the best among this many most recently archived matches.
   */
  rankedAmong?: number;
  hits: T;
}

export interface SearchResults {
  query: string;
  sort: SortOrder;
  page: number;
  perPage: number;
  /** Pages of the longest of the three lists (as far as best-match order ranks). */
  pages: number;
  messages: Page<ThreadGroup[]>;
  claims: Page<ClaimHit[]>;
  scenarios: Page<ScenarioHit[]>;
}

export const PER_PAGE = 20;

/**
 * BM25 costs FTS5 a walk over every match's positions: some 25 ms for 35,000
 * matches here, past the budget of a search (ts_rank reads every match's
 * tsvector likewise). Best-match order therefore ranks at most this many
 * matches, the most recently archived (the highest ids, which the index finds
 * without scoring); the count stays exact.
 */
export const RANK_WINDOW = 5000;

/** The statements a search runs, yielded one at a time; each gets its rows back. */
export type Steps<T> = Generator<Sql, T, Array<Record<string, unknown>>>;

/**
 * Where a kind's hits are read from. `from` answers relevance order and the
 * count; `fromByDate` adds what date order needs. `row` names the hit for
 * the compiled conditions. `text` is how the index answers the text query:
 * the condition that a hit matches it (one parameter, the query) and its
 * rank for it, higher better; none where hits are found by filters alone.
 */
export interface Shape<Row> {
  from: string;
  fromByDate: string;
  row: Row;
  id: string;
  date: string | null;
  text?: { matches: string; score(match: string): Sql };
}

/** What an engine's SQL says differently. Everything else is written once, below, in SQL both read. */
export interface Dialect<Row> {
  compile(parsed: QueryNode, hit: HitKind): Compiled<Row>;
  /** Messages are found through the index when the query has words, through their dates when it has only filters. */
  messagesByText: Shape<Row>;
  messagesByFilter: Shape<Row>;
  claims: Shape<Row>;
  scenarios: Shape<Row>;
  /** `column` is one of `ids`. */
  idsIn(column: string, ids: readonly number[]): Sql;
  /** An instant column as ISO 8601 text. */
  isoDate(column: string): string;
  /** A condition true of every row, to AND into a statement's WHERE (SQLite's budget clock); null for none. */
  rowCheck(id: string): string | null;
}

/** A search, as statements: any engine's driver runs them (sqlite/search.ts, postgres/search.ts). */
export function* searchSteps<Row>(query: string, options: SearchOptions, dialect: Dialect<Row>): Steps<SearchResults> {
  const parsed = parseQuery(query, options.now);
  const sort = options.sort ?? 'relevance';
  const perPage = Math.min(Math.max(1, Math.trunc(options.perPage ?? PER_PAGE)), 200);
  const page = Math.min(MAX_PAGE, Math.max(1, Math.trunc(options.page ?? 1) || 1));
  const window = { limit: perPage, offset: (page - 1) * perPage, rank: options.rankWindow ?? RANK_WINDOW };
  const ask: Ask<Row> = { dialect, parsed, query, sort, window };
  const messages = yield* searchMessages(ask);
  const claims = yield* searchClaims(ask);
  const scenarios = yield* searchScenarios(ask);
  const pages = Math.max(1, ...[messages, claims, scenarios].map((k) => Math.ceil((k.rankedAmong ?? k.total) / perPage)));
  return { query, sort, page, perPage, pages, messages, claims, scenarios };
}

interface Ask<Row> {
  dialect: Dialect<Row>;
  parsed: QueryNode;
  query: string;
  sort: SortOrder;
  window: { limit: number; offset: number; rank: number };
}

/** The ids of one page, ranked, and the total. */
function* rankedIds<Row>(ask: Ask<Row>, c: Compiled<Row>, shape: Shape<Row>): Steps<{ rows: Array<{ id: number; score: number | null }>; total: number; rankedAmong?: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const check = ask.dialect.rowCheck(shape.id);
  if (check) where.push(check);
  if (c.match) where.push(shape.text!.matches), params.push(c.match);
  if (c.where) {
    const w = c.where(shape.row);
    where.push(`(${w.sql})`), params.push(...w.params);
  }
  const filter = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const total = Number((yield { sql: `SELECT CAST(count(*) AS INTEGER) AS n FROM ${shape.from}${filter}`, params })[0].n);
  const ranked = c.match !== null && (ask.sort === 'relevance' || !shape.date);
  let window = '';
  if (ranked && total > ask.window.rank) {
    const [cutoff] = yield { sql: `SELECT ${shape.id} AS id FROM ${shape.from}${filter} ORDER BY ${shape.id} DESC LIMIT 1 OFFSET ?`, params: [...params, ask.window.rank - 1] };
    window = ` AND ${shape.id} >= ${Number(cutoff.id)}`;
  }
  const score = ranked ? shape.text!.score(c.match!) : { sql: 'NULL', params: [] };
  const rows = yield {
    sql: `SELECT ${shape.id} AS id, ${score.sql} AS score FROM ${ranked ? shape.from : shape.fromByDate}${filter}${window}
      ORDER BY ${ranked ? 'score DESC' : `${shape.date} DESC NULLS LAST`}, id DESC LIMIT ? OFFSET ?`,
    params: [...score.params, ...params, ask.window.limit, ask.window.offset],
  };
  return {
    rows: rows.map((r) => ({ id: Number(r.id), score: r.score === null ? null : Number(r.score) })),
    total,
    ...(window ? { rankedAmong: ask.window.rank } : {}),
  };
}

interface MessageRow {
  id: number;
  archiveId: string;
  isGhost: number | boolean;
  subject: string;
  fromName: string | null;
  fromAddress: string | null;
  toJson: string;
  ccJson: string;
  date: string | null;
  body: string;
  segmentsJson: string;
  threadId: number | null;
  list: string | null;
  threadSubject: string | null;
  threadSize: number | null;
  threadRoot: string | null;
}

/** The hit's message as a page links it, with the query for highlighting there. */
const hitHref = (query: string, list: string | null, archiveId: string | null) =>
  list && archiveId ? `${messageHref(list, archiveId)}?q=${encodeURIComponent(query)}` : null;

function* searchMessages<Row>(ask: Ask<Row>): Steps<Page<ThreadGroup[]>> {
  const c = ask.dialect.compile(ask.parsed, 'message');
  if (c.never) return { total: 0, hits: [] };
  const { rows, total, rankedAmong } = yield* rankedIds(ask, c, c.match ? ask.dialect.messagesByText : ask.dialect.messagesByFilter);
  if (rows.length === 0) return { total, hits: [] };
  const ids = ask.dialect.idsIn('m.id', rows.map((r) => r.id));
  const details = new Map(
    ((yield {
      sql: `SELECT m.id, m."archiveId", m."isGhost", m.subject, m."fromName", m."fromAddress", m."toJson", m."ccJson", ${ask.dialect.isoDate('m.date')} AS date,
          coalesce(x.body, '') AS body, coalesce(x."segmentsJson", '[]') AS "segmentsJson", m."threadId",
          coalesce(l.name, tl.name) AS list, t.subject AS "threadSubject", t."messageCount" AS "threadSize", t."rootArchiveId" AS "threadRoot"
        FROM "Message" m LEFT JOIN "MessageText" x ON x."messageId" = m.id LEFT JOIN "Thread" t ON t.id = m."threadId"
          LEFT JOIN "List" l ON l.id = m."listId" LEFT JOIN "List" tl ON tl.id = t."listId"
        WHERE ${ids.sql}`,
      params: ids.params,
    }) as unknown as MessageRow[]).map((r) => [Number(r.id), r]),
  );
  const subjectPatterns = patternsFor(ask.parsed, 'message', ['subject']);
  const bodyPatterns = BODY_COLUMNS.map((col) => [col, patternsFor(ask.parsed, 'message', [col])] as const);
  // Only the columns a snippet may come from: those the query searches, and the text an opening is cut from.
  const wanted: MessageColumn[] = ['new_text', 'quoted_text', ...bodyPatterns.filter(([, p]) => p.length).map(([col]) => col)];
  const groups: ThreadGroup[] = [];
  const byThread = new Map<number, ThreadGroup>();
  for (const { id, score } of rows) {
    const m = details.get(id);
    if (!m) continue;
    const fields = messageFields(m, wanted);
    // The first body column, in order of preference, where the query's words are.
    let shown: Part[] | null = null;
    for (const [col, patterns] of bodyPatterns) if (!shown && patterns.length) shown = snippet(fields[col], patterns);
    const hit: MessageHit = {
      id, archiveId: m.archiveId, isGhost: Boolean(m.isGhost), list: m.list,
      subject: highlight(m.subject, subjectPatterns),
      from: m.fromName && m.fromAddress ? `${m.fromName} <${m.fromAddress}>` : (m.fromName ?? m.fromAddress ?? ''),
      date: m.date && new Date(m.date).toISOString(),
      score, snippet: shown ?? opening(fields.new_text || fields.quoted_text),
      href: hitHref(ask.query, m.list, m.archiveId),
    };
    let g = m.threadId === null ? undefined : byThread.get(m.threadId);
    if (!g) {
      g = {
        threadId: m.threadId, subject: m.threadSubject ?? m.subject, size: m.threadSize ?? 1,
        href: m.list && m.threadRoot ? threadHref(m.list, m.threadRoot) : null, hits: [],
      };
      groups.push(g);
      if (m.threadId !== null) byThread.set(m.threadId, g);
    }
    g.hits.push(hit);
  }
  return { total, ...(rankedAmong ? { rankedAmong } : {}), hits: groups };
}

interface ClaimRow {
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

function* searchClaims<Row>(ask: Ask<Row>): Steps<Page<ClaimHit[]>> {
  const c = ask.dialect.compile(ask.parsed, 'claim');
  // Claims and scenarios answer words; a query of filters alone is about mail.
  if (c.never || !c.match) return { total: 0, hits: [] };
  const { rows, total } = yield* rankedIds(ask, c, ask.dialect.claims);
  if (rows.length === 0) return { total, hits: [] };
  const ids = ask.dialect.idsIn('c.id', rows.map((r) => r.id));
  const claims = new Map(((yield {
    sql: `SELECT c.id, c.key, c.statement, c.claimant, c.exact, c.kind, c.verdict, m."archiveId", coalesce(l.name, tl.name) AS list
      FROM "Claim" c LEFT JOIN "Message" m ON m.id = c."messageId" LEFT JOIN "List" l ON l.id = m."listId"
        LEFT JOIN "Thread" t ON t.id = m."threadId" LEFT JOIN "List" tl ON tl.id = t."listId"
      WHERE ${ids.sql}`,
    params: ids.params,
  }) as unknown as ClaimRow[]).map((r) => [Number(r.id), r]));
  const statementPatterns = patternsFor(ask.parsed, 'claim', ['statement']);
  const exactPatterns = patternsFor(ask.parsed, 'claim', ['exact']);
  const hits = rows.map(({ id, score }) => {
    const r = claims.get(id)!;
    return {
      key: r.key, statement: highlight(r.statement, statementPatterns), claimant: r.claimant, kind: r.kind, verdict: r.verdict,
      snippet: snippet(r.exact, exactPatterns) ?? opening(r.exact), score, href: hitHref(ask.query, r.list, r.archiveId),
    };
  });
  return { total, hits };
}

function* searchScenarios<Row>(ask: Ask<Row>): Steps<Page<ScenarioHit[]>> {
  const c = ask.dialect.compile(ask.parsed, 'scenario');
  if (c.never || !c.match) return { total: 0, hits: [] };
  const shape = ask.dialect.scenarios;
  const { rows, total } = yield* rankedIds(ask, c, shape);
  if (rows.length === 0) return { total, hits: [] };
  const ids = ask.dialect.idsIn(shape.id, rows.map((r) => r.id));
  const scenarios = new Map(((yield { sql: `SELECT ${shape.id} AS id, scenario, title, prose FROM ${shape.from} WHERE ${ids.sql}`, params: ids.params }) as unknown as
    Array<{ id: number; scenario: string; title: string; prose: string }>).map((r) => [Number(r.id), r]));
  const titlePatterns = patternsFor(ask.parsed, 'scenario', ['title']);
  const prosePatterns = patternsFor(ask.parsed, 'scenario', ['prose']);
  const hits = rows.map(({ id, score }) => {
    const r = scenarios.get(id)!;
    return { id: r.scenario, title: highlight(r.title, titlePatterns), snippet: snippet(r.prose, prosePatterns) ?? opening(r.prose), score: score! };
  });
  return { total, hits };
}
