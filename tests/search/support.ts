import pg from 'pg';
import { freshDatabase } from '../support/db';
import { scratchPostgres } from '../support/postgres';
import { ingestBundled } from '../../lib/ingest/bundled';
import { copyArchive } from '../../lib/db/copy';
import { projectRoot } from '../../lib/db/url';
import type { Scenario } from '../../lib/engine/index';
import { defaultScenarioDir, loadScenarios } from '../../lib/scenarios/load';
import { indexScenarios, refreshSearchIndex } from '../../lib/search/indexer';
import * as postgres from '../../lib/search/postgres/indexer';
import { search } from '../../lib/search/sqlite/search';
import type { SearchOptions, SearchResults } from '../../lib/search/search';
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
export function hitIds(db: SqliteConnection, query: string, options: SearchOptions = {}): string[] {
  return messageHits(search(db, query, { perPage: 200, ...options }));
}

export const messageHits = (r: SearchResults) => r.messages.hits.flatMap((t) => t.hits.map((h) => h.archiveId));

export const marked = (parts: Array<{ text: string; hit: boolean }>) => parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join('');

/**
 * 100,000 index rows of 24 words each from a vocabulary of 64 (w0..w63), and
 * one with the word "needle": SLOW_QUERY, OR-ing all 64 words, makes FTS5
 * merge every row's entries, row by row (1 to 1.5 s on the 2-core test
 * machine), while "needle" is one lookup. Only the index: no Message rows.
 */
export function fillSlowIndex(store: Store): void {
  const words = Array.from({ length: 24 }, (_, i) => `'w' || ((value * ${2 * i + 3} + ${i * 7}) % 64)`).join(" || ' ' || ");
  store.writer.exec(`WITH RECURSIVE n(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM n WHERE value < 100000)
    INSERT INTO message_fts (rowid, new_text) SELECT value, ${words} FROM n`);
  store.writer.prepare("INSERT INTO message_fts (rowid, subject) VALUES (100001, 'needle')").run();
}

export const SLOW_QUERY = Array.from({ length: 64 }, (_, i) => `w${i}`).join(' OR ');
