// Searches run on worker threads within a time budget: a query that runs past it
// is stopped with an error naming the budget, and the searches beside it go on.
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { freshDatabase } from '../support/db';
import { projectRoot } from '../../lib/db/url';
import { bundled } from '../../lib/workers/bundle.mjs';
import { createSearchPool, type SearchPool, type SpawnSearchWorker } from '../../lib/search/pool';
import { QuerySyntaxError } from '../../lib/search/query/ast';
import { SearchBudgetExceeded } from '../../lib/search/limits';
import { fillSlowIndex, SLOW_QUERY as SLOW, type Store } from './support';
import type { SqliteConnection } from '../../lib/db/sqlite';

const BUDGET_MS = 200;

describe('search within a time budget', () => {
  let store: Store<SqliteConnection>;
  let pool: SearchPool;
  let spawn: SpawnSearchWorker;
  beforeAll(async () => {
    store = await freshDatabase('sqlite');
    fillSlowIndex(store);
    const script = await bundled(new URL('../../lib/search/worker.ts', import.meta.url));
    spawn = (workerData) => new Worker(script, { workerData });
    pool = createSearchPool({ url: store.url, budgetMs: BUDGET_MS, spawn });
  });
  afterAll(async () => {
    await pool?.close();
    await store?.close();
  });

  it('stops a slow query at its budget, naming it, while fast searches are answered', async () => {
    let stop = false;
    const slowOutcomes: unknown[] = [];
    const slowLoop = (async () => {
      while (!stop) slowOutcomes.push(await pool.search(SLOW).catch((e: unknown) => e));
    })();
    const fast = [];
    for (let i = 0; i < 20; i++) fast.push((await pool.search('needle')).messages.total);
    // At least one slow search started before the fast ones ended, and runs alongside.
    stop = true;
    await slowLoop;
    expect(fast).toEqual(Array(20).fill(1));
    expect(slowOutcomes.length).toBeGreaterThan(0);
    for (const e of slowOutcomes) {
      expect(e).toBeInstanceOf(SearchBudgetExceeded);
      expect((e as Error).message).toContain(`time budget of ${BUDGET_MS} ms`);
    }
  });

  it('answers the same query in full when it has the time', async () => {
    const roomy = createSearchPool({ url: store.url, budgetMs: 600_000, workers: 1, spawn });
    try {
      expect((await roomy.search(SLOW)).messages.total).toBe(100_000);
    } finally {
      await roomy.close();
    }
  });

  it('keeps searches answered in time, though this thread reads the answers after the budget', async () => {
    // As the site's thread does while it renders pages under load: the worker's clock is what counts.
    const one = createSearchPool({ url: store.url, budgetMs: 1000, workers: 1, spawn });
    try {
      await one.search('needle'); // the worker is up
      // Two searches for one worker: the second waits for the first, which takes milliseconds.
      const answers = [one.search('needle'), one.search('needle')];
      const busyUntil = performance.now() + 1500;
      while (performance.now() < busyUntil); // this thread busy past the budget, reading nothing
      expect((await Promise.all(answers)).map((r) => r.messages.total)).toEqual([1, 1]);
    } finally {
      await one.close();
    }
  });

  it('puts a fast search beside the slow one, not behind it, when both workers have one', async () => {
    const roomy = createSearchPool({ url: store.url, budgetMs: 600_000, spawn });
    try {
      await Promise.all([roomy.search('needle'), roomy.search('needle')]); // both workers are up
      const order: string[] = [];
      const done = (name: string) => () => order.push(name);
      const slow = roomy.search(SLOW).then(done('slow'));
      const first = roomy.search('needle').then(done('first'));
      const second = roomy.search('needle').then(done('second'));
      await Promise.all([slow, first, second]);
      expect(order.indexOf('second')).toBeLessThan(order.indexOf('slow'));
    } finally {
      await roomy.close();
    }
  });

  it('refuses a query over the cost limits before running it', async () => {
    await expect(pool.search('needle OR w*')).rejects.toThrow(QuerySyntaxError);
    await expect(pool.search('needle OR w*')).rejects.toThrow(/at least 2 characters before its \*, not "w\*"/);
  });

  it('npm run search says so and exits 3', () => {
    const run = (budget: string) => spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'lib/cli/search.ts'), SLOW], {
      env: { ...process.env, DATABASE_URL: store.url, THREADLAB_SEARCH_BUDGET_MS: budget }, encoding: 'utf8', cwd: projectRoot,
    });
    const r = run(String(BUDGET_MS));
    expect(r.stderr).toContain(`the search took longer than its time budget of ${BUDGET_MS} ms and was stopped`);
    expect(r.stderr).toContain('THREADLAB_SEARCH_BUDGET_MS');
    expect(r.status).toBe(3);
    const bad = run('soon');
    expect(bad.stderr).toContain('THREADLAB_SEARCH_BUDGET_MS must be a whole number of milliseconds, 1 or more, not "soon"');
    expect(bad.status).toBe(2);
  });
});

describe('search workers that cannot start', () => {
  it('fail the searches with the reason, instead of starting again and again', async () => {
    const script = await bundled(new URL('../../lib/search/worker.ts', import.meta.url));
    const pool = createSearchPool({ url: 'file:/nonexistent/threadlab.db', budgetMs: 60_000, spawn: (workerData) => new Worker(script, { workerData }) });
    try {
      await expect(pool.search('needle')).rejects.toThrow(/a search worker cannot start: .*(unable to open|directory does not exist)/i);
    } finally {
      await pool.close();
    }
  });
});
