// Authoring claims in the browser, in Chromium: select words, claim them with a bundled scenario
// or one composed in the form, see the verdict computed in the page's worker, save; the card is
// there at once and after a reload, and the files are written into the site's content folder (a
// copy, THREADLAB_CONTENT_DIR). Selections across a quote boundary are refused; without the edit
// token nothing is written (403) and the block is offered to copy; two saves at once both land;
// cards edit and remove their claim; and the files written pass the annotation tests.

import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { freshDatabase, type Store } from '../support/db';
import { hasChromium } from '../support/browser';
import { openSite, type TestSite } from '../support/site';
import { eventually } from '../support/wait';
import { scratchFolder } from '../support/scratch';
import { prepare } from '../../lib/db/connection';
import { projectRoot } from '../../lib/db/url';
import { ingestBundled } from '../../lib/ingest/bundled';
import { loadAnnotations } from '../../lib/claims/load';
import { threadHref } from '../../lib/archive/urls';
import { claimIdFor } from '../../lib/claims/write';

const WIDE = { width: 1440, height: 900 };
const NARROW = { width: 390, height: 844 };
const TOKEN = 'a token for the authoring test';
const patient = { timeout: 30_000 };
// Unclaimed sentences of Nick Piggin's "close races" patch (linux-mm, 14 Apr 2009), each once in his own text.
const FULL_CONTROL = 'This allows the filesystem to have full control of metadata associated with a dirty page.';
const WANTS_METADATA = 'A filesystem that wants to set some metadata to a page while it is dirty';
const NOT_ALWAYS = 'It is not always possible to perform the required metadata manipulation';
const CANNOT_MARK = 'The VM cannot mark the pte dirty before page_mkwrite';
const HOLDING = 'Holding the page locked across ->page_mkwrite gives the filesystem full control of a dirty page\'s metadata.';
const SET_UP = 'Metadata set-up cannot always wait for ->set_page_dirty.';
const CHANGE = 'Change page_mkwrite to allow callers to return with the page locked';
const CHANGED = 'The patch lets ->page_mkwrite return with the page locked.';
const WHY = 'A history claim about what a patch changes: the engine runs kernels, not patches.';
const WANTS = 'A truncate racing the write fault never loses the store.';
const NO_MARK = 'The VM cannot mark the pte dirty before ->page_mkwrite, which may fail.';

describe.skipIf(!hasChromium)('authoring claims in the browser, in Chromium', () => {
  let store: Store;
  let on: TestSite;
  let off: TestSite;
  const scratch = scratchFolder('threadlab-authoring-');
  const content = path.join(scratch.dir, 'content');
  const annotations = () => loadAnnotations(path.join(content, 'annotations'));
  let closeRaces = '';
  let seed = '';

  beforeAll(async () => {
    fs.cpSync(path.join(projectRoot, 'content'), content, { recursive: true });
    store = await freshDatabase();
    await ingestBundled(store.writer);
    const thread = (sql: string) => {
      const m = prepare<[], { list: string; archiveId: string }>(store.writer, `SELECT l.name AS list, t."rootArchiveId" AS "archiveId" FROM "Message" m
        JOIN "List" l ON l.id = m."listId" JOIN "Thread" t ON t.id = m."threadId" JOIN "MessageText" x ON x."messageId" = m.id WHERE ${sql} LIMIT 1`).get()!;
      return threadHref(m.list, m.archiveId);
    };
    closeRaces = thread(`x.body LIKE '%${FULL_CONTROL.slice(0, 40)}%' AND NOT m."isGhost"`);
    seed = thread(`m."fromName" = 'Nick Piggin' AND x.body LIKE '%Well you just return NOPAGE%'`);
    on = await openSite({ DATABASE_URL: store.url, THREADLAB_CONTENT_DIR: content, THREADLAB_EDIT_TOKEN: TOKEN }, WIDE);
    off = await openSite({ DATABASE_URL: store.url, THREADLAB_CONTENT_DIR: content }, WIDE);
  });
  afterAll(async () => {
    await on?.close();
    await off?.close();
    await store?.close();
  });

  /** A page of `site` at a viewport, hydrated, in authoring mode. */
  async function authoring(site: TestSite, url: string, viewport = WIDE, options: Parameters<TestSite['browser']['newContext']>[0] = {}): Promise<{ page: Page; context: BrowserContext }> {
    const context = await site.browser.newContext({ viewport, ...options });
    const page = await context.newPage();
    await page.goto(site.url + url);
    await page.waitForSelector('html[data-thread-keys="on"]');
    await page.getByRole('button', { name: 'Add claims' }).click();
    await page.waitForSelector('.thread-messages[data-candidates]');
    return { page, context };
  }

  /** Selects `from` (and through `to`, when given) as a reader would with the mouse: a range over the page's text. */
  async function select(page: Page, from: string, to?: string) {
    await page.evaluate(({ from, to }) => {
      // The words as the mail wraps them: any run of white space where they have a space.
      const find = (words: string) => {
        const re = new RegExp(words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'));
        // In the messages of the archive: a ghost's reconstructed text repeats what replies quote.
        for (const article of document.querySelectorAll('.thread-messages article:not(.ghost)')) {
        const walk = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
          const m = re.exec(n.textContent!);
          if (m) return { node: n, at: m.index, end: m.index + m[0].length };
        }
        }
        throw new Error(`no text node holds "${words}"`);
      };
      const start = find(from);
      const end = to ? find(to) : start;
      const range = document.createRange();
      range.setStart(start.node, start.at);
      range.setEnd(end.node, end.end);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    }, { from, to });
  }

  /** Selects words, takes the offer, and fills the claim: the form, open. */
  async function claimWords(page: Page, words: string, statement: string): Promise<Locator> {
    await select(page, words);
    await page.getByRole('button', { name: 'Add claim', exact: true }).click();
    const form = page.locator('[data-author-form]');
    await form.waitFor(patient);
    await form.getByLabel('Statement').fill(statement);
    return form;
  }

  async function pickScenario(form: Locator, search: string, id: string) {
    await form.getByRole('searchbox').fill(search);
    await form.locator(`button[data-scenario="${id}"]`).click();
  }

  const verdictOf = (form: Locator) => form.locator('[data-live-verdict]').first().getAttribute('data-live-verdict');

  async function save(form: Locator, page: Page, token = TOKEN) {
    await form.getByLabel('Edit token').fill(token);
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-author-notice]').waitFor(patient);
    return (await page.locator('[data-author-notice]').textContent())!;
  }

  it('claims selected words with a bundled scenario: live verdict, its trace, saved, and the card there now and after a reload', async () => {
    const { page, context } = await authoring(on, closeRaces);
    const form = await claimWords(page, FULL_CONTROL, HOLDING);
    // The form opens in place: right after the paragraph holding the words.
    expect(await form.evaluate((el, w) => el.parentElement!.previousElementSibling!.textContent!.replace(/\s+/g, ' ').includes(w), FULL_CONTROL)).toBe(true);
    // The anchor as it will be saved.
    await expect.poll(() => form.locator('dd').first().textContent(), eventually).toBe(FULL_CONTROL);
    await pickScenario(form, 'returns locked', 'ocfs2-fixed-returns-locked');
    await expect.poll(() => verdictOf(form), eventually).toBe('supported');
    await form.getByRole('button', { name: 'Show the shortest trace' }).click();
    await form.locator('[data-run-key] [data-trace]').waitFor(patient);
    expect(await form.locator('[data-claim-block]').textContent()).toContain('  - { scenario: ocfs2-fixed-returns-locked, expect: supported }');
    const notice = await save(form, page);
    const slug = claimIdFor(HOLDING, new Set());
    expect(notice).toMatch(new RegExp(`Saved linux-mm/2009-04-14-b827e496-close-races.md#${slug} to .*computed verdict: supported`));
    // The page shows the claim at once: its words marked, its card in the margin.
    await page.locator(`a.claim-mark[data-claim="${slug}"]`).waitFor(patient);
    await page.locator(`aside.notes .note[data-note="${slug}"]`).waitFor(patient);
    await page.reload();
    await page.locator(`aside.notes .note[data-note="${slug}"][data-verdict="supported"]`).waitFor(patient);
    const file = annotations().find((f) => f.claims.some((c) => c.id === slug))!;
    expect(file.problems).toEqual([]);
    expect(file.claims.find((c) => c.id === slug)).toMatchObject({ claimant: 'Nick Piggin', anchor: { exact: FULL_CONTROL, in: 'new' }, tests: [{ scenario: 'ocfs2-fixed-returns-locked', expect: 'supported' }] });
    await context.close();
  });

  it('composes a scenario in the form and saves it beside the claim (narrow screen)', async () => {
    const { page, context } = await authoring(on, closeRaces, NARROW);
    const form = await claimWords(page, WANTS_METADATA, WANTS);
    await form.getByRole('radio', { name: 'compose one here' }).check();
    // The composer starts from a store racing a truncate that never loses the write.
    expect(await form.getByLabel(/\(never\)/).inputValue()).toBe('DataLost');
    const id = form.getByLabel('Id', { exact: true });
    await id.fill('authored-fault-against-truncate');
    await form.getByLabel('Title', { exact: true }).fill('A write fault against a truncate to 0, composed in the form');
    await expect.poll(() => verdictOf(form), eventually).toBe('supported');
    expect(await form.locator('details').filter({ hasText: 'content/scenarios/authored-fault-against-truncate.md' }).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);
    const notice = await save(form, page);
    expect(notice).toContain('scenarios/authored-fault-against-truncate.md');
    const scenario = fs.readFileSync(path.join(content, 'scenarios', 'authored-fault-against-truncate.md'), 'utf8');
    expect(scenario).toMatch(/^---\nid: authored-fault-against-truncate\ntitle: "A write fault against a truncate to 0, composed in the form"\nera: "2\.6\.37"\n[^]*\nexpect:\n {2}never:\n {4}- DataLost\n---\n/);
    const claim = annotations().flatMap((f) => f.claims).find((c) => c.tests.some((t) => t.scenario === 'authored-fault-against-truncate'))!;
    expect(claim.anchor.exact).toBe(WANTS_METADATA);
    await context.close();
  });

  it('refuses a selection across a quote boundary, saying why', async () => {
    const { page, context } = await authoring(on, seed);
    await select(page, 'Currently, we presume', 'The better way to do this');
    const refusal = page.locator('[data-author-refusal]');
    await refusal.waitFor(patient);
    expect(await refusal.textContent()).toMatch(/crosses a quote boundary/);
    expect(await page.getByRole('button', { name: 'Add claim', exact: true }).count()).toBe(0);
    await context.close();
  });

  it('writes nothing without the token: the route answers 403, and the page offers the block to copy', async () => {
    const body = JSON.stringify({ archiveId: 'x', claim: { claimant: 'A', kind: 'rule', statement: 'S', anchor: { exact: 'e' }, tests: [] } });
    const post = (site: TestSite, headers: Record<string, string> = {}) => fetch(`${site.url}/authoring/claims`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    expect((await post(off, { 'x-threadlab-edit-token': TOKEN })).status).toBe(403);
    expect((await post(on)).status).toBe(403);
    expect((await post(on, { 'x-threadlab-edit-token': 'wrong' })).status).toBe(403);
    expect((await fetch(`${on.url}/authoring/claims?key=x`, { method: 'DELETE' })).status).toBe(403);
    const before = JSON.stringify(annotations());
    // Without the rights, the same form: the block to copy.
    const { page, context } = await authoring(off, closeRaces, WIDE, { permissions: ['clipboard-read', 'clipboard-write'] });
    const form = await claimWords(page, NOT_ALWAYS, 'Metadata cannot always be set up in ->set_page_dirty, which may neither block nor fail.');
    await pickScenario(form, 'dirtied unprepared', 'ocfs2-not-uptodate-dirtied');
    await expect.poll(() => verdictOf(form), eventually).toMatch(/supported|refuted/);
    await form.locator('[data-authoring-off]').waitFor();
    expect(await form.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await form.getByRole('button', { name: 'Copy the block' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText()), eventually).toContain(`exact: ${NOT_ALWAYS}`);
    // With the rights but a wrong token: refused, and said so.
    const { page: other, context: second } = await authoring(on, closeRaces);
    const refused = await claimWords(other, NOT_ALWAYS, 'Metadata cannot always be set up in ->set_page_dirty.');
    await pickScenario(refused, 'dirtied unprepared', 'ocfs2-not-uptodate-dirtied');
    await refused.getByLabel('Edit token').fill('not the token');
    await expect.poll(() => verdictOf(refused), eventually).toMatch(/supported|refuted/);
    await refused.getByRole('button', { name: 'Save' }).click();
    await refused.getByRole('alert').filter({ hasText: 'Not saved (403)' }).waitFor(patient);
    expect(JSON.stringify(annotations())).toBe(before);
    await context.close();
    await second.close();
  });

  it('keeps both claims of two saves made at once', async () => {
    const forms = await Promise.all([[NOT_ALWAYS, SET_UP], [CANNOT_MARK, NO_MARK]]
      .map(async ([words, statement]) => {
        const { page, context } = await authoring(on, closeRaces);
        const form = await claimWords(page, words!, statement!);
        await pickScenario(form, 'dirtied unprepared', 'ocfs2-not-uptodate-dirtied');
        await expect.poll(() => verdictOf(form), eventually).toMatch(/supported|refuted/);
        await form.getByLabel('Edit token').fill(TOKEN);
        return { page, context, form };
      }));
    await Promise.all(forms.map(({ form }) => form.getByRole('button', { name: 'Save' }).click()));
    for (const { page } of forms) await page.locator('[data-author-notice]').waitFor(patient);
    const exacts = annotations().flatMap((f) => f.claims).map((c) => c.anchor.exact);
    expect(exacts).toContain(NOT_ALWAYS);
    expect(exacts).toContain(CANNOT_MARK);
    await forms[0]!.page.reload();
    for (const slug of [SET_UP, NO_MARK].map((s) => claimIdFor(s, new Set()))) {
      await forms[0]!.page.locator(`aside.notes .note[data-note="${slug}"]`).waitFor(patient);
    }
    for (const { context } of forms) await context.close();
  });

  it('saves a claim no scenario can test, saying why', async () => {
    const { page, context } = await authoring(on, closeRaces);
    const form = await claimWords(page, CHANGE, CHANGED);
    await form.getByLabel('Kind').selectOption('history');
    await form.getByRole('checkbox', { name: /No scenario can test this claim/ }).check();
    expect(await form.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await form.getByLabel(/Why not/).fill(WHY);
    expect(await form.locator('[data-claim-block]').textContent()).toContain(`untested: "${WHY}"`);
    await save(form, page);
    const slug = claimIdFor(CHANGED, new Set());
    await page.locator(`aside.notes .note[data-note="${slug}"][data-verdict="untested"]`).waitFor(patient);
    expect(annotations().flatMap((f) => f.claims).find((c) => c.id === slug)).toMatchObject({ kind: 'history', tests: [], untested: WHY });
    await context.close();
  });

  it('edits and removes a claim from its card', async () => {
    const slug = claimIdFor(NO_MARK, new Set());
    const { page, context } = await authoring(on, closeRaces);
    await page.locator(`aside.notes .note[data-note="${slug}"] .note-line`).click();
    const card = page.locator(`.note.open[data-note="${slug}"]`).filter({ visible: true });
    await card.getByRole('button', { name: 'Edit' }).click();
    const form = page.locator('[data-author-form="edit"]');
    await form.waitFor(patient);
    expect(await form.getByLabel('Statement').inputValue()).toBe(NO_MARK);
    await form.getByLabel('Kind').selectOption('history');
    await form.getByLabel('Edit token').fill(TOKEN);
    await expect.poll(() => verdictOf(form), eventually).toMatch(/supported|refuted/);
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-author-notice]').waitFor(patient);
    const edited = () => annotations().flatMap((f) => f.claims).find((c) => c.id === slug);
    expect(edited()?.kind).toBe('history');
    // The card stays open across the save; reopened if not.
    if (await card.count() === 0) await page.locator(`aside.notes .note[data-note="${slug}"] .note-line`).click();
    await card.getByRole('button', { name: 'Remove', exact: true }).click();
    await card.getByRole('button', { name: /Remove it from/ }).click();
    await expect.poll(() => page.locator(`.note[data-note="${slug}"]`).count(), eventually).toBe(0);
    expect(edited()).toBeUndefined();
    await context.close();
  });

  it('marks, faintly, the writer\'s sentences that name the modelled vocabulary and hold no claim', async () => {
    const { page, context } = await authoring(on, closeRaces);
    const marked = await page.evaluate(() => [...(CSS.highlights.get('claim-candidate') ?? [])].map((r) => {
      const range = r as Range;
      const inClaim = [...document.querySelectorAll('a.claim-mark')].some((a) => range.intersectsNode(a));
      return { text: range.toString().replace(/\s+/g, ' '), inClaim, inGhost: !!range.startContainer.parentElement?.closest('article.ghost') };
    }));
    expect(marked.length).toBeGreaterThan(3);
    expect(marked.filter((m) => m.inClaim || m.inGhost)).toEqual([]);
    // What was claimed above is no longer a candidate; what was not still is.
    expect(marked.map((m) => m.text).join('\n')).not.toContain(FULL_CONTROL);
    await page.getByRole('button', { name: 'Authoring: on' }).click();
    await expect.poll(() => page.evaluate(() => CSS.highlights.has('claim-candidate')), eventually).toBe(false);
    await context.close();
  });

  it('wrote files that pass the annotation tests', () => {
    const run = spawnSync(process.execPath, [path.join(projectRoot, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'sqlite', '--reporter', 'verbose', 'tests/claims/annotations.test.ts'], {
      cwd: projectRoot, env: { ...process.env, THREADLAB_CONTENT_DIR: content }, encoding: 'utf8', timeout: 300_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`#${claimIdFor(HOLDING, new Set())}: the computed verdict is the expected one`);
    expect(run.stdout).toContain(`#${claimIdFor(WANTS, new Set())}: the computed verdict is the expected one`);
  }, 320_000);
});
