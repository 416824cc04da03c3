// Every Message-ID gets permalinks (message, /raw, /T/, t.mbox.gz) that lead back to it: each
// link is resolved as a browser resolves it (the WHATWG URL parser), matched by Next's own
// route matcher, handed to the page or route handler as Next hands params, and read back with
// permalinkParams, as the routes under app/[list]/[mid]/ read them. tests/browser/seed.test.ts
// asks the running site for some of these.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// What `next start` runs to match a path and to give a page its params: an upgrade that
// changes either fails here.
import { getRouteRegex } from 'next/dist/shared/lib/router/utils/route-regex';
import { getRouteMatcher } from 'next/dist/shared/lib/router/utils/route-matcher';
import { getDynamicParam } from 'next/dist/shared/lib/router/utils/get-dynamic-param';
import { MAX_PAGE, messageHref, pageParam, permalinkParams, rawHref, threadHref, threadMboxHref } from '../../lib/archive/urls';
import { messageIdOf } from '../../lib/mail/message-id';
import { messageInList, rawMessage, threadOfMessage } from '../../lib/archive/read';
import { ingestPaths } from '../../lib/ingest';
import { freshDatabase } from '../support/db';

const TRICKY_IDS = [
  '.', '..', '...', '.~', '..~', '..~~', '~', '.a', 'a.',
  'a b@x', ' a@x ', 'a/b%2F@x', 'a/b%20c#d?e@example.org', '%', '100%', '%2E', '%2e%2E', '%252E',
  '?', '#', '/', '//', '\\', 'a\\..\\b@x', '&amp;', "'quoted'@x", 'a+b=c@x', 'a;b:c,d$e!f*g(h)@x',
  'é@x', '日本@例え.jp', '\u{1F600}@x', '<">foo@x>', '<a@x', 'CAF+x=y_Z-1@mail.gmail.com',
  messageIdOf(`<${'x'.repeat(300)}@long>`)!,
];

const HREFS = { message: messageHref, raw: rawHref, thread: threadHref, mbox: threadMboxHref };
const ROUTES = { message: '/[list]/[mid]', raw: '/[list]/[mid]/raw', thread: '/[list]/[mid]/T', mbox: '/[list]/[mid]/t.mbox.gz' };
const HANDLER = { message: 'page', raw: 'route', thread: 'page', mbox: 'route' } as const;

/** What a route under app/[list]/[mid]/ reads from a link, going where a browser goes. */
function followed(href: string, kind: keyof typeof HREFS): { list: string; id: string } | null {
  const { pathname } = new URL(href, 'http://site.test');
  const matched = getRouteMatcher(getRouteRegex(ROUTES[kind]))(pathname.endsWith('/') ? pathname.slice(0, -1) : pathname);
  if (!matched) return null;
  const params = matched as { list: string; mid: string };
  if (HANDLER[kind] === 'route') return permalinkParams(params, 'route')!;
  // A page gets them encoded again (app-render's getDynamicParamFromSegment).
  const encoded = (key: 'list' | 'mid') => getDynamicParam(params, key, 'd', null, []).value as string;
  return permalinkParams({ list: encoded('list'), mid: encoded('mid') }, 'page')!;
}

describe('permalinks', () => {
  for (const list of ['linux-mm', 'a list', '100%']) {
    it(`lead back to every id, on list "${list}"`, () => {
      for (const id of TRICKY_IDS) {
        for (const kind of Object.keys(HREFS) as (keyof typeof HREFS)[]) {
          const href = HREFS[kind](list, id);
          // Nothing a browser would resolve away or take as a query or fragment.
          expect(new URL(href, 'http://site.test').pathname, `${kind} of ${JSON.stringify(id)}`).toBe(href);
          expect(followed(href, kind), `${kind} of ${JSON.stringify(id)}`).toEqual({ list, id });
        }
      }
    });
  }

  it('give every id its own segment', () => {
    const segments = TRICKY_IDS.map((id) => messageHref('l', id));
    expect(new Set(segments).size).toBe(TRICKY_IDS.length);
  });

  it('write ids as lore writes them (public-inbox mid_escape)', () => {
    expect(messageHref('linux-mm', 'CAF+x=y_Z-1@mail.gmail.com')).toBe('/linux-mm/CAF+x=y_Z-1@mail.gmail.com/');
    expect(messageHref('l', "a;b:c,d$e!f*g(h)'~@x")).toBe("/l/a;b:c,d$e!f*g(h)'~@x/");
    expect(messageHref('l', 'a/b%2F@x')).toBe('/l/a%2Fb%252F@x/');
    expect(messageHref('l', 'a b@x')).toBe('/l/a%20b@x/');
    expect(messageHref('l', 'é@x')).toBe('/l/%C3%A9@x/');
    expect(messageHref('l', '<">foo@x>')).toBe('/l/%3C%22%3Efoo@x%3E/');
  });

  it('escape "." and "..", which a browser resolves even percent-encoded, with a "~"', () => {
    // Why not %2E: the URL standard reads it as a dot in a path segment.
    expect(new URL('/l/%2E%2E/', 'http://site.test').pathname).toBe('/');
    expect(messageHref('l', '.')).toBe('/l/.~/');
    expect(messageHref('l', '..')).toBe('/l/..~/');
    expect(rawHref('l', '..')).toBe('/l/..~/raw');
    // So ids that already look like that take one more.
    expect(messageHref('l', '..~')).toBe('/l/..~~/');
    expect(messageHref('l', '...')).toBe('/l/.../');
  });
});

describe('reading a route\'s params', () => {
  it('names nothing for a malformed escape, on a page, instead of throwing', () => {
    expect(permalinkParams({ list: 'test', mid: '%E0%A4%A' }, 'page')).toBeNull();
    expect(permalinkParams({ list: '%zz', mid: 'a@x' }, 'page')).toBeNull();
    expect(permalinkParams({ list: '%zz' }, 'page')).toBeNull();
  });

  it('reads a list alone as it reads one with a message', () => {
    expect(permalinkParams({ list: encodeURIComponent('100%') }, 'page')).toEqual({ list: '100%' });
    expect(permalinkParams({ list: '100%' }, 'route')).toEqual({ list: '100%' });
  });
});

describe('page numbers', () => {
  it('are whole numbers from 1 to MAX_PAGE; anything else is page 1', () => {
    expect([undefined, null, '', 'x', '0', '-3', '2.5', '1e400', '3abc'].map(pageParam)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(pageParam('7')).toBe(7);
    expect(pageParam(' 7 ')).toBe(7);
    expect(pageParam('99999999999999999999')).toBe(MAX_PAGE);
  });
});

describe('a message stored under a tricky id', () => {
  it('is found from each of its permalinks', async () => {
    const store = await freshDatabase();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-permalinks-'));
    try {
      // Message-ID fields; the two `<">` ones are malformed, so kept whole.
      const fields = ['<..>', '<.>', '<a b@x>', '<a/b%2F@x>', '<%2E%2E>', '<">foo@x>', '<">bar@x>', '<é@x>'];
      const files = fields.map((field, i) => {
        const file = path.join(dir, `${i}.eml`);
        fs.writeFileSync(file, `From: A <a@x>\nSubject: message ${i}\nDate: Mon, 1 Feb 2021 10:00:0${i} +0000\nMessage-ID: ${field}\n\nbody\n`);
        return file;
      });
      await ingestPaths(store.writer, files, { list: 'test' });
      for (const [i, field] of fields.entries()) {
        const id = messageIdOf(field)!;
        const at = (kind: keyof typeof HREFS) => followed(HREFS[kind]('test', id), kind)!;
        expect((await messageInList(store.db, 'test', at('message').id))?.subject, field).toBe(`message ${i}`);
        expect((await threadOfMessage(store.db, 'test', at('thread').id))?.thread.subject, field).toBe(`message ${i}`);
        expect((await (await rawMessage(store.db, 'test', at('raw').id))!.bytes()).toString(), field).toContain(`Message-ID: ${field}`);
        expect((await messageInList(store.db, 'test', at('mbox').id))?.threadId, field).toBeTruthy();
      }
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
