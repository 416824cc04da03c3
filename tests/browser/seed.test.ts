import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { freshDatabase } from '../support/db';
import { hasChromium } from '../support/browser';
import { openSite, type TestSite } from '../support/site';
import { eventually } from '../support/wait';
import { ingestBundled, bundledMailDir } from '../../lib/ingest/bundled';
import { projectRoot } from '../../lib/db/url';
import { ingestPaths } from '../../lib/ingest';
import { splitMbox } from '../../lib/mail';
import { messageHref, rawHref, threadHref, threadMboxHref } from '../../lib/archive/urls';
import { gunzipSync } from 'node:zlib';
import { Readable } from 'node:stream';
import os from 'node:os';

// A Message-ID may hold characters that end or confuse a URL path segment.
const awkwardId = 'a/b%20c#d?e@example.org';
// Ids a browser resolves as path segments, and ones a route could decode twice.
const trickyIds = ['..', '.', 'a b@x', 'a/b%2F@x'];

const artefacts = path.join(projectRoot, 'test-results');

describe.skipIf(!hasChromium)('the site in Chromium', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  let served: TestSite;
  let browser: Browser;
  let page: Page;
  let site = '';

  beforeAll(async () => {
    store = await freshDatabase();
    await ingestBundled(store.writer);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-eml-'));
    const emls = [awkwardId, ...trickyIds].map((id, i) => {
      const eml = path.join(dir, `${i}.eml`);
      const subject = i === 0 ? 'awkward id' : `tricky id ${i}`;
      fs.writeFileSync(eml, `From: A <a@example.org>\nSubject: ${subject}\nDate: Mon, 1 Feb 2021 10:0${i}:00 +0000\nMessage-ID: <${id}>\n\nbody\n`);
      return eml;
    });
    await ingestPaths(store.writer, emls, { list: 'test' });
    ({ url: site, browser, page } = served = await openSite({ DATABASE_URL: store.url }));
  });
  afterAll(async () => {
    await served?.close();
    await store?.close();
  });

  it('opens the seed thread from the home page, with the ghost it quotes', async () => {
    await page.goto(`${site}/`);
    // Each click navigates: wait for the URL it leads to, then for what is on the new page.
    await Promise.all([page.waitForURL(/\/ocfs2-devel\/$/), page.getByRole('link', { name: 'ocfs2-devel', exact: true }).click()]);
    await Promise.all([page.waitForURL(/\/T\/$/), page.getByRole('link', { name: /Confused by commit 56a76f/ }).click()]);
    await expect.poll(() => page.locator('h1').textContent(), eventually).toMatch(/Confused by commit 56a76f/);
    const tree = page.getByRole('list', { name: 'Reply tree' });
    expect(await tree.textContent()).toMatch(/not in archive.*Joel Becker/);
    const body = page.locator('article.message:not(.ghost) .body');
    expect(await body.locator('.seg-new').allTextContents()).toContainEqual(expect.stringContaining('If the filesystem returns 0, it means minor fault'));
    // Quoted lines are set apart from new text, behind a fold.
    expect(await body.locator('details.fold [data-depth="1"]').first().textContent()).toMatch(/^> Nick,/);
    fs.mkdirSync(artefacts, { recursive: true });
    await page.screenshot({ path: path.join(artefacts, 'seed-thread.png'), fullPage: true });
  });

  it('serves the raw view as the original bytes, as plain text', async () => {
    const seedMessage = page.locator('article.message:not(.ghost)').last();
    const rawUrl = await seedMessage.getByRole('link', { name: 'raw' }).getAttribute('href');
    const response = await page.goto(`${site}${rawUrl}`);
    expect(response?.headers()['content-type']).toMatch(/^text\/plain/);
    const original = fs.readFileSync(path.join(bundledMailDir, 'ocfs2-devel', '2010-December-confused-by-commit-56a76f.txt'));
    expect(Buffer.from(await response!.body()).equals(original)).toBe(true);
  });

  it('answers an unknown Message-ID with a 404 page', async () => {
    const response = await page.goto(`${site}/linux-mm/no-such-id@example.org/`);
    expect(response?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Not found');
  });

  it('keeps a Message-ID with /, %, # and ? intact in its permalink', async () => {
    const href = messageHref('test', awkwardId);
    expect(href).not.toMatch(/[#?]|a\/b/);
    const response = await page.goto(`${site}${href}`);
    expect(response?.status()).toBe(200);
    expect(await page.locator('dd', { hasText: awkwardId }).count()).toBe(1);
  });

  it('serves a message at its permalink, /raw, /T/ and t.mbox.gz whatever its id, and links it there', async () => {
    for (const [i, id] of trickyIds.entries()) {
      const subject = `tricky id ${i + 1}`;
      const href = messageHref('test', id);
      const response = await page.goto(`${site}${href}`);
      expect(response?.status(), href).toBe(200);
      expect(new URL(page.url()).pathname).toBe(href);
      expect(await page.locator('h1').textContent()).toBe(subject);
      // The links the page renders are the same permalinks.
      const message = page.locator('article.message');
      expect(await message.getByRole('link', { name: 'permalink', exact: true }).getAttribute('href')).toBe(href);
      expect(await message.getByRole('link', { name: 'raw', exact: true }).getAttribute('href')).toBe(rawHref('test', id));
      expect(await message.getByRole('link', { name: 'whole thread', exact: true }).getAttribute('href')).toBe(threadHref('test', id));
      expect(await page.getByRole('link', { name: 'mbox.gz', exact: true }).getAttribute('href')).toBe(threadMboxHref('test', id));

      const raw = await page.goto(`${site}${rawHref('test', id)}`);
      expect(raw?.status(), rawHref('test', id)).toBe(200);
      expect(Buffer.from(await raw!.body()).toString()).toContain(`Message-ID: <${id}>`);
      const thread = await page.goto(`${site}${threadHref('test', id)}`);
      expect(thread?.status(), threadHref('test', id)).toBe(200);
      expect(await page.locator('h1').textContent()).toBe(subject);
      const mbox = await fetch(`${site}${threadMboxHref('test', id)}`);
      expect(mbox.status, threadMboxHref('test', id)).toBe(200);
      expect(gunzipSync(Buffer.from(await mbox.arrayBuffer())).toString()).toContain(`Message-ID: <${id}>`);
    }
  });

  it('serves the whole thread as an mbox that reads back to the same messages', async () => {
    await page.goto(`${site}/linux-mm/`);
    await Promise.all([page.waitForURL(/\/T\/$/), page.getByRole('link', { name: /\[patch 1\/2\] mm: page_mkwrite change prototype/ }).first().click()]);
    await page.locator('article.message').first().waitFor();
    const size = Number((await page.locator('p.muted').first().textContent())!.match(/(\d+) messages?/)![1]);
    const href = await page.getByRole('link', { name: /mbox\.gz/ }).getAttribute('href');
    const response = await fetch(`${site}${href}`);
    expect(response.headers.get('content-type')).toBe('application/gzip');
    const mbox = gunzipSync(Buffer.from(await response.arrayBuffer()));
    const read = [];
    for await (const m of splitMbox(Readable.from([mbox]), 't.mbox', {}, 'mbox')) read.push(m);
    expect(size).toBeGreaterThan(1);
    expect(read).toHaveLength(size);
    const trond = fs.readFileSync(path.join(bundledMailDir, 'linux-mm', '03-trond-myklebust.eml'));
    expect(read.some((m) => Buffer.from(m.raw).equals(trond))).toBe(true);
  });
});
