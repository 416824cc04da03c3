// The site's search pool and request parameters, shared by the page, the JSON and the Atom routes.
import { Worker } from 'node:worker_threads';
import { openSqlite } from '@/lib/db/sqlite';
import { backendOf, databaseUrl } from '@/lib/db/url';
import { indexScenarios } from '@/lib/search/indexer';
import { createSearchPool, type SearchPool } from '@/lib/search/pool';
import { createPostgresSearchPool } from '@/lib/search/postgres/pool';
import type { SortOrder } from '@/lib/search/search';
import { pageParam } from '@/lib/archive/urls';
import { bundledScenarios } from '@/app/scenarios/data';

const shared = globalThis as unknown as { threadlabSearch?: SearchPool };

/**
 * The search workers, kept for the process, on the store DATABASE_URL names.
 * First the scenarios this server serves are indexed (they are files, and
 * the index must hold the ones the pages show), on a connection that writes;
 * the workers only read. The workers' scripts are written out here, not
 * passed in as URLs: Next bundles a worker's code when it sees this form.
 */
export function searchPool(): SearchPool {
  if (!shared.threadlabSearch) {
    const url = databaseUrl();
    const scenarios = bundledScenarios().flatMap((l) => (l.ok ? [l.scenario] : []));
    if (backendOf(url) === 'postgresql') {
      shared.threadlabSearch = createPostgresSearchPool({
        url, scenarios,
        spawn: (workerData) => new Worker(new URL('../../lib/search/postgres/worker.ts', import.meta.url), { workerData }),
      });
    } else {
      const db = openSqlite(url);
      try {
        indexScenarios(db, scenarios);
      } finally {
        db.close();
      }
      shared.threadlabSearch = createSearchPool({
        url,
        spawn: (workerData) => new Worker(new URL('../../lib/search/worker.ts', import.meta.url), { workerData }),
      });
    }
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
