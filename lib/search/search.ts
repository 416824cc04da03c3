// Running a query: messages (grouped by thread), claims and scenarios, each
// ranked by BM25 or by date, paged, with highlighted snippets.
import { inValues, type SqliteConnection } from '../db/sqlite';
import type { QueryBudget } from '../db/budget';
import { MAX_PAGE, messageHref, threadHref } from '../archive/urls';
import { compile, type Compiled, type RowNames, type Target } from './compile';
import { BODY_COLUMNS, MESSAGE_COLUMNS, messageFields, type MessageColumn } from './fields';
import { highlight, opening, snippet, type Part } from './match';
import { patternsFor } from './highlight';
import type { QueryNode } from './query/ast';
import { parseQuery } from './query/parse';
import { claimTarget, MESSAGE_WEIGHTS, messageTarget, scenarioTarget } from './targets';

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
  /** BM25, higher is better; null when sorted by date or no words were searched. */
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
  /** BM25, higher is better; null when sorted by date. */
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
 * matches here, past the budget of a search. Best-match order therefore
 * ranks at most this many matches, the most recently archived (the highest
 * rowids, which FTS5 finds without scoring); the count stays exact.
 */
export const RANK_WINDOW = 5000;

/**
 * Runs a query. A query that does not parse throws QuerySyntaxError (with
 * its position); nothing else about the query's text can make it throw.
 */
export function search(db: SqliteConnection, query: string, options: SearchOptions = {}): SearchResults {
  const parsed = parseQuery(query, options.now);
  const sort = options.sort ?? 'relevance';
  const perPage = Math.min(Math.max(1, Math.trunc(options.perPage ?? PER_PAGE)), 200);
  const page = Math.min(MAX_PAGE, Math.max(1, Math.trunc(options.page ?? 1) || 1));
  const window = { limit: perPage, offset: (page - 1) * perPage, rank: options.rankWindow ?? RANK_WINDOW };
  const ask = { db, parsed, query, sort, window, budget: options.budget };
  const messages = searchMessages(ask);
  const claims = searchClaims(ask);
  const scenarios = searchScenarios(ask);
  const pages = Math.max(1, ...[messages, claims, scenarios].map((k) => Math.ceil((k.rankedAmong ?? k.total) / perPage)));
  return { query, sort, page, perPage, pages, messages, claims, scenarios };
}

interface Ask {
  db: SqliteConnection;
  parsed: QueryNode;
  query: string;
  sort: SortOrder;
  window: { limit: number; offset: number; rank: number };
  budget: QueryBudget | undefined;
}

/**
 * Where a kind's hits are read from. `from` answers relevance order and the
 * count; `fromByDate` adds what date order needs. `row` names the hit for
 * the compiled conditions (a unary + keeps SQLite from handing an IN list
 * of rowids to FTS5, which would run the MATCH once per rowid).
 */
interface Shape {
  from: string;
  fromByDate: string;
  row: RowNames;
  id: string;
  date: string | null;
}

/** The ids of one page, ranked, and the total. `rank` is BM25 as FTS5 gives it, lower better. */
function rankedIds(ask: Ask, c: Compiled, target: Target, shape: Shape, rank: string) {
  ask.budget?.check();
  const where: string[] = [];
  const params: unknown[] = [];
  if (ask.budget) where.push(ask.budget.rowCheck(shape.id));
  if (c.match) where.push(`${target.table} MATCH ?`), params.push(c.match);
  if (c.where) {
    const w = c.where(shape.row);
    where.push(`(${w.sql})`), params.push(...w.params);
  }
  const filter = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  const total = (ask.db.prepare(`SELECT count(*) AS n FROM ${shape.from}${filter}`).get(...params) as { n: number }).n;
  const ranked = c.match !== null && (ask.sort === 'relevance' || !shape.date);
  let window = '';
  if (ranked && total > ask.window.rank) {
    const cutoff = ask.db.prepare(`SELECT ${shape.id} AS id FROM ${shape.from}${filter} ORDER BY ${shape.id} DESC LIMIT 1 OFFSET ?`).get(...params, ask.window.rank - 1) as { id: number };
    window = ` AND ${shape.id} >= ${Number(cutoff.id)}`;
  }
  const rows = ask.db
    .prepare(`SELECT ${shape.id} AS id, ${ranked ? rank : 'NULL'} AS score FROM ${ranked ? shape.from : shape.fromByDate}${filter}${window}
      ORDER BY ${ranked ? rank : `${shape.date} DESC`}, id DESC LIMIT ? OFFSET ?`)
    .all(...params, ask.window.limit, ask.window.offset) as Array<{ id: number; score: number | null }>;
  return {
    rows: rows.map((r) => ({ id: r.id, score: r.score === null ? null : -r.score })),
    total,
    ...(window ? { rankedAmong: ask.window.rank } : {}),
  };
}

// Messages are found through the index when the query has words, through their dates when it has only filters.
const MESSAGES_BY_TEXT: Shape = {
  from: 'message_fts', fromByDate: 'message_fts JOIN search_dates ON search_dates.messageId = message_fts.rowid',
  row: { rowid: '+message_fts.rowid', messageId: '+message_fts.rowid' }, id: 'message_fts.rowid', date: 'search_dates.date',
};
const MESSAGES_BY_FILTER: Shape = {
  from: 'search_dates', fromByDate: 'search_dates',
  row: { rowid: 'search_dates.messageId', messageId: 'search_dates.messageId' }, id: 'search_dates.messageId', date: 'search_dates.date',
};
const CLAIMS: Shape = {
  from: 'claim_fts JOIN "Claim" c ON c.id = claim_fts.rowid',
  fromByDate: 'claim_fts JOIN "Claim" c ON c.id = claim_fts.rowid LEFT JOIN search_dates ON search_dates.messageId = c.messageId',
  row: { rowid: '+claim_fts.rowid', messageId: 'c.messageId' }, id: 'claim_fts.rowid', date: 'search_dates.date',
};
const SCENARIOS: Shape = {
  from: 'scenario_fts', fromByDate: 'scenario_fts',
  row: { rowid: '+scenario_fts.rowid', messageId: 'NULL' }, id: 'scenario_fts.rowid', date: null,
};

const bm25 = (table: string, weights: readonly number[]) => `bm25(${table}, ${weights.join(', ')})`;

interface MessageRow {
  id: number;
  archiveId: string;
  isGhost: number;
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

function searchMessages(ask: Ask): Page<ThreadGroup[]> {
  const c = compile(ask.parsed, messageTarget);
  if (c.never) return { total: 0, hits: [] };
  const { rows, total, rankedAmong } = rankedIds(ask, c, messageTarget, c.match ? MESSAGES_BY_TEXT : MESSAGES_BY_FILTER,
    bm25('message_fts', MESSAGE_COLUMNS.map((col) => MESSAGE_WEIGHTS[col])));
  if (rows.length === 0) return { total, hits: [] };
  const details = new Map(
    (ask.db.prepare(`SELECT m.id, m.archiveId, m.isGhost, m.subject, m.fromName, m.fromAddress, m.toJson, m.ccJson, m.date, coalesce(x.body, '') AS body, coalesce(x.segmentsJson, '[]') AS segmentsJson, m.threadId,
        coalesce(l.name, tl.name) AS list, t.subject AS threadSubject, t.messageCount AS threadSize, t.rootArchiveId AS threadRoot
      FROM "Message" m LEFT JOIN "MessageText" x ON x.messageId = m.id LEFT JOIN "Thread" t ON t.id = m.threadId LEFT JOIN "List" l ON l.id = m.listId LEFT JOIN "List" tl ON tl.id = t.listId
      WHERE ${inValues('m.id')}`).all(JSON.stringify(rows.map((r) => r.id))) as MessageRow[]).map((r) => [r.id, r]),
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
      id, archiveId: m.archiveId, isGhost: m.isGhost === 1, list: m.list,
      subject: highlight(m.subject, subjectPatterns),
      from: m.fromName && m.fromAddress ? `${m.fromName} <${m.fromAddress}>` : (m.fromName ?? m.fromAddress ?? ''),
      date: m.date && new Date(m.date).toISOString(),
      score, snippet: shown ?? opening(fields.new_text || fields.quoted_text),
      href: m.list ? `${messageHref(m.list, m.archiveId)}?q=${encodeURIComponent(ask.query)}` : null,
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

function searchClaims(ask: Ask): Page<ClaimHit[]> {
  const c = compile(ask.parsed, claimTarget);
  // Claims and scenarios answer words; a query of filters alone is about mail.
  if (c.never || !c.match) return { total: 0, hits: [] };
  const { rows, total } = rankedIds(ask, c, claimTarget, CLAIMS, bm25('claim_fts', [3, 2, 1]));
  const one = ask.db.prepare<[number], { key: string; statement: string; claimant: string; exact: string; kind: string; verdict: string; archiveId: string | null; list: string | null }>(
    `SELECT c.key, c.statement, c.claimant, c.exact, c.kind, c.verdict, m.archiveId, coalesce(l.name, tl.name) AS list
     FROM "Claim" c LEFT JOIN "Message" m ON m.id = c.messageId LEFT JOIN "List" l ON l.id = m.listId
       LEFT JOIN "Thread" t ON t.id = m.threadId LEFT JOIN "List" tl ON tl.id = t.listId
     WHERE c.id = ?`);
  const statementPatterns = patternsFor(ask.parsed, 'claim', ['statement']);
  const exactPatterns = patternsFor(ask.parsed, 'claim', ['exact']);
  const hits = rows.map(({ id, score }) => {
    const r = one.get(id)!;
    return {
      key: r.key, statement: highlight(r.statement, statementPatterns), claimant: r.claimant, kind: r.kind, verdict: r.verdict,
      snippet: snippet(r.exact, exactPatterns) ?? opening(r.exact), score,
      href: r.list && r.archiveId ? `${messageHref(r.list, r.archiveId)}?q=${encodeURIComponent(ask.query)}` : null,
    };
  });
  return { total, hits };
}

function searchScenarios(ask: Ask): Page<ScenarioHit[]> {
  const c = compile(ask.parsed, scenarioTarget);
  if (c.never || !c.match) return { total: 0, hits: [] };
  const { rows, total } = rankedIds(ask, c, scenarioTarget, SCENARIOS, bm25('scenario_fts', [0, 3, 1]));
  const one = ask.db.prepare<[number], { scenario: string; title: string; prose: string }>('SELECT scenario, title, prose FROM scenario_fts WHERE rowid = ?');
  const titlePatterns = patternsFor(ask.parsed, 'scenario', ['title']);
  const prosePatterns = patternsFor(ask.parsed, 'scenario', ['prose']);
  const hits = rows.map(({ id, score }) => {
    const r = one.get(id)!;
    return { id: r.scenario, title: highlight(r.title, titlePatterns), snippet: snippet(r.prose, prosePatterns) ?? opening(r.prose), score: score! };
  });
  return { total, hits };
}
