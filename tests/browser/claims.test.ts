// Claims beside their words, in Chromium at 1440x900 and 390x844: cards at the height of their
// words, a highlight opening its card in place, the runner opening below its paragraph without
// sideways scroll, underscores left visible, shared ?run= links, claims off, and the same
// reading without JavaScript.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freshDatabase } from '../support/db';
import { hasChromium } from '../support/browser';
import { openSite, type TestSite } from '../support/site';
import { ingestBundled } from '../../lib/ingest/bundled';

const WIDE = { width: 1440, height: 900 };
const NARROW = { width: 390, height: 844 };
const patient = { timeout: 30_000 };
// Nick Piggin's claim that handlers can lock the page they were given: first words "If you can find_or_create_page".
const claim = 'find-implies-lock';

describe.skipIf(!hasChromium)('claims beside their words, in Chromium', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  let served: TestSite;
  let browser: Browser;
  let seed = '';

  beforeAll(async () => {
    store = await freshDatabase();
    await ingestBundled(store.writer);
    served = await openSite({ DATABASE_URL: store.url }, WIDE);
    browser = served.browser;
    const page = served.page;
    await page.goto(`${served.url}/ocfs2-devel/`);
    await page.getByRole('link', { name: /Confused by commit 56a76f/ }).click();
    await page.waitForURL(/\/T\/$/);
    seed = page.url();
  });
  afterAll(async () => {
    await served?.close();
    await store?.close();
  });

  /** A fresh page at a viewport, hydrated (the thread's keys are on). */
  async function open(viewport: typeof WIDE, url = seed, js = true): Promise<{ page: Page; context: BrowserContext }> {
    const context = await browser.newContext({ viewport, javaScriptEnabled: js });
    const page = await context.newPage();
    await page.goto(url);
    if (js) await page.waitForSelector('html[data-thread-keys="on"]');
    return { page, context };
  }

  it('places each collapsed card within 120 px of its words on a wide screen', async () => {
    const { page, context } = await open(WIDE);
    await page.waitForSelector('aside.notes[data-placed]');
    const gaps = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('aside.notes > .note')].map((card) => {
      const slug = card.dataset.note!;
      const words = document.getElementById(`words-${slug}`)!;
      // Words in a folded quote show as the fold's summary line.
      const shown = words.getClientRects().length > 0 ? words : words.closest('details')!.querySelector('summary')!;
      return { slug, gap: Math.abs(card.getBoundingClientRect().top - shown.getBoundingClientRect().top) };
    }));
    expect(gaps.length).toBeGreaterThan(20);
    expect(gaps.filter((g) => g.gap > 120)).toEqual([]);
    // Cards never overlap.
    const boxes = await page.locator('aside.notes > .note').evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.top, r.bottom]));
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]![0]).toBeGreaterThanOrEqual(boxes[i - 1]![1]);
    await context.close();
  });

  for (const [name, viewport] of [['wide', WIDE], ['narrow', NARROW]] as const) {
    it(`opens a card from its words, then runs and steps it with no sideways scroll (${name})`, async () => {
      const { page, context } = await open(viewport);
      const mark = page.locator(`a.claim-mark[data-claim="${claim}"]`).first();
      await mark.click();
      const card = page.locator(`.note.open[data-note="${claim}"]`).filter({ visible: true });
      await card.waitFor();
      expect(await card.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(new URL(page.url()).searchParams.get('claim')).toBe(claim);
      if (viewport === NARROW) {
        // The card opens right after the paragraph holding the words.
        expect(await card.evaluate((el, c) => el.previousElementSibling?.contains(document.getElementById(`words-${c}`)), claim)).toBe(true);
      } else {
        expect(await card.evaluate((el) => el.closest('aside.notes') !== null)).toBe(true);
      }
      expect(await card.getByRole('link', { name: '↑ to the words' }).getAttribute('href')).toBe(`#words-${claim}`);
      await card.getByRole('link', { name: 'Run it here' }).first().click();
      const panel = page.locator(`#run-${claim}`);
      await panel.locator('tr[data-outcome="WriteLanded"]').waitFor(patient);
      // The panel follows the paragraph, not the card column.
      expect(await panel.evaluate((el, c) => !el.closest('aside') && el.previousElementSibling !== null
        && (el.previousElementSibling.contains(document.getElementById(`words-${c}`)) || el.previousElementSibling.matches('.note.inline')), claim)).toBe(true);
      await panel.getByRole('button', { name: 'Step forward ▶' }).click();
      await panel.getByRole('button', { name: 'Step forward ▶' }).click();
      await panel.locator('[data-position="2"]').waitFor(patient);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
      expect(new URL(page.url()).searchParams.get('run')).toBe(claim);
      // One runner at a time: another claim's Run closes this one.
      const other = page.locator('a.claim-mark').filter({ hasNot: page.locator(`[data-claim="${claim}"]`) }).last();
      await other.click();
      const otherSlug = (await other.getAttribute('data-claim'))!;
      await page.locator(`.note.open[data-note="${otherSlug}"]`).filter({ visible: true }).getByRole('link', { name: 'Run it here' }).first().click();
      await page.locator(`#run-${otherSlug} tr[data-outcome]`).first().waitFor(patient);
      expect(await page.locator('.run-slot').count()).toBe(1);
      await context.close();
    });
  }

  it('loads no runner code until a runner opens', async () => {
    const context = await browser.newContext({ viewport: WIDE });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => { if (r.resourceType() === 'script' || r.url().endsWith('.json')) scripts.push(r.url()); });
    await page.goto(seed);
    await page.waitForSelector('html[data-thread-keys="on"]');
    expect(await page.locator('[data-run-key]').count()).toBe(0);
    const before = scripts.length;
    await page.locator(`a.claim-mark[data-claim="${claim}"]`).first().click();
    await page.locator(`.note.open[data-note="${claim}"]`).getByRole('link', { name: 'Run it here' }).first().click();
    await page.locator(`#run-${claim} [data-run-key]`).waitFor(patient);
    expect(scripts.slice(before).some((u) => u.includes('/runnable.json'))).toBe(true);
    expect(scripts.length).toBeGreaterThan(before);
    await context.close();
  });

  it('shows a long run’s progress beside its words, and cancels it', async () => {
    const { page, context } = await open(WIDE);
    // The bundled scenarios explore in milliseconds: this one is served with three more
    // actors (two faulting tasks and a writeback), some seconds of states.
    await page.route('**/scenarios/*/runnable.json', async (route) => {
      const scenario = await (await route.fetch()).json();
      scenario.actors.push({ kind: 'fault', index: 0 }, { kind: 'fault', index: 0 }, { kind: 'writeback' });
      await route.fulfill({ json: scenario });
    });
    await page.locator(`a.claim-mark[data-claim="${claim}"]`).first().click();
    await page.locator(`.note.open[data-note="${claim}"]`).getByRole('link', { name: 'Run it here' }).first().click();
    const status = page.locator(`#run-${claim} [data-run-status]`);
    await expect.poll(() => status.textContent(), patient).toMatch(/^Running… [\d,]+ states, [\d,]+ states\/s$/);
    await page.locator(`#run-${claim}`).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => status.getAttribute('data-run-status'), patient).toBe('cancelled');
    expect(await status.textContent()).toMatch(/^Cancelled after [\d,]+ states, [\d,]+ states\/s$/);
    expect(await page.locator(`#run-${claim}`).getByRole('button', { name: 'Cancel' }).count()).toBe(0);
    // The next run gets an engine of its own, and ends.
    await page.locator(`#run-${claim}`).getByRole('button', { name: 'Run again' }).click();
    await expect.poll(() => status.getAttribute('data-run-status'), { timeout: 60_000 }).toBe('done');
    await context.close();
  });

  it('keeps the underscores of highlighted identifiers visible', async () => {
    const { page, context } = await open(WIDE);
    const mark = page.locator('a.claim-mark', { hasText: 'VM_FAULT_SIGBUS' }).first();
    await mark.scrollIntoViewIfNeeded();
    expect(await mark.evaluate((el) => getComputedStyle(el).borderBottomStyle)).toBe('none');
    // The pixels of the first "_": some are ink of the text's colour, not the tint behind it.
    const box = await mark.evaluate((el) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = n.textContent!.indexOf('_');
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(n, at);
        range.setEnd(n, at + 1);
        const r = range.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }
      return null;
    });
    expect(box).not.toBeNull();
    const png = (await page.screenshot({ clip: box! })).toString('base64');
    const ink = await page.evaluate(async (data) => {
      const img = new Image();
      img.src = `data:image/png;base64,${data}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const g = canvas.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const px = g.getImageData(0, 0, img.width, img.height).data;
      let dark = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i]! < 90 && px[i + 1]! < 90 && px[i + 2]! < 90) dark++;
      return dark;
    }, png);
    expect(ink).toBeGreaterThan(0);
    await context.close();
  });

  it('opens a shared ?run= link with the runner in view', async () => {
    const { page, context } = await open(WIDE, `${seed}?run=${claim}&era=2.6.37&outcome=Retried&step=3#run-${claim}`);
    const panel = page.locator(`#run-${claim}`);
    await panel.locator('[data-position="3"]').waitFor(patient);
    const inView = await panel.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top < innerHeight && r.bottom > 0;
    });
    expect(inView).toBe(true);
    await context.close();
  });

  it('reads without JavaScript: a highlight opens its card, and its run shows a verdict and the outcome table', async () => {
    const { page, context } = await open(NARROW, seed, false);
    await page.locator(`a.claim-mark[data-claim="${claim}"]`).first().click();
    await page.waitForURL((u) => u.searchParams.get('claim') === claim);
    const card = page.locator(`.note.inline[data-note="${claim}"]`);
    await card.getByRole('link', { name: 'Run it here' }).first().click();
    await page.waitForURL((u) => u.searchParams.get('run') === claim);
    const panel = page.locator(`#run-${claim}`);
    expect(await panel.locator('[aria-live] [data-verdict]').first().getAttribute('data-verdict')).toBe('supported');
    expect(await panel.locator('tr[data-outcome="WriteLanded"]').getAttribute('data-reachable')).toBe('true');
    expect(await panel.locator('[data-step]').count()).toBeGreaterThan(0);
    await context.close();
  });

  it('turns claims off for plain reading, and remembers it', async () => {
    const { page, context } = await open(WIDE, `${seed}?claims=off`);
    expect(await page.locator('a.claim-mark').count()).toBe(0);
    expect(await page.locator('.note').count()).toBe(0);
    await page.goto(seed);
    expect(await page.locator('a.claim-mark').count()).toBe(0);
    await page.getByRole('button', { name: /claims: off/ }).click();
    await page.waitForURL(/claims=on/);
    expect(await page.locator('a.claim-mark').count()).toBeGreaterThan(0);
    await context.close();
  });
});
