// The site's searches within their budget, over HTTP: the page, the JSON and the
// Atom routes are bundled apart by Next and share one search pool.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { hasChromium } from '../support/browser';
import { openSite, type TestSite } from '../support/site';
import { freshDatabase } from '../support/db';
import { fillSlowIndex, SLOW_QUERY, type Store } from './support';
import type { SqliteConnection } from '../../lib/db/sqlite';

const BUDGET_MS = 200;

describe.skipIf(!hasChromium)('search within a time budget, on the site', () => {
  let store: Store<SqliteConnection>;
  let served: TestSite;
  const get = (path: string) => fetch(`${served.url}${path}`);
  const json = (q: string) => get(`/search/json?q=${encodeURIComponent(q)}`);

  beforeAll(async () => {
    store = await freshDatabase('sqlite');
    fillSlowIndex(store);
    served = await openSite({ DATABASE_URL: store.url, THREADLAB_SEARCH_BUDGET_MS: String(BUDGET_MS) });
  });
  afterAll(async () => {
    await served?.close();
    await store?.close();
  });

  it('the page says a slow search was stopped, and names the budget', async () => {
    await served.page.goto(`${served.url}/search?q=${encodeURIComponent(SLOW_QUERY)}`);
    await expect.poll(() => served.page.locator('.search-error[role=alert]').textContent()).toContain(`time budget of ${BUDGET_MS} ms`);
    // The help states the budget the server runs with.
    expect(await served.page.locator('p.limits').textContent()).toContain(`may run for ${BUDGET_MS} ms`);
  });

  it('answers fast searches while a slow one loops, and cuts the slow one with 503', async () => {
    let stop = false;
    const slow: Array<{ status: number; body: { error?: { message: string; budgetMs: number } } }> = [];
    const loop = (async () => {
      while (!stop) {
        const res = await json(SLOW_QUERY);
        slow.push({ status: res.status, body: await res.json() });
      }
    })();
    const fast: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await json('needle');
      expect(res.status).toBe(200);
      fast.push(((await res.json()) as { messages: { total: number } }).messages.total);
    }
    stop = true;
    await loop;
    expect(fast).toEqual(Array(10).fill(1));
    expect(slow.length).toBeGreaterThan(0);
    for (const s of slow) {
      expect(s.status).toBe(503);
      expect(s.body.error?.message).toContain(`time budget of ${BUDGET_MS} ms`);
      expect(s.body.error?.budgetMs).toBe(BUDGET_MS);
    }
  });

  it('the Atom feed answers 503 past the budget, and 400 for a query over a limit', async () => {
    const atom = await get(`/search/atom?q=${encodeURIComponent(SLOW_QUERY)}`);
    expect(atom.status).toBe(503);
    expect(await atom.text()).toContain(`time budget of ${BUDGET_MS} ms`);
    const over = await json('needle OR w*');
    expect(over.status).toBe(400);
    expect(((await over.json()) as { error: { message: string } }).error.message).toContain('at least 2 characters before its *, not "w*"');
  });
});
