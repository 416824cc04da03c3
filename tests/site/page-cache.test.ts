// Pages kept and served again (lib/cli/page-cache.mjs): the same page, each answer with a
// fresh nonce of its own in header and body; dropped as soon as an ingest commits; rendered
// once when many ask for it at once.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { freshDatabase } from '../support/db';
import { hasChromium } from '../support/browser';
import { openSite, type TestSite } from '../support/site';
import { scratchFolder } from '../support/scratch';
import { ingestPaths } from '../../lib/ingest';
import { listHref, messageHref } from '../../lib/archive/urls';

const mail = (id: string, subject: string) => `From: A <a@x>\nSubject: ${subject}\nDate: Mon, 1 Feb 2021 10:00:00 +0000\nMessage-ID: <${id}>\n\nbody of ${subject}\n`;
const nonceOf = (policy: string | null) => /'nonce-([^']+)'/.exec(policy ?? '')?.[1];

describe.skipIf(!hasChromium)('pages kept between requests', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  let site: TestSite;
  const files = scratchFolder('threadlab-page-cache-');
  beforeAll(async () => {
    store = await freshDatabase();
    await ingestPaths(store.writer, [files.write('box/cur/1:2,S', mail('first@x', 'the first thread'))], { list: 'kept' });
    site = await openSite({ DATABASE_URL: store.url });
  }, 600_000);
  afterAll(async () => {
    await site?.close();
    await store?.close();
  });

  const get = async (path: string) => {
    const r = await fetch(`${site.url}${path}`);
    return { status: r.status, cache: r.headers.get('x-threadlab-cache'), nonce: nonceOf(r.headers.get('content-security-policy')), body: await r.text() };
  };

  it('serve a page again with a fresh nonce, the same page otherwise', async () => {
    const first = await get(listHref('kept'));
    const again = await get(listHref('kept'));
    expect([first.status, again.status]).toEqual([200, 200]);
    expect([first.cache, again.cache]).toEqual([null, 'hit']);
    expect(first.nonce).toBeTruthy();
    expect(again.nonce).not.toBe(first.nonce);
    for (const answer of [first, again]) {
      const inBody = [...answer.body.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]);
      expect(inBody.length).toBeGreaterThan(0);
      expect(new Set(inBody)).toEqual(new Set([answer.nonce]));
    }
    expect(again.body.replaceAll(again.nonce!, 'N')).toBe(first.body.replaceAll(first.nonce!, 'N'));
  });

  it('render a page many ask for at once only once, and send each its answer with a nonce of its own', async () => {
    // Asked for while it is rendered, the page is shared; asked for after, it is kept: either way one rendering.
    const answers = await Promise.all(Array.from({ length: 8 }, () => get(messageHref('kept', 'first@x'))));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers.filter((a) => a.cache === null)).toHaveLength(1);
    expect(answers.every((a) => a.cache === null || a.cache === 'shared' || a.cache === 'hit')).toBe(true);
    expect(new Set(answers.map((a) => a.nonce)).size).toBe(8);
    expect(new Set(answers.map((a) => a.body.replaceAll(a.nonce!, 'N'))).size).toBe(1);
    expect(answers[0].body).toContain('body of the first thread');
  });

  it('drop what they keep when an ingest commits', async () => {
    expect((await get(listHref('kept'))).cache).toBe('hit');
    await ingestPaths(store.writer, [files.write('box/cur/2:2,S', mail('second@x', 'a thread stored later'))], { list: 'kept' });
    const after = await get(listHref('kept'));
    expect(after.cache).toBeNull();
    expect(after.body).toContain('a thread stored later');
  });

  it('keep no answer but a page', async () => {
    const missing = await get('/kept/nobody@x/');
    expect(missing.status).toBe(404);
    expect((await get('/kept/nobody@x/')).cache).toBeNull();
  });

  it('keep a search answer until an ingest commits, and tell a client that holds it that nothing changed', async () => {
    const path = '/search/json?q=thread';
    // The server's first search indexes the scenarios it serves: a write, after which what it answered is not kept.
    await fetch(`${site.url}/search/json?q=scenario`);
    const first = await fetch(`${site.url}${path}`);
    const etag = first.headers.get('etag');
    const total = ((await first.json()) as { messages: { total: number } }).messages.total;
    expect(etag).toBeTruthy();
    expect(total).toBeGreaterThan(0);
    expect((await get(path)).cache).toBe('hit');
    const held = await fetch(`${site.url}${path}`, { headers: { 'if-none-match': etag! } });
    expect(held.status).toBe(304);
    await ingestPaths(store.writer, [files.write('box/cur/3:2,S', mail('third@x', 'one more thread'))], { list: 'kept' });
    const after = await fetch(`${site.url}${path}`);
    expect(after.headers.get('x-threadlab-cache')).toBeNull();
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(((await after.json()) as { messages: { total: number } }).messages.total).toBe(total + 1);
  });
});
