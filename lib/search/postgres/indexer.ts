// Keeping PostgreSQL's index in step with the archive, as SQLite's
// (../indexer.ts): triggers queue every message and claim whose indexed text
// changed; refreshSearchIndex() indexes the queues (lib/db/postgres-search-index.ts)
// with the documents made here; scenarios are files, indexed when given.
import { drainSearchQueues, replaceScenarioIndex } from '../../db/postgres-search-index';
import type { Scenario } from '../../engine/index';
import { messageFields, scenarioFields } from '../fields';
import { documentOf } from './document';

export { hasSearchIndex } from '../../db/postgres-search-index';

/**
 * Indexes every queued message and claim, in batches of their own
 * transactions. Call it after the archive changed (a copy, an ingest).
 * Returns how many of each it indexed.
 */
export function refreshSearchIndex(url: string): Promise<{ messages: number; claims: number }> {
  return drainSearchQueues(url, { message: (m) => documentOf('message', messageFields(m)), claim: (c) => documentOf('claim', c) });
}

/** Replaces the indexed scenarios with these (content/scenarios as loaded by lib/scenarios). */
export function indexScenarios(url: string, scenarios: readonly Scenario[]): Promise<void> {
  return replaceScenarioIndex(url, scenarios.map((s) => {
    const fields = scenarioFields(s);
    return { scenario: s.id, ...fields, document: documentOf('scenario', fields) };
  }));
}
