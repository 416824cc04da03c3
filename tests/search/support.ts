import { freshDatabase } from '../support/db';
import { ingestBundled } from '../../lib/ingest/bundled';
import { projectRoot } from '../../lib/db/url';
import { defaultScenarioDir, loadScenarios } from '../../lib/scenarios/load';
import { indexScenarios, refreshSearchIndex } from '../../lib/search/indexer';
import { search, type SearchOptions, type SearchResults } from '../../lib/search/search';
import type { SqliteConnection } from '../../lib/db/sqlite';

export type Store = Awaited<ReturnType<typeof freshDatabase>>;

export const bundledScenarios = () => loadScenarios(defaultScenarioDir(projectRoot)).flatMap((l) => (l.ok ? [l.scenario] : []));

/** The bundled thread and scenarios in a fresh database, indexed. */
export async function searchableBundle(): Promise<Store> {
  const store = await freshDatabase();
  await ingestBundled(store.writer);
  refreshSearchIndex(store.writer);
  indexScenarios(store.writer, bundledScenarios());
  return store;
}

/** Archive ids of every message hit, over all pages, in rank order. */
export function hitIds(db: SqliteConnection, query: string, options: SearchOptions = {}): string[] {
  return messageHits(search(db, query, { perPage: 200, ...options }));
}

export const messageHits = (r: SearchResults) => r.messages.hits.flatMap((t) => t.hits.map((h) => h.archiveId));

export const marked = (parts: Array<{ text: string; hit: boolean }>) => parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join('');
