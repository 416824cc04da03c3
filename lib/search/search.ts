// Running a query: messages (grouped by thread), claims and scenarios, each
// ranked by the engine's rank or by date, paged, with highlighted snippets.
// One executor for both engines: it yields the statements it needs (Steps,
// written by lib/db/search-sql.ts in each engine's dialect) and gets their rows
// back, SQLite's driver at once (sqlite/search.ts), PostgreSQL's awaiting them
// (postgres/search.ts).
import type { QueryBudget } from '../db/budget';
import { claimHitRows, messageHitRows, rankedIds, scenarioHitRows, type SearchDialect, type Steps, type Window } from '../db/search-sql';
import { MAX_PAGE, messageHref, threadHref } from '../archive/urls';
import { lowerQuery } from './lower';
import { BODY_COLUMNS, messageFields, type MessageColumn } from './fields';
import { highlight, opening, snippet, type Part } from './match';
import { patternsFor } from './highlight';
import type { QueryNode } from './query/ast';
import { parseQuery } from './query/parse';

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

/** A search, as statements: any engine's driver runs them (sqlite/search.ts, postgres/search.ts). */
export function* searchSteps<Row>(query: string, options: SearchOptions, dialect: SearchDialect<Row>): Steps<SearchResults> {
  const parsed = parseQuery(query, options.now);
  const sort = options.sort ?? 'relevance';
  const perPage = Math.min(Math.max(1, Math.trunc(options.perPage ?? PER_PAGE)), 200);
  const page = Math.min(MAX_PAGE, Math.max(1, Math.trunc(options.page ?? 1) || 1));
  const window: Window = { sort, limit: perPage, offset: (page - 1) * perPage, rank: options.rankWindow ?? RANK_WINDOW };
  const ask: Ask<Row> = { dialect, parsed, query, window };
  const messages = yield* searchMessages(ask);
  const claims = yield* searchClaims(ask);
  const scenarios = yield* searchScenarios(ask);
  const pages = Math.max(1, ...[messages, claims, scenarios].map((k) => Math.ceil((k.rankedAmong ?? k.total) / perPage)));
  return { query, sort, page, perPage, pages, messages, claims, scenarios };
}

interface Ask<Row> {
  dialect: SearchDialect<Row>;
  parsed: QueryNode;
  query: string;
  window: Window;
}

/** The hit's message as a page links it, with the query for highlighting there. */
const hitHref = (query: string, list: string | null, archiveId: string | null) =>
  list && archiveId ? `${messageHref(list, archiveId)}?q=${encodeURIComponent(query)}` : null;

function* searchMessages<Row>(ask: Ask<Row>): Steps<Page<ThreadGroup[]>> {
  const c = lowerQuery(ask.parsed, 'message', ask.dialect.text);
  if (c.never) return { total: 0, hits: [] };
  const { rows, total, rankedAmong } = yield* rankedIds(ask.dialect, c, c.match ? ask.dialect.messagesByText : ask.dialect.messagesByFilter, ask.window);
  if (rows.length === 0) return { total, hits: [] };
  const details = yield* messageHitRows(ask.dialect, rows.map((r) => r.id));
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

function* searchClaims<Row>(ask: Ask<Row>): Steps<Page<ClaimHit[]>> {
  const c = lowerQuery(ask.parsed, 'claim', ask.dialect.text);
  // Claims and scenarios answer words; a query of filters alone is about mail.
  if (c.never || !c.match) return { total: 0, hits: [] };
  const { rows, total } = yield* rankedIds(ask.dialect, c, ask.dialect.claims, ask.window);
  if (rows.length === 0) return { total, hits: [] };
  const claims = yield* claimHitRows(ask.dialect, rows.map((r) => r.id));
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
  const c = lowerQuery(ask.parsed, 'scenario', ask.dialect.text);
  if (c.never || !c.match) return { total: 0, hits: [] };
  const { rows, total } = yield* rankedIds(ask.dialect, c, ask.dialect.scenarios, ask.window);
  if (rows.length === 0) return { total, hits: [] };
  const scenarios = yield* scenarioHitRows(ask.dialect, rows.map((r) => r.id));
  const titlePatterns = patternsFor(ask.parsed, 'scenario', ['title']);
  const prosePatterns = patternsFor(ask.parsed, 'scenario', ['prose']);
  const hits = rows.map(({ id, score }) => {
    const r = scenarios.get(id)!;
    return { id: r.scenario, title: highlight(r.title, titlePatterns), snippet: snippet(r.prose, prosePatterns) ?? opening(r.prose), score: score! };
  });
  return { total, hits };
}
