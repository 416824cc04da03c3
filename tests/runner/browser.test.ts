// The scenario runner in Chromium against the built site: Run, the outcome table, stepping the
// trace, switching and composing the handler, and a reloaded URL giving back the same view.
// Expected figures come from the engine run here, not from constants.

import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { explore, replay } from '@/lib/engine/index';
import { hasChromium } from '../support/browser';
import { openSite, type TestSite } from '../support/site';
import { eventually } from '../support/wait';
import { projectRoot } from '../../lib/db/url';
import { bundled, scenario } from '../engine/helpers';

const artefacts = path.join(projectRoot, 'test-results');
const id = 'nick-sigbus-if-mapping-wrong';
const nick = scenario(id);

describe.skipIf(!hasChromium)('the scenario runner in Chromium', () => {
  let served: TestSite;
  let browser: Browser;
  let page: Page;
  const scriptErrors: string[] = [];
  let site = '';
  const runner = () => page.locator(`section[data-run-key="${id}"]`);
  const verdict = (r: Locator) => r.locator('[aria-live] [data-verdict]').first();
  const row = (r: Locator, outcome: string) => r.locator(`tr[data-outcome="${outcome}"]`);

  beforeAll(async () => {
    ({ url: site, browser, page } = served = await openSite());
    // Uncaught errors and React's complaints (hydration mismatches); failed loads of other routes are not ours
    page.on('pageerror', (e) => scriptErrors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) scriptErrors.push(m.text()); });
    fs.mkdirSync(artefacts, { recursive: true });
  });
  afterAll(async () => {
    await served?.close();
  });

  it('lists every bundled scenario with its precomputed verdict', async () => {
    await page.goto(`${site}/scenarios`);
    const all = bundled();
    expect(await page.locator('tr[data-scenario]').count()).toBe(all.length);
    const first = all[0];
    const expected = explore(first).passed ? 'supported' : 'refuted';
    expect(await page.locator(`tr[data-scenario="${first.id}"] [data-verdict]`).getAttribute('data-verdict')).toBe(expected);
    expect((await page.goto(`${site}/scenarios/no-such-scenario`))?.status()).toBe(404);
  });

  it('shows the precomputed verdict and the prose without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const bare = await context.newPage();
    await bare.goto(`${site}/scenarios/${id}`);
    const r = bare.locator(`section[data-run-key="${id}"]`);
    expect(await r.locator('[data-verdict]').first().getAttribute('data-verdict')).toBe('supported');
    expect(await r.textContent()).toContain('precomputed default run');
    expect(await bare.locator('article').textContent()).toContain('Earlier in the same mail Nick');
    // inline code naming another scenario links to it
    expect(await bare.getByRole('link', { name: 'seed-nopage-retry' }).getAttribute('href')).toBe('/scenarios/seed-nopage-retry');
    await context.close();
  });

  it('runs: the outcome table with the engine\'s figures, then the shortest trace', async () => {
    await page.goto(`${site}/scenarios/${id}`);
    const r = runner();
    await r.getByRole('button', { name: 'Run', exact: true }).click();
    const engine = explore(nick, { measureUnreduced: true });
    // reachable, and for whom: the actors the engine's labels name
    const whom = Object.keys(engine.labels).filter((l) => l.startsWith('Sigbus(') && engine.labels[l]!.reachable).map((l) => l.slice(7, -1));
    expect(whom.length).toBeGreaterThan(0);
    await expect.poll(() => row(r, 'Sigbus').locator('td').first().textContent(), eventually).toBe(`yes${whom.join(', ')}`);
    for (const [o, x] of Object.entries(engine.outcomes)) {
      expect(await row(r, o).getAttribute('data-reachable'), o).toBe(String(x.reachable));
    }
    const stats = r.locator('[data-states]');
    expect(await stats.getAttribute('data-states')).toBe(String(engine.stats.states));
    expect(await stats.getAttribute('data-states-unreduced')).toBe(String(engine.stats.statesWithoutReduction));
    expect(await verdict(r).getAttribute('data-verdict')).toBe('supported');
    // the first expectation with a witness is "exists Sigbus": its trace opens
    await expect.poll(() => r.getByRole('heading', { name: 'Shortest trace to Sigbus' }).count(), eventually).toBe(1);
    expect(await r.locator('[data-trace]').textContent()).toBe(engine.outcomes.Sigbus.trace);
    expect(await r.locator('[data-step]').count()).toBe(engine.outcomes.Sigbus.length);
  });

  it('steps forward, back and to the end, by buttons and keys, marking what changed', async () => {
    const r = runner();
    const steps = replay(nick, explore(nick).outcomes.Sigbus.trace!).steps;
    const position = () => r.locator('[data-position]').getAttribute('data-position');
    const current = () => r.locator('[aria-current="step"]');
    await r.getByRole('button', { name: 'Step forward ▶' }).click();
    await r.getByRole('button', { name: 'Step forward ▶' }).click();
    await expect.poll(position, eventually).toBe('2');
    expect(await current().getAttribute('data-step')).toBe('2');
    expect(await current().locator('code').textContent()).toBe(steps[1].kernelFunction);
    expect(await current().textContent()).toContain(steps[1].location);
    // the state panel marks what the engine says step 2 changed, and nothing else
    const marked = await r.locator('mark[data-path]').evaluateAll((ms) => ms.map((m) => m.getAttribute('data-path')!));
    expect(marked.length).toBeGreaterThan(0);
    for (const p of marked) expect(steps[1].changed.some((c) => p === c || p.startsWith(`${c}.`)), p).toBe(true);
    await r.getByRole('button', { name: '◀ Step back' }).click();
    await expect.poll(position, eventually).toBe('1');
    await r.getByRole('button', { name: 'Jump to end »' }).click();
    await expect.poll(position, eventually).toBe(String(steps.length));
    // the faulting task's own row says what happened to it
    const actors = r.locator('table', { has: page.locator('caption', { hasText: 'Actors' }) });
    const faultRow = nick.actors.findIndex((a) => a.kind === 'fault');
    expect(await actors.locator('tbody tr').nth(faultRow).locator('td').nth(2).textContent()).toBe('SIGBUS');
    // keys on the step list
    await current().focus();
    await page.keyboard.press('Home');
    await expect.poll(position, eventually).toBe('0');
    await page.keyboard.press('ArrowDown');
    await expect.poll(position, eventually).toBe('1');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-step'))).toBe('1');
    await page.screenshot({ path: path.join(artefacts, 'runner-light.png'), fullPage: true });
  });

  it('switching the handler re-runs and updates the verdict; the URL reproduces the view', async () => {
    const r = runner();
    await r.getByLabel('Handler').selectOption('ocfs2@3.2');
    await expect.poll(() => verdict(r).getAttribute('data-verdict'), eventually).toBe('refuted');
    expect(explore(nick, { handler: 'ocfs2@3.2' }).passed).toBe(false);
    expect(await row(r, 'Sigbus').getAttribute('data-reachable')).toBe('false');
    await r.getByRole('button', { name: 'Step forward ▶' }).click();
    await r.getByRole('button', { name: 'Step forward ▶' }).click();
    await r.getByRole('button', { name: 'Step forward ▶' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('step'), eventually).toBe('3');
    const url = new URL(page.url());
    expect(url.searchParams.get('run')).toBe(id);
    expect(url.searchParams.get('handler')).toBe('ocfs2@3.2');
    const seen = {
      outcome: url.searchParams.get('outcome'),
      heading: await r.locator('h3', { hasText: 'Shortest trace to' }).textContent(),
      current: await r.locator('[aria-current="step"]').textContent(),
      table: await r.locator('table').first().textContent(),
    };
    await page.reload();
    await expect.poll(() => verdict(runner()).getAttribute('data-verdict'), eventually).toBe('refuted');
    const again = runner();
    await expect.poll(() => again.locator('[data-position]').getAttribute('data-position'), eventually).toBe('3');
    expect(await again.getByLabel('Handler').inputValue()).toBe('ocfs2@3.2');
    expect(new URL(page.url()).searchParams.get('outcome')).toBe(seen.outcome);
    expect(await again.locator('h3', { hasText: 'Shortest trace to' }).textContent()).toBe(seen.heading);
    expect(await again.locator('[aria-current="step"]').textContent()).toBe(seen.current);
    expect(await again.locator('table').first().textContent()).toBe(seen.table);
  });

  it('composes a handler: edits re-run live and survive a reload', async () => {
    const r = runner();
    await r.getByLabel('Handler').selectOption('custom');
    await r.getByLabel('Start again from').selectOption('scenario');
    await r.getByRole('button', { name: 'Replace the ops' }).click();
    // the scenario's own ops, composed: the same verdict as the scenario's handler
    await expect.poll(() => verdict(r).getAttribute('data-verdict'), eventually).toBe('supported');
    await r.getByLabel('Op 2: return on failure').fill('NOPAGE');
    await expect.poll(() => verdict(r).getAttribute('data-verdict'), eventually).toBe('refuted');
    await expect.poll(() => new URL(page.url()).searchParams.get('ops'), eventually).toBe('lockPage~check(mapping.NOPAGE)~allocate~return(LOCKED)');
    const composed = { ...nick.handler as object, ops: [{ op: 'lockPage' }, { op: 'check', mapping: true, fail: 'NOPAGE' }, { op: 'allocate' }, { op: 'return', ret: 'LOCKED' }] };
    expect(explore(nick, { handler: composed as typeof nick.handler }).passed).toBe(false);
    await page.reload();
    const again = runner();
    await expect.poll(() => verdict(again).getAttribute('data-verdict'), eventually).toBe('refuted');
    expect(await again.getByLabel('Op 2: return on failure').inputValue()).toBe('NOPAGE');
    expect(await again.getByLabel('Op 1', { exact: true }).inputValue()).toBe('lockPage');
    // removing the closing return: the engine's error, shown, not a crash
    await again.getByRole('button', { name: 'Remove op 4' }).click();
    await expect.poll(() => again.getByRole('alert').textContent(), eventually).toContain('the last op must be "return"');
  });

  it('names a bad link parameter and shows the rest', async () => {
    await page.goto(`${site}/scenarios/${id}?run=${id}&era=9.9&handler=gfs2@2.6.37`);
    const r = runner();
    await expect.poll(() => r.getByRole('note').textContent(), eventually).toContain('era=9.9: unknown era');
    expect(await r.getByLabel('Handler').inputValue()).toBe('gfs2@2.6.37');
    await expect.poll(() => verdict(r).textContent(), eventually).toMatch(/supported|refuted/);
  });

  it('works on a small screen in the dark theme', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${site}/scenarios/${id}?run=${id}&handler=scenario&outcome=WriteLanded&step=5`);
    const r = runner();
    await expect.poll(() => r.locator('[data-position]').getAttribute('data-position'), eventually).toBe('5');
    // one column: each step names its actor; nothing wider than the screen
    expect(await r.locator('[aria-current="step"]').textContent()).toContain(replay(nick, explore(nick).outcomes.WriteLanded.trace!).steps[4].actorName);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const background = () => r.locator('[aria-current="step"]').evaluate((e) => getComputedStyle(e).backgroundColor);
    const dark = await background();
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await background()).not.toBe(dark);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: path.join(artefacts, 'runner-dark-small.png'), fullPage: true });
  });

  it('raised no script error on the way', () => {
    expect(scriptErrors).toEqual([]);
  });
});
