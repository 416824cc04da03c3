// Results kept by the archive's version: asked again, a search runs again only when a
// writer has committed since (or a minute has passed); an error is never kept.
import { describe, expect, it } from 'vitest';
import { cachedSearches } from '../../lib/search/cache';
import type { SearchPool } from '../../lib/search/pool';
import type { SearchResults } from '../../lib/search/search';

/** A pool that answers after `release()`, counting the searches it ran. */
function countingPool() {
  const ran: string[] = [];
  let open: () => void = () => {};
  const gate = new Promise<void>((r) => (open = r));
  const pool: SearchPool = {
    budgetMs: 1000,
    close: async () => {},
    async search(query, options = {}) {
      ran.push(`${query}#${options.page ?? 1}`);
      await gate;
      if (query === 'bad') throw new Error('bad query');
      return { query, page: options.page ?? 1 } as unknown as SearchResults;
    },
  };
  return { pool, ran, release: () => open() };
}

describe('searches kept by the archive version', () => {
  it('runs a search asked again once, until the version moves on', async () => {
    const { pool, ran, release } = countingPool();
    let version = 1;
    const cached = cachedSearches(pool, async () => version);
    release();
    const first = await cached.search('page_mkwrite');
    expect(await cached.search('page_mkwrite')).toBe(first);
    await cached.search('page_mkwrite', { page: 2 });
    expect(ran).toEqual(['page_mkwrite#1', 'page_mkwrite#2']);
    version = 2; // a writer committed
    await cached.search('page_mkwrite');
    expect(ran).toEqual(['page_mkwrite#1', 'page_mkwrite#2', 'page_mkwrite#1']);
  });

  it('lets searches asked while the first still runs wait for it', async () => {
    const { pool, ran, release } = countingPool();
    const cached = cachedSearches(pool, async () => 'v');
    const asked = Array.from({ length: 32 }, () => cached.search('VM_FAULT_NOPAGE'));
    release();
    const answers = await Promise.all(asked);
    expect(ran).toEqual(['VM_FAULT_NOPAGE#1']);
    expect(new Set(answers).size).toBe(1);
  });

  it('keeps no error, and nothing while there is no version to read', async () => {
    const { pool, ran, release } = countingPool();
    let version: number | null = 1;
    const cached = cachedSearches(pool, async () => version);
    release();
    await expect(cached.search('bad')).rejects.toThrow('bad query');
    await expect(cached.search('bad')).rejects.toThrow('bad query');
    version = null;
    await cached.search('truncate');
    await cached.search('truncate');
    expect(ran).toEqual(['bad#1', 'bad#1', 'truncate#1', 'truncate#1']);
  });
});
