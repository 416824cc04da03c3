// The site's search connection and request parameters, shared by the page, the JSON and the Atom routes.
import type { SqliteConnection } from '@/lib/db/sqlite';
import { openSearchConnection } from '@/lib/search/connection';
import { indexScenarios } from '@/lib/search/indexer';
import type { SortOrder } from '@/lib/search/search';
import { pageParam } from '@/lib/archive/urls';
import { bundledScenarios } from '@/app/scenarios/data';

const shared = globalThis as unknown as { threadlabSearch?: SqliteConnection };

/**
 * A direct connection for FTS5 queries (MATCH, bm25), kept for the
 * process. On first use it indexes the scenarios this server serves:
 * they are files, and the index must hold the ones the pages show.
 */
export function searchDb(): SqliteConnection {
  if (!shared.threadlabSearch) {
    const db = openSearchConnection();
    indexScenarios(db, bundledScenarios().flatMap((l) => (l.ok ? [l.scenario] : [])));
    shared.threadlabSearch = db;
  }
  return shared.threadlabSearch;
}

export interface SearchRequest {
  q: string;
  page: number;
  sort: SortOrder;
}

type Params = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

/** ?q=QUERY&page=N&sort=date, as lore keeps the query in the URL. */
export function searchRequest(params: Params | URLSearchParams): SearchRequest {
  const get = (k: string) => (params instanceof URLSearchParams ? params.get(k) ?? '' : one(params[k]));
  return { q: get('q').trim(), page: pageParam(get('page')), sort: get('sort') === 'date' ? 'date' : 'relevance' };
}

/** The URL of a search page, JSON or Atom feed. */
export function searchHref(r: Partial<SearchRequest> & { q: string }, base = '/search'): string {
  const p = new URLSearchParams({ q: r.q });
  if (r.sort === 'date') p.set('sort', 'date');
  if (r.page && r.page > 1) p.set('page', String(r.page));
  return `${base}?${p}`;
}
