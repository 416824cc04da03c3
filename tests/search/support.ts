import pg from 'pg';
import { freshDatabase, type Store } from '../support/db';
import { scratchPostgres } from '../support/postgres';
import { ingestBundled } from '../../lib/ingest/bundled';
import { copyArchive } from '../../lib/db/copy';
import { withPostgres } from '../../lib/db/postgres-client';
import { PostgresWriter } from '../../lib/db/postgres-writer';
import type { SqliteConnection } from '../../lib/db/sqlite';
import { projectRoot, type Backend } from '../../lib/db/url';
import type { Scenario } from '../../lib/engine/index';
import { defaultScenarioDir, loadScenarios } from '../../lib/scenarios/load';
import { indexScenarios, refreshSearchIndex } from '../../lib/search/indexer';
import * as postgres from '../../lib/search/postgres/indexer';
import { searchPostgres } from '../../lib/search/postgres/search';
import { search } from '../../lib/search/sqlite/search';
import type { SearchOptions, SearchResults } from '../../lib/search/search';

export type { Store } from '../support/db';

export const bundledScenarios = () => loadScenarios(defaultScenarioDir(projectRoot)).flatMap((l) => (l.ok ? [l.scenario] : []));

// Search as the site runs it, on the store's own engine: FTS5 on SQLite, full-text search on PostgreSQL.

/** Brings the store's search index up to date, as ingest and the site do; how many messages it indexed. */
export async function refreshIndex(store: Store): Promise<number> {
  return store.writer instanceof PostgresWriter ? (await postgres.refreshSearchIndex(store.url)).messages : refreshSearchIndex(store.writer);
}

/** Replaces the store's indexed scenarios with these. */
export async function indexScenariosOf(store: Store, scenarios: readonly Scenario[]): Promise<void> {
  if (store.writer instanceof PostgresWriter) await postgres.indexScenarios(store.url, scenarios);
  else indexScenarios(store.writer, scenarios);
}

/** A search of the store (PostgreSQL's on a connection of its own); a query it refuses rejects, on either. */
export async function searchIn(store: Store, query: string, options: SearchOptions = {}): Promise<SearchResults> {
  if (store.writer instanceof PostgresWriter) return withPostgres(store.url, (client) => searchPostgres(client, query, options));
  return search(store.writer, query, options);
}

/** The bundled thread and scenarios in a fresh database of the project's backend (or `on`), indexed. */
export async function searchableBundle(on: 'sqlite'): Promise<Store<SqliteConnection>>;
export async function searchableBundle(on?: Backend): Promise<Store>;
export async function searchableBundle(on?: Backend): Promise<Store> {
  const store = await freshDatabase(on);
  await ingestBundled(store.writer);
  await refreshIndex(store);
  await indexScenariosOf(store, bundledScenarios());
  return store;
}

export type PostgresStore = Awaited<ReturnType<typeof onPostgres>>;

/**
 * The archive of an SQLite store moved into a new database of the run's
 * PostgreSQL, as db:copy moves it (copied, then indexed there), with these
 * scenarios indexed; `client` is a connection to it.
 */
export async function onPostgres(store: Store, scenarios: readonly Scenario[]) {
  const db = await scratchPostgres();
  await copyArchive(store.url, db.url);
  await postgres.refreshSearchIndex(db.url);
  await postgres.indexScenarios(db.url, scenarios);
  const client = new pg.Client(db.url);
  await client.connect();
  return {
    url: db.url,
    client,
    async close() {
      await client.end();
      await db.drop();
    },
  };
}

/** Archive ids of every message hit, over all pages, in rank order. */
export async function hitIds(store: Store, query: string, options: SearchOptions = {}): Promise<string[]> {
  return messageHits(await searchIn(store, query, { perPage: 200, ...options }));
}

export const messageHits = (r: SearchResults) => r.messages.hits.flatMap((t) => t.hits.map((h) => h.archiveId));

export const marked = (parts: Array<{ text: string; hit: boolean }>) => parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join('');

/**
 * 100,000 index rows of 24 words each from a vocabulary of 64 (w0..w63), and
 * one with the word "needle": SLOW_QUERY, OR-ing all 64 words, makes FTS5
 * merge every row's entries, row by row (1 to 1.5 s on the 2-core test
 * machine), while "needle" is one lookup. Only the index: no Message rows.
 */
export function fillSlowIndex(store: Store<SqliteConnection>): void {
  const words = Array.from({ length: 24 }, (_, i) => `'w' || ((value * ${2 * i + 3} + ${i * 7}) % 64)`).join(" || ' ' || ");
  store.writer.exec(`WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 100000)
    INSERT INTO message_fts (rowid, new_text) SELECT value, ${words} FROM n`);
  store.writer.prepare("INSERT INTO message_fts (rowid, subject) VALUES (100001, 'needle')").run();
}

export const SLOW_QUERY = Array.from({ length: 64 }, (_, i) => `w${i}`).join(' OR ');
