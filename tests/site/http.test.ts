// The built site over HTTP, as `npm start` serves it: hostile URLs and methods get 400, 404 or
// 405 and never 500; messages with odd ids are reached through their pages' own links; every
// kind of page carries its security headers (and /raw its own); /raw and t.mbox.gz answer 304
// to a client that has them, and a re-ingest that changes a thread changes its mbox's ETag;
// the server listens on loopback only.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { gunzipSync } from 'node:zlib';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { freshDatabase } from '../support/db';
import { hasChromium } from '../support/browser';
import { openSite, type TestSite } from '../support/site';
import { scratchFolder } from '../support/scratch';
import { ingestPaths } from '../../lib/ingest';
import { messageIdOf } from '../../lib/mail/message-id';
import { messageHref, rawHref, threadHref, threadMboxHref } from '../../lib/archive/urls';
import { bundledScenarios } from '../../app/scenarios/data';
import { nextStartArgs, siteUrl, startSite } from '../../lib/cli/site';
import { freePort } from '../../lib/net/ports';

/** Message-ID fields whose ids hold what ends, escapes or climbs out of a path segment. */
const ODD_FIELDS = ['<100%>', '<%>', '<a/b%2F@x>', '<h#a@x>', '<q?x=1@x>', '<..>', '<.>', '<a b@x>', '<é@x>', '<日本@例え.jp>', '<%E0%A4%A@x>'];
const ODD_IDS = ODD_FIELDS.map((f) => messageIdOf(f)!);
/** A list name with a `%` in it. */
const PCT_LIST = '100%';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request with the path exactly as written (fetch would resolve dot segments and re-escape). */
function ask(base: string, method: string, pathAndQuery: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port, method, path: pathAndQuery, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The href attributes of a page, unescaped as a browser reads them. */
const hrefsOf = (html: string) =>
  [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&#x27;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>'));

const mail = (id: string, i: number, extra = '') =>
  `From: A <a@x>\nSubject: odd ${i}\nDate: Mon, 1 Feb 2021 10:${String(i).padStart(2, '0')}:00 +0000\nMessage-ID: ${id}\n${extra}\nbody ${i}\n`;

describe.skipIf(!hasChromium)('the site over HTTP', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  let served: TestSite;
  let site = '';
  const files = scratchFolder('threadlab-http-');

  beforeAll(async () => {
    store = await freshDatabase();
    const emls = ODD_FIELDS.map((field, i) => files.write(`${i}.eml`, mail(field, i)));
    await ingestPaths(store.writer, emls, { list: 'test' });
    await ingestPaths(store.writer, emls.slice(0, 3), { list: PCT_LIST });
    served = await openSite({ DATABASE_URL: store.url });
    site = served.url;
  });
  afterAll(async () => {
    await served?.close();
    await store?.close();
  });

  const get = (p: string, headers: Record<string, string> = {}) => ask(site, 'GET', p, headers);
  const scenario = () => bundledScenarios().flatMap((l) => (l.ok ? [l.scenario.id] : []))[0]!;

  it('answers every hostile URL and method with its 4xx, never a 500', async () => {
    const raw = rawHref('test', ODD_IDS[2]!);
    const table: Array<[method: string, url: string, status: number]> = [
      // Malformed percent-encoding, in any segment: Next's router would fail on it.
      ['GET', '/x/%E0%A4%A/', 400], ['GET', '/x/%zz/raw', 400], ['GET', '/scenarios/%E0%A4%A', 400], ['GET', '/%zz', 400],
      ['GET', '/test/%zz/T/', 400], ['GET', '/test/a%/t.mbox.gz', 400], ['GET', '/100%/', 400], ['GET', '/test/%C3/claims.json', 400],
      // Nothing by that name.
      ['GET', '/nope/', 404], ['GET', '/test/no-such@x/', 404], ['GET', '/test/no-such@x/T/', 404], ['GET', '/test/no-such@x/raw', 404],
      ['GET', '/test/no-such@x/t.mbox.gz', 404], ['GET', '/test/no-such@x/claims.json', 404], ['GET', '/scenarios/nope', 404],
      ['GET', '/scenarios/..%2F..%2Fetc', 404], ['GET', '/a/b/c/d/e', 404], ['GET', `/nope/${encodeURIComponent(ODD_IDS[0]!)}/raw`, 404],
      // A page number past any end, negative, or not a number.
      ['GET', '/search?q=body&page=99999999999999999999', 200], ['GET', '/search/json?q=body&page=99999999999999999999', 200],
      ['GET', '/search?q=body&page=-3', 200], ['GET', '/test/?page=99999999999999999999', 200], ['GET', '/test/?page=1e400', 200],
      ['GET', '/search?q=%zz', 200],
      // The list whose name holds a %.
      ['GET', rawHref(PCT_LIST, ODD_IDS[0]!), 200], ['GET', threadMboxHref(PCT_LIST, ODD_IDS[1]!), 200], ['GET', `/${encodeURIComponent(PCT_LIST)}/`, 200],
      // Only GET and HEAD, on pages and on files alike.
      ['HEAD', '/', 200], ['HEAD', raw, 200], ['POST', '/', 405], ['PUT', '/test/', 405], ['DELETE', messageHref('test', ODD_IDS[2]!), 405],
      ['PATCH', '/search?q=x', 405], ['POST', raw, 405], ['DELETE', threadMboxHref('test', ODD_IDS[2]!), 405], ['OPTIONS', '/', 405],
      ['OPTIONS', '/search/json?q=x', 405], ['TRACE', '/', 405], ['TRACE', raw, 405], ['TRACE', '/search/json?q=x', 405],
      ['TRACE', `/scenarios/${scenario()}`, 405],
    ];
    const answered = [];
    for (const [method, url] of table) answered.push([method, url, (await ask(site, method, url)).status] as const);
    expect(answered).toEqual(table);
    const refused = await ask(site, 'TRACE', raw);
    expect(refused.headers.allow).toBe('GET, HEAD');
    // A clamped page still says which page it shows.
    const search = await get('/search/json?q=body&page=99999999999999999999');
    expect(JSON.parse(search.body.toString()).page).toBe(1_000_000);
  });

  it("reaches every odd id's message, thread, /raw and t.mbox.gz through its page's own links", async () => {
    for (const [i, id] of ODD_IDS.entries()) {
      const page = await get(messageHref('test', id));
      expect(page.status, id).toBe(200);
      const links = hrefsOf(page.body.toString());
      expect(links, id).toContain(rawHref('test', id));
      expect(links, id).toContain(threadMboxHref('test', id));
      const raw = await get(rawHref('test', id));
      expect([raw.status, raw.body.toString()], id).toEqual([200, mail(ODD_FIELDS[i]!, i)]);
      const mbox = await get(threadMboxHref('test', id));
      expect(mbox.status, id).toBe(200);
      expect(gunzipSync(mbox.body).toString(), id).toContain(`Message-ID: ${ODD_FIELDS[i]}`);
      expect((await get(threadHref('test', id))).status, id).toBe(200);
    }
  });

  it('gives every kind of page its policy and security headers, and /raw keeps its own', async () => {
    const pages = ['/', '/test/', messageHref('test', ODD_IDS[2]!), threadHref('test', ODD_IDS[2]!), '/search', '/search?q=body',
      '/scenarios', `/scenarios/${scenario()}`, '/test/no-such@x/', '/a/b/c/d/e'];
    for (const p of pages) {
      const { headers, body } = await get(p);
      expect(headers['content-type'], p).toMatch(/^text\/html/);
      const policy = String(headers['content-security-policy']);
      const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
      expect(nonce, `${p}: ${policy}`).toBeDefined();
      expect(policy, p).toMatch(/frame-ancestors 'none'/);
      expect(policy, p).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect([headers['x-content-type-options'], headers['x-frame-options'], headers['referrer-policy']], p).toEqual(['nosniff', 'DENY', 'strict-origin-when-cross-origin']);
      // Every script of the page carries the nonce of its own response.
      const scripts = [...body.toString().matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length, p).toBeGreaterThan(0);
      expect(scripts.filter((s) => !s.includes(`nonce="${nonce}"`)), p).toEqual([]);
    }
    const a = (await get('/')).headers['content-security-policy'];
    expect((await get('/')).headers['content-security-policy'], 'a fresh nonce per response').not.toBe(a);
    const raw = await get(rawHref('test', ODD_IDS[2]!));
    expect([raw.headers['content-security-policy'], raw.headers['x-content-type-options'], raw.headers['content-type']]).toEqual(["default-src 'none'", 'nosniff', 'text/plain; charset=utf-8']);
  });

  it('answers 304 for /raw and t.mbox.gz a client has, and a new ETag once a re-ingest changes the thread', async () => {
    const id = ODD_IDS[2]!;
    const raw = await get(rawHref('test', id));
    expect(raw.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(raw.headers['cache-control']).toMatch(/public, max-age=\d+/);
    const again = await get(rawHref('test', id), { 'if-none-match': raw.headers.etag! });
    expect([again.status, again.body.length, again.headers.etag]).toEqual([304, 0, raw.headers.etag]);
    expect((await get(rawHref('test', id), { 'if-none-match': '"other"' })).status).toBe(200);

    const before = await get(threadMboxHref('test', id));
    const etag = before.headers.etag!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect((await get(threadMboxHref('test', id), { 'if-none-match': etag })).status).toBe(304);
    // A reply arrives: the thread, and so its mbox, changes.
    const reply = files.write('reply.eml', mail('<reply@x>', 40, `In-Reply-To: ${ODD_FIELDS[2]}\n`));
    await ingestPaths(store.writer, [reply], { list: 'test' });
    const after = await get(threadMboxHref('test', id), { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(gunzipSync(after.body).toString()).toContain('Message-ID: <reply@x>');
    // The message's own bytes did not change.
    expect((await get(rawHref('test', id), { 'if-none-match': raw.headers.etag! })).status).toBe(304);
  });

  it('listens on the loopback address only', () => {
    const port = new URL(site).port;
    const listening = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' }).trim().split('\n').map((l) => l.split(/\s+/)[3]);
    expect(listening).toEqual([`127.0.0.1:${port}`]);
  });
});

describe('where npm start listens', () => {
  it('passes the host to next start, and prints an address that reaches it', () => {
    expect(nextStartArgs(3000, '127.0.0.1').slice(-5)).toEqual(['start', '-p', '3000', '-H', '127.0.0.1']);
    expect(nextStartArgs(3000, '0.0.0.0').slice(-2)).toEqual(['-H', '0.0.0.0']);
    expect(siteUrl('127.0.0.1', 3000)).toBe('http://127.0.0.1:3000/');
    expect(siteUrl('0.0.0.0', 8080)).toBe('http://127.0.0.1:8080/');
    expect(siteUrl('::', 8080)).toBe('http://[::1]:8080/');
    expect(siteUrl('192.0.2.7', 80)).toBe('http://192.0.2.7:80/');
  });

  it('loads its preloads from files that exist: first the one naming the start, then the method guard', () => {
    const args = nextStartArgs(3000, '127.0.0.1');
    const preloads = args.flatMap((a, i) => (args[i - 1] === '--import' ? [new URL(a)] : []));
    for (const p of preloads) expect(fs.existsSync(p)).toBe(true);
    expect(preloads.map((p) => path.basename(p.pathname)).slice(0, 2)).toEqual(['site-instance.mjs', 'http-guard.mjs']);
  });

  it('refuses a port another server listens on, naming it, before starting anything', async () => {
    const port = await freePort();
    const other = net.createServer().listen(port, '127.0.0.1');
    await once(other, 'listening');
    try {
      await expect(startSite(port, {}, 'pipe', '127.0.0.1')).rejects.toThrow(`port ${port} on 127.0.0.1 is in use`);
    } finally {
      other.close();
    }
  });
});
