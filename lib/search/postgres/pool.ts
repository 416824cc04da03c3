// The search pool on PostgreSQL: ../pool.ts's workers, each running
// postgres/worker.ts, once the scenarios the caller serves are indexed.
import type { Scenario } from '../../engine/index';
import { createSearchPool, type SearchPool, type SpawnSearchWorker } from '../pool';
import { indexScenarios } from './indexer';

/**
 * Indexes `scenarios` (they are files: the index must hold the ones this
 * process shows), and answers searches once they are: the wait is not
 * taken from a search's budget. Indexing that fails fails the searches
 * waiting for it, and is tried again by the next.
 */
export function createPostgresSearchPool(options: { url: string; spawn: SpawnSearchWorker; scenarios: readonly Scenario[]; budgetMs?: number; workers?: number }): SearchPool {
  const pool = createSearchPool(options);
  let indexed: Promise<void> | null = null;
  const index = () => {
    indexed ??= indexScenarios(options.url, options.scenarios).catch((e: unknown) => {
      indexed = null;
      throw e;
    });
    return indexed;
  };
  index().catch(() => {}); // at once; a failure is the next search's
  return {
    budgetMs: pool.budgetMs,
    async search(query, searchOptions) {
      await index();
      return pool.search(query, searchOptions);
    },
    close: () => pool.close(),
  };
}
