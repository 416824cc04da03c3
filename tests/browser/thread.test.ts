// The quote-aware thread page in Chromium: folds, quote links both ways,
// keyboard reading, and the seed's ghost rebuilt from the quotes of it.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { freshDatabase } from '../support/db';
import { hasChromium } from '../support/browser';
import { openSite, type TestSite } from '../support/site';
import { eventually } from '../support/wait';
import { ingestBundled } from '../../lib/ingest/bundled';
import { projectRoot } from '../../lib/db/url';

const artefacts = path.join(projectRoot, 'test-results');

describe.skipIf(!hasChromium)('the thread page in Chromium', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  let served: TestSite;
  let browser: Browser;
  let page: Page;
  let site = '';
  let seedThread = '';

  beforeAll(async () => {
    store = await freshDatabase();
    await ingestBundled(store.writer);
    ({ url: site, browser, page } = served = await openSite({ DATABASE_URL: store.url }, { width: 1400, height: 900 }));
    await page.goto(`${site}/ocfs2-devel/`);
    await Promise.all([page.waitForURL(/\/T\/$/), page.getByRole('link', { name: /Confused by commit 56a76f/ }).click()]);
    await page.waitForSelector('article.message');
    seedThread = page.url();
  });
  afterAll(async () => {
    await served?.close();
    await store?.close();
  });

  const from = (name: RegExp) => page.locator('article.message').filter({ has: page.locator('header dd', { hasText: name }) });
  const seedMessage = () => page.locator('article.message:not(.ghost)').last();
  const ghost = () => page.locator('article.message.ghost');
  /** The thread page's script is running: quote links light their target, keys work. */
  const hydrated = () => page.waitForSelector('html[data-thread-keys="on"]', { state: 'attached' });

  it('folds each quote under its writer, and unfolds it on a click', async () => {
    const fold = seedMessage().locator('details.fold').first();
    expect(await fold.getAttribute('open')).toBeNull();
    const summary = fold.locator('summary');
    expect(await summary.textContent()).toMatch(/^Joel Becker wrote, \d+ lines? — “Nick, While visiting some issues/);
    // The attribution line folds with its quote.
    expect(await seedMessage().locator('.seg-new').first().textContent()).not.toContain('wrote:');
    expect(await fold.locator('.seg').first().isVisible()).toBe(false);
    await summary.click();
    expect(await fold.getAttribute('open')).not.toBeNull();
    expect(await fold.locator('.seg-attribution').textContent()).toMatch(/^On Fri, Dec 31, 2010 at 10:29 AM, Joel Becker/);
    expect(await fold.locator('.seg[data-depth="1"]').first().textContent()).toContain('ocfs2_page_mkwrite()');
    fs.mkdirSync(artefacts, { recursive: true });
    await page.screenshot({ path: path.join(artefacts, 'seed-thread-unfolded.png'), fullPage: true });
  });

  it('shows the ghost with the text rebuilt from the quotes of it', async () => {
    const g = ghost();
    expect(await g.count()).toBe(1);
    // The header counts it apart from the messages in the archive; each message has a heading of its own.
    expect(await page.locator('.thread-head p').textContent()).toMatch(/^1 message, 1 reconstructed/);
    expect(await page.locator('article.message h2').allTextContents()).toEqual(['Not in the archive: Joel Becker, 31 Dec 2010', 'Nick Piggin, 31 Dec 2010']);
    expect(await g.locator('header').textContent()).toContain('reconstructed from the replies that quote it');
    const text = await g.locator('.body').textContent();
    expect(text).toContain("While visiting some issues in ocfs2_page_mkwrite(), I realized");
    expect(text).toContain('Is that safe behavior?');
    // Quoted passages come in the order Joel wrote them.
    expect(text!.indexOf('of page_mkwrite() now expects VM_FAULT_NOPAGE')).toBeGreaterThan(text!.indexOf('returning 0 to mean'));
  });

  it('follows a quote to the span it quotes, and back from the source', async () => {
    await page.goto(seedThread);
    await hydrated();
    const fold = seedMessage().locator('details.fold').nth(1);
    await fold.locator('summary').click();
    const link = fold.getByRole('link', { name: /where Joel Becker wrote this/ });
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(/^#qs-\d+$/);
    await link.click();
    await expect.poll(() => page.evaluate(() => location.hash), eventually).toBe(href);
    // The source span is lit in the ghost, and it is the quoted text.
    const lit = ghost().locator('.lit');
    await expect.poll(() => lit.count(), eventually).toBeGreaterThan(0);
    expect((await lit.allTextContents()).join('')).toContain('of page_mkwrite() now expects VM_FAULT_NOPAGE');
    // Back: the ghost names who quoted it, and the link lands on that quote, unfolded.
    const back = ghost().locator('p.quoted-by a').nth(1);
    expect(await ghost().locator('p.quoted-by').textContent()).toMatch(/^Quoted by Nick Piggin/);
    await back.click();
    const target = (await back.getAttribute('href'))!.slice(1);
    const landed = page.locator(`[id="${target}"]`);
    await expect.poll(() => landed.evaluate((el) => (el.closest('details') as HTMLDetailsElement | null)?.open ?? false), eventually).toBe(true);
  });

  it('links a reply quoting a patch to the patch in the message it answers', async () => {
    await page.goto(`${site}/linux-mm/`);
    await Promise.all([page.waitForURL(/\/T\/$/), page.getByRole('link', { name: /\[patch 1\/2\] mm: page_mkwrite change prototype/ }).first().click()]);
    await page.waitForSelector('article.message');
    await hydrated();
    const trond = from(/^Trond Myklebust/).first();
    const fold = trond.locator('details.fold').first();
    expect(await fold.locator('summary').textContent()).toMatch(/Nick Piggin wrote/);
    await fold.locator('summary').click();
    const link = fold.getByRole('link', { name: /where Nick Piggin wrote this/ }).first();
    await link.click();
    const lit = from(/^Nick Piggin/).locator('.lit');
    await expect.poll(() => lit.count(), eventually).toBeGreaterThan(0);
    // The patch itself reads as a diff, not as a quote.
    expect(await page.locator('.seg-diff .d-add').count()).toBeGreaterThan(0);
    expect(await page.locator('.seg-diff .d-del').count()).toBeGreaterThan(0);
  });

  it('reads from the keyboard: j and k move, u goes up, o folds', async () => {
    await page.goto(seedThread);
    await hydrated();
    const focused = () => page.evaluate(() => document.activeElement?.closest('article')?.id ?? null);
    const ids = await page.locator('article.message').evaluateAll((els) => els.map((e) => e.id));
    expect(ids.length).toBe(2);
    const inTree = () => page.locator('.thread-tree li[aria-current]').getAttribute('data-message');
    await page.keyboard.press('j');
    await expect.poll(focused, eventually).toBe(ids[0]);
    // The reply tree marks the message being read.
    await expect.poll(inTree, eventually).toBe(ids[0]);
    await page.keyboard.press('j');
    await expect.poll(focused, eventually).toBe(ids[1]);
    await expect.poll(inTree, eventually).toBe(ids[1]);
    await page.keyboard.press('k');
    await expect.poll(focused, eventually).toBe(ids[0]);
    await page.keyboard.press('j');
    await page.keyboard.press('u');
    await expect.poll(focused, eventually).toBe(ids[0]);
    await page.keyboard.press('j');
    const openFolds = () => seedMessage().locator('details.fold[open]').count();
    expect(await openFolds()).toBe(0);
    await page.keyboard.press('o');
    await expect.poll(openFolds, eventually).toBe(await seedMessage().locator('details.fold').count());
    await page.keyboard.press('o');
    await expect.poll(openFolds, eventually).toBe(0);
    // The focus is visible.
    const shadow = await seedMessage().evaluate((el) => getComputedStyle(el).boxShadow);
    expect(shadow).not.toBe('none');
  });

  it('folds without JavaScript too', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const p = await context.newPage();
    await p.goto(seedThread);
    const fold = p.locator('article.message:not(.ghost)').last().locator('details.fold').first();
    await fold.locator('summary').click();
    expect(await fold.getAttribute('open')).not.toBeNull();
    await context.close();
  });
});
