// The pages under their Content-Security-Policy, in Chromium: the seed thread with a claim's
// runner open and stepped (its Web Worker running), a scenario's page, and a search page run
// with nothing refused. A page that breaks the policy is seen to (the control), so a refusal
// anywhere else fails the test. Screenshots of the seed thread with its runner open at
// 1440x900 and 390x844 go to test-results/.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { freshDatabase } from '../support/db';
import { hasChromium } from '../support/browser';
import { openSite, type TestSite } from '../support/site';
import { ingestBundled } from '../../lib/ingest/bundled';
import { projectRoot } from '../../lib/db/url';
import { bundledScenarios } from '../../app/scenarios/data';

const WIDE = { width: 1440, height: 900 };
const NARROW = { width: 390, height: 844 };
const patient = { timeout: 30_000 };
const claim = 'find-implies-lock';
const artefacts = path.join(projectRoot, 'test-results');

interface Watched {
  page: Page;
  context: BrowserContext;
  /** What the policy refused so far: securitypolicyviolation events and the console's reports. */
  refused(): Promise<string[]>;
}

describe.skipIf(!hasChromium)('the pages under their Content-Security-Policy, in Chromium', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  let served: TestSite;
  let seed = '';

  beforeAll(async () => {
    store = await freshDatabase();
    await ingestBundled(store.writer);
    served = await openSite({ DATABASE_URL: store.url }, WIDE);
    await served.page.goto(`${served.url}/ocfs2-devel/`);
    await served.page.getByRole('link', { name: /Confused by commit 56a76f/ }).click();
    await served.page.waitForURL(/\/T\/$/);
    seed = served.page.url();
    fs.mkdirSync(artefacts, { recursive: true });
  });
  afterAll(async () => {
    await served?.close();
    await store?.close();
  });

  async function watched(viewport = WIDE): Promise<Watched> {
    const context = await served.browser.newContext({ viewport });
    // Before any script of the page: a violation in the document or its workers is reported here.
    await context.addInitScript(() => {
      const seen: string[] = ((window as unknown as { __refused: string[] }).__refused = []);
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`));
    });
    const page = await context.newPage();
    const console: string[] = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) console.push(m.text()); });
    const refused = async () => [...(await page.evaluate(() => (window as unknown as { __refused: string[] }).__refused)), ...console];
    return { page, context, refused };
  }

  /** The seed thread, hydrated, with a claim's runner open and stepped twice in its worker. */
  async function runnerOpen(w: Watched) {
    await w.page.goto(seed);
    await w.page.waitForSelector('html[data-thread-keys="on"]');
    await w.page.locator(`a.claim-mark[data-claim="${claim}"]`).first().click();
    await w.page.locator(`.note.open[data-note="${claim}"]`).filter({ visible: true }).getByRole('link', { name: 'Run it here' }).first().click();
    const panel = w.page.locator(`#run-${claim}`);
    // The runner's engine is up in its Web Worker.
    await panel.locator('[data-run-key][data-engine="loaded"]').waitFor(patient);
    await panel.locator('tr[data-outcome="WriteLanded"]').waitFor(patient);
    await panel.getByRole('button', { name: 'Step forward ▶' }).click();
    await panel.getByRole('button', { name: 'Step forward ▶' }).click();
    await panel.locator('[data-position="2"]').waitFor(patient);
    return panel;
  }

  it('reports a refused inline script (the control)', async () => {
    const w = await watched();
    // The search page as served, policy and all, with markup injected: an inline script without the nonce.
    await w.page.route(/\/search$/, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace('</body>', '<script>window.__ran = true;</script></body>');
      await route.fulfill({ response, body });
    });
    await w.page.goto(`${served.url}/search`);
    await expect.poll(() => w.refused(), patient).not.toEqual([]);
    expect(await w.page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran)).toBeUndefined();
    await w.context.close();
  });

  for (const [name, viewport] of [['wide', WIDE], ['narrow', NARROW]] as const) {
    it(`runs the seed thread's runner with nothing refused (${name})`, async () => {
      const w = await watched(viewport);
      const panel = await runnerOpen(w);
      await panel.scrollIntoViewIfNeeded();
      await w.page.screenshot({ path: path.join(artefacts, `csp-seed-runner-${viewport.width}x${viewport.height}.png`) });
      expect(await w.refused()).toEqual([]);
      await w.context.close();
    });
  }

  it('runs a scenario page and a search with nothing refused', async () => {
    const w = await watched();
    const id = bundledScenarios().flatMap((l) => (l.ok ? [l.scenario.id] : []))[0]!;
    await w.page.goto(`${served.url}/scenarios/${id}`);
    await w.page.locator('[data-run-key][data-engine="loaded"]').waitFor(patient);
    await w.page.goto(`${served.url}/search`);
    await w.page.getByRole('searchbox', { name: 'Query' }).fill('nq:VM_FAULT_NOPAGE');
    await Promise.all([w.page.waitForURL(/\/search\?q=/), w.page.getByRole('button', { name: 'Search' }).click()]);
    await w.page.locator('ol.hits li').first().waitFor(patient);
    // A client-side navigation from the results, through Next's router.
    await Promise.all([w.page.waitForURL(/\/scenarios$/), w.page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Scenarios' }).click()]);
    await w.page.locator('tr[data-scenario]').first().waitFor(patient);
    expect(await w.refused()).toEqual([]);
    await w.context.close();
  });
});
