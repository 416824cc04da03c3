// A crawl of the site's main pages in Chromium, on a desktop and a phone screen, against a fresh
// database with the bundled content: no script error, no failed request, no 4xx/5xx answer
// (the browser's own /favicon.ico request included), and nothing wider than the screen.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Page, Request } from 'playwright-core';
import { freshDatabase } from '../support/db';
import { hasChromium } from '../support/browser';
import { openSite, type TestSite } from '../support/site';
import { ingestBundled } from '../../lib/ingest/bundled';

const viewports = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

/** Next.js's App Router fetches (`?_rsc=`): its prefetches and navigations. */
const isRouterFetch = (url: string, type: string) => type === 'fetch' && new URL(url).searchParams.has('_rsc');

interface Watch {
  /** Everything the page reported that should not have happened, each with the URL it came from. */
  problems: string[];
  /** The router fetches left out of `problems` (see below), by the route they were for: printed, never dropped silently. */
  ignored: string[];
  /** Requests started and not yet finished or failed. */
  inFlight: Set<Request>;
}

function watch(page: Page): Watch {
  const w: Watch = { problems: [], ignored: [], inFlight: new Set() };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const at = m.location().url;
    w.problems.push(`console error on ${page.url()}: ${m.text()}${at ? ` (at ${at})` : ''}`);
  });
  page.on('pageerror', (e) => w.problems.push(`uncaught error on ${page.url()}: ${e.message}`));
  const answered = new WeakSet<Request>();
  page.on('request', (r) => w.inFlight.add(r));
  page.on('requestfinished', (r) => w.inFlight.delete(r));
  page.on('response', (r) => {
    answered.add(r.request());
    if (r.status() >= 400) w.problems.push(`HTTP ${r.status()} on ${page.url()}: ${r.request().method()} ${r.url()}`);
  });
  page.on('requestfailed', (r) => {
    w.inFlight.delete(r);
    const what = `request failed on ${page.url()}: ${r.method()} ${r.url()}: ${r.failure()?.errorText ?? 'unknown'}`;
    // The App Router cancels its own fetches as a matter of course, with the page on screen and
    // nothing navigating away: it reads a prefetch's answer (the route tree, or the part of a
    // dynamic page it may prefetch) and the answer of the fetch a click navigates with, then stops
    // reading the rest of the streamed body. Chromium reports each as net::ERR_ABORTED after a
    // 200. Only those are left out: a router fetch cut off before any answer, or answered with an
    // error status (reported above), and any other failed request, count.
    if (r.failure()?.errorText === 'net::ERR_ABORTED' && isRouterFetch(r.url(), r.resourceType()) && answered.has(r)) {
      const u = new URL(r.url());
      u.searchParams.delete('_rsc');
      w.ignored.push(u.pathname + u.search);
    } else w.problems.push(what);
  });
  return w;
}

/**
 * No request in flight for `quietMs`. Playwright's 'networkidle' is a lifecycle event of the
 * document: after a soft (client-side) navigation it has long been reached, while the new page's
 * icon and the router's prefetches are still loading. Navigating away then would cut them off.
 */
async function quiet(w: Watch, quietMs = 500, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let since = Date.now();
  for (;;) {
    if (w.inFlight.size > 0) since = Date.now();
    else if (Date.now() - since >= quietMs) return;
    if (Date.now() > deadline) throw new Error(`still loading after ${timeoutMs} ms: ${[...w.inFlight].map((r) => r.url()).join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The page's width beyond the screen, and the elements that stick out (so a failure says where). */
function overflow(page: Page) {
  return page.evaluate(() => {
    const width = innerWidth;
    const wider = document.documentElement.scrollWidth - width;
    const culprits: string[] = [];
    if (wider > 0) {
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > width + 0.5 && r.width > 0) {
          const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + [...el.classList].map((c) => `.${c}`).join('');
          culprits.push(`${name} (right edge ${Math.round(r.right)})`);
          if (culprits.length >= 8) break;
        }
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, culprits };
  });
}

describe.skipIf(!hasChromium)('the main pages in Chromium, at two screen sizes', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  let served: TestSite;
  let site = '';

  beforeAll(async () => {
    store = await freshDatabase();
    await ingestBundled(store.writer);
    ({ url: site } = served = await openSite({ DATABASE_URL: store.url }));
  });
  afterAll(async () => {
    await served?.close();
    await store?.close();
  });

  it('answers /favicon.ico with 200', async () => {
    const res = await fetch(`${site}/favicon.ico`);
    expect(res.status).toBe(200);
  });

  for (const viewport of viewports) {
    it(`loads every page at ${viewport.width}x${viewport.height} (${viewport.name}) with no error, no failed request and no sideways scroll`, async () => {
      const page = await served.browser.newPage({ viewport: { width: viewport.width, height: viewport.height } });
      const w = watch(page);
      const tooWide: string[] = [];
      const visited: string[] = [];
      /** Hydrated and quiet: nothing left in flight to fail or be aborted by the next navigation. */
      const settled = async (name: string, hydrated?: string) => {
        await page.waitForLoadState('load');
        if (hydrated) await page.locator(hydrated).waitFor({ state: 'attached' });
        await page.waitForLoadState('networkidle');
        await quiet(w);
        const o = await overflow(page);
        visited.push(`${name}: ${page.url()}`);
        if (o.scrollWidth > o.innerWidth) tooWide.push(`${name} (${page.url()}): scrollWidth ${o.scrollWidth} > innerWidth ${o.innerWidth}; sticking out: ${o.culprits.join(', ')}`);
      };
      const visit = async (name: string, pathAndQuery: string) => {
        const response = await page.goto(`${site}${pathAndQuery}`, { waitUntil: 'load' });
        expect.soft(response?.status(), `${name}: ${pathAndQuery}`).toBe(200);
        await settled(name);
      };
      try {
        await visit('home', '/');
        await visit('list', '/ocfs2-devel/');
        await Promise.all([
          page.waitForURL(/\/T\/$/),
          page.getByRole('link', { name: /Confused by commit 56a76f/ }).first().click(),
        ]);
        await settled('seed thread', 'html[data-thread-keys="on"]');
        await visit('scenario', '/scenarios/nick-sigbus-if-mapping-wrong');
        await visit('scenarios', '/scenarios');
        await visit('search', `/search?q=${encodeURIComponent('s:page_mkwrite')}`);
        await visit('search with a syntax error', `/search?q=${encodeURIComponent('s:(')}`);
      } finally {
        await page.close();
      }
      expect(visited).toHaveLength(7);
      if (w.ignored.length) {
        console.info(`[${viewport.name}] left out: ${w.ignored.length} of the router's own fetches it cancelled (net::ERR_ABORTED, see watch()), for ${[...new Set(w.ignored)].join(' ')}`);
      }
      expect.soft(w.problems, `console errors, uncaught errors, failed requests and 4xx/5xx answers:\n${w.problems.join('\n')}`).toEqual([]);
      expect.soft(tooWide, `pages wider than the ${viewport.width} px screen:\n${tooWide.join('\n')}`).toEqual([]);
    }, 180_000);
  }
});
