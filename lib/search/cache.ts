// Searches answered again from memory while the archive has not changed. A result is kept
// under its query, its options and the archive's version (lib/db/data-version.mjs, read
// for every search), so a commit by any writer, on any machine, drops what every server
// keeps: none keeps anything another needs. A result lives at most ENTRY_MS besides:
// relative dates (d:2.weeks.ago..) move with the clock. Searches asked again while the
// first is still running wait for it rather than run again (32 clients asking the same
// feed at once run it once).
import type { PoolSearchOptions, SearchPool } from './pool';
import type { SearchResults } from './search';

const ENTRY_MS = 60_000;
const MAX_ENTRIES = 500;

interface Entry {
  version: unknown;
  bornAt: number;
  results: Promise<SearchResults>;
}

/** `pool` with results kept by the archive's version (`versionOf` resolves to null while none can be read: nothing is kept). */
export function cachedSearches(pool: SearchPool, versionOf: () => Promise<unknown>): SearchPool {
  const entries = new Map<string, Entry>();
  return {
    budgetMs: pool.budgetMs,
    close: () => pool.close(),
    async search(query: string, options: PoolSearchOptions = {}) {
      const version = await versionOf();
      if (version === null) return pool.search(query, options);
      const key = JSON.stringify([query, options.page ?? 1, options.perPage ?? null, options.sort ?? null, options.now?.getTime() ?? null]);
      const kept = entries.get(key);
      if (kept && kept.version === version && Date.now() - kept.bornAt < ENTRY_MS) {
        entries.delete(key); // the most recently asked go last; the least go first when full
        entries.set(key, kept);
        return kept.results;
      }
      const entry: Entry = { version, bornAt: Date.now(), results: pool.search(query, options) };
      entries.delete(key);
      entries.set(key, entry);
      if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      // An error (a bad query, a spent budget) is not kept: asked again, it runs again.
      entry.results.catch(() => entries.get(key) === entry && entries.delete(key));
      return entry.results;
    },
  };
}
