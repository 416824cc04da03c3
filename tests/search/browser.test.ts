import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium } from '../support/browser';
import { openSite, type TestSite } from '../support/site';
import { eventually } from '../support/wait';
import { projectRoot } from '../../lib/db/url';
import { searchableBundle, type Store } from './support';

const artefacts = path.join(projectRoot, 'test-results');

describe.skipIf(!hasChromium)('search in Chromium', () => {
  let store: Store;
  let served: TestSite;
  let browser: Browser;
  let page: Page;
  let site = '';

  beforeAll(async () => {
    store = await searchableBundle();
    ({ url: site, browser, page } = served = await openSite({ DATABASE_URL: store.url }));
  });
  afterAll(async () => {
    await served?.close();
    await store?.close();
  });

  it('searches nq:VM_FAULT_NOPAGE from the form and lands on a hit with the term highlighted', async () => {
    await page.goto(`${site}/search`);
    // The syntax is explained on the page before any search.
    expect(await page.locator('details.syntax').getAttribute('open')).not.toBeNull();
    await page.getByRole('searchbox', { name: 'Query' }).fill('nq:VM_FAULT_NOPAGE');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/search\?q=nq%3AVM_FAULT_NOPAGE/);
    const messages = page.getByRole('region', { name: 'Messages' });
    // Hits sit under their thread's subject, the term marked in each snippet.
    const thread = messages.locator('section.hit-thread', { hasText: '[patch 1/2] mm: page_mkwrite change prototype to match fault' });
    expect(await thread.locator('h3').textContent()).toMatch(/\d+ messages in the thread/);
    const hit = thread.locator('li', { hasText: '[patch 2/2] fs: fix page_mkwrite error cases' }).first();
    expect(await hit.locator('p.snippet mark').first().textContent()).toBe('VM_FAULT_NOPAGE');
    fs.mkdirSync(artefacts, { recursive: true });
    await page.screenshot({ path: path.join(artefacts, 'search-results.png'), fullPage: true });
    await hit.getByRole('link').first().click();
    await page.waitForURL(/\/linux-mm\/20090311035503\.GI16561@wotan\.suse\.de\/\?q=nq%3AVM_FAULT_NOPAGE$/);
    expect(await page.locator('h1').textContent()).toContain('[patch 2/2] fs: fix page_mkwrite error cases in core code and btrfs');
    const marks = page.locator('article mark');
    await expect.poll(() => marks.count(), eventually).toBeGreaterThan(0);
    expect(new Set(await marks.allTextContents())).toEqual(new Set(['VM_FAULT_NOPAGE']));
  });

  it('shows a query it cannot read with a pointer to the place, not an error page', async () => {
    const response = await page.goto(`${site}/search?q=${encodeURIComponent('nq:(VM_FAULT_NOPAGE')}`);
    expect(response?.status()).toBe(200);
    const alert = page.getByRole('alert').filter({ hasText: 'cannot be read' });
    expect(await alert.textContent()).toMatch(/never closed \(at column 4\)/);
    expect(await alert.locator('pre').textContent()).toBe('nq:(VM_FAULT_NOPAGE\n   ^');
    expect(await page.getByRole('searchbox', { name: 'Query' }).inputValue()).toBe('nq:(VM_FAULT_NOPAGE');
  });

  it('shows markup in a bad query as text', async () => {
    await page.goto(`${site}/search?q=${encodeURIComponent('d:"<b>x</b>"')}`);
    const alert = page.getByRole('alert').filter({ hasText: 'cannot be read' });
    expect(await alert.textContent()).toContain('d: "<b>x</b>" is not a date');
    expect(await alert.locator('b').count()).toBe(0);
  });

  it('fits a 390 px wide phone: the form and the syntax tables scroll nothing sideways', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const q of ['', 'nq:VM_FAULT_NOPAGE f:piggin']) {
        await page.goto(`${site}/search?q=${encodeURIComponent(q)}`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
        const box = await page.getByRole('searchbox', { name: 'Query' }).boundingBox();
        expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('answers the JSON route with results, and 400 with the position for a bad query', async () => {
    const ok = await fetch(`${site}/search/json?q=${encodeURIComponent('dfa:VM_FAULT_RETRY')}`);
    expect(ok.status).toBe(200);
    const results = await ok.json();
    expect(results.messages.total).toBe(1);
    expect(results.messages.hits[0].hits[0].archiveId).toBe('20170203150729.15863-1-jack@suse.cz');
    const scenarios = await (await fetch(`${site}/search/json?q=NOPAGE`)).json();
    expect(scenarios.scenarios.hits.find((s: { id: string }) => s.id === 'seed-nopage-retry').href).toBe('/scenarios/seed-nopage-retry');
    const bad = await fetch(`${site}/search/json?q=${encodeURIComponent('s:page_mkwrite OR')}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { position: 15, column: 16, message: expect.stringMatching(/"OR" needs a term after it/) } });
    expect((await fetch(`${site}/search/json`)).status).toBe(400);
  });

  it('serves the newest matches as an Atom feed', async () => {
    const res = await fetch(`${site}/search/atom?q=${encodeURIComponent('f:piggin')}`);
    expect(res.headers.get('content-type')).toMatch(/^application\/atom\+xml/);
    const xml = await res.text();
    const updated = [...xml.matchAll(/<entry>[\s\S]*?<updated>([^<]+)<\/updated>/g)].map((m) => m[1]);
    expect(updated.length).toBe(6);
    expect(updated).toEqual([...updated].sort().reverse());
    expect(xml).toMatch(new RegExp(`<link href="${site}/ocfs2-devel/[0-9a-f]{32}@archive\\.invalid/"/>`));
    expect(xml).toContain('<name>Nick Piggin</name>');
    // A page link for feed readers, on the search page itself.
    await page.goto(`${site}/search?q=f%3Apiggin`);
    expect(await page.locator('link[rel="alternate"][type="application/atom+xml"]').getAttribute('href')).toContain('/search/atom?q=f%3Apiggin');
  });
});
