// Preloaded into `next start` (node --import, lib/cli/site.ts), inside http-guard.mjs: what
// Next renders is kept in memory and served again until the database changes, so a page
// read often is rendered once, not per request (rendering is most of a page's cost: React's
// server runtime and its garbage, measured on the 50k archive).
//
// - Kept: GET answers 200 without Set-Cookie that are pages (text/html) or files that name
//   their content with an ETag (/raw, t.mbox.gz, a search's JSON and Atom feed), keyed by
//   URL and Cookie.
// - Fresh: the archive's version (lib/db/data-version.mjs: SQLite's change counter, or
//   PostgreSQL's data_version row), read on every request, moves on whenever any other
//   connection commits (an ingest, a sync, the site's own start; on PostgreSQL, whichever
//   machine it runs on): everything kept is dropped then. So several servers on one
//   PostgreSQL never serve a page older than the rows. An entry also lives at most ENTRY_MS
//   (relative dates in a search).
// - Each page still has its own Content-Security-Policy nonce: the one it was rendered
//   with, a random token, is replaced in its header, and in its body as it goes out, by a
//   fresh one. That needs the body as Next wrote it, uncompressed (next.config.js: compress
//   false). Kept as written, a hit allocates nothing the size of a page: kept deflated,
//   inflating a 930 KB thread page per hit grew the server's RSS by 124 MB under load.
// - An answer served again says so: X-Threadlab-Cache: hit.
// - Asked again while it is being rendered, a GET waits for that rendering and is sent
//   its answer, whatever its status (X-Threadlab-Cache: shared): 32 clients asking one
//   slow search at once run it once, not 32 times over the same cores, each past its time
//   budget, none of them kept, and so on for as long as they ask.
// THREADLAB_PAGE_CACHE_DB names the store (file:/path or postgresql://…); without it (a bare
// `next start`) nothing is kept.
import http from 'node:http';
import crypto from 'node:crypto';
import { dataVersionOf } from '../db/data-version.mjs';

const store = process.env.THREADLAB_PAGE_CACHE_DB;
/** Bytes kept: the 50k archive's 40 largest threads are 45 MB of pages. */
const MAX_BYTES = 64 * 1024 * 1024;
/** The largest answer kept, as written. */
const MAX_ANSWER = 16 * 1024 * 1024;
const ENTRY_MS = 60_000;

const entries = new Map();
/** The answers being rendered, by key: a promise of the answer to share, or null when there is none to share. */
const rendering = new Map();
let bytes = 0;
let version = null;
const versionOf = store ? dataVersionOf(store) : null;

/** The archive's version now; what is kept goes when it moved on. */
async function currentVersion() {
  const now = await versionOf();
  if (now !== version) {
    entries.clear();
    bytes = 0;
    version = now;
  }
  return now;
}

const NONCE = /'nonce-([A-Za-z0-9+/=]{16,})'/;

/** Where `token` is in `body`. */
function offsetsOf(body, token) {
  const at = [];
  for (let i = body.indexOf(token); i >= 0; i = body.indexOf(token, i + token.length)) at.push(i);
  return at;
}

function serve(entry, req, res, how) {
  if (entry.status === 200 && entry.headers.etag && req.headers['if-none-match'] === entry.headers.etag) {
    res.writeHead(304, { etag: entry.headers.etag, 'x-threadlab-cache': how });
    res.end();
    return;
  }
  const headers = { ...entry.headers, 'content-length': entry.body.length, 'x-threadlab-cache': how };
  if (!entry.nonce) {
    res.writeHead(entry.status, headers);
    res.end(req.method === 'HEAD' ? undefined : entry.body);
    return;
  }
  const nonce = crypto.randomBytes(entry.nonce.length * 3 / 4).toString('base64'); // as long as the one it replaces
  headers['content-security-policy'] = headers['content-security-policy'].replaceAll(entry.nonce, nonce);
  res.writeHead(entry.status, headers);
  if (req.method === 'HEAD') return void res.end();
  // The kept bytes are never written to: the parts between nonces go out as views of them,
  // the fresh nonce between, in one write of the socket.
  res.cork();
  let from = 0;
  for (const at of entry.nonceAt) {
    res.write(entry.body.subarray(from, at));
    res.write(nonce, 'latin1');
    from = at + entry.nonce.length;
  }
  res.end(entry.body.subarray(from));
}

/**
 * Collects what Next writes to `res`; hands the answer to `share` once it is sent (null when
 * it cannot be served again: cut short, too large, compressed, with a cookie, or nobody
 * `awaited` it), and keeps it when it may be served again later.
 */
function collect(res, key, at, share, awaited) {
  const chunks = [];
  let size = 0;
  const write = res.write;
  const end = res.end;
  const add = (chunk, encoding) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > MAX_ANSWER) return;
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8');
    chunks.push(b);
    size += b.length;
  };
  res.write = function (chunk, encoding, ...rest) {
    add(chunk, encoding);
    return write.call(this, chunk, encoding, ...rest);
  };
  res.end = function (chunk, encoding, ...rest) {
    add(chunk, encoding);
    const result = end.call(this, chunk, encoding, ...rest);
    // Copied out only for a request waiting for it, or to keep.
    const entry = res.statusCode === 200 || awaited() ? answerOf(res, chunks, size) : null;
    share(entry);
    if (entry && entry.status === 200 && (entry.nonce || entry.headers.etag)) keep(entry, key, at).catch(() => {}); // kept or not, the answer has gone
    return result;
  };
  res.once('close', () => share(null)); // a client gone before the end: nothing to share
}

/** An answer sent, as it can be sent again; null when it cannot. */
function answerOf(res, chunks, size) {
  const headers = res.getHeaders();
  const page = String(headers['content-type'] ?? '').startsWith('text/html');
  const nonce = page ? NONCE.exec(String(headers['content-security-policy'] ?? ''))?.[1] : undefined;
  if (size > MAX_ANSWER || headers['set-cookie'] || headers['content-encoding'] || (page && !nonce)) return null;
  for (const name of ['content-length', 'transfer-encoding', 'date', 'connection', 'keep-alive']) delete headers[name];
  const body = Buffer.concat(chunks, size);
  return { status: res.statusCode, headers, nonce, nonceAt: nonce ? offsetsOf(body, Buffer.from(nonce, 'latin1')) : [], body, bornAt: Date.now() };
}

/** Keeps an answer, when the archive did not move on while it was rendered. */
async function keep(entry, key, at) {
  if ((await currentVersion()) !== at) return;
  bytes += entry.body.length - (entries.get(key)?.body.length ?? 0); // an entry past its time, rendered again
  entries.delete(key);
  entries.set(key, entry);
  // The least recently served go first (a Map keeps insertion order; a hit puts its entry last).
  for (const [k, e] of entries) {
    if (bytes <= MAX_BYTES) break;
    entries.delete(k);
    bytes -= e.body.length;
  }
}

/** Renders a GET through `listener`, the requests for the same key that come meanwhile waiting for its answer. */
function render(listener, req, res, key, at) {
  let settle;
  const answer = new Promise((resolve) => (settle = resolve));
  const shared = { at, answer, waiting: 0 };
  rendering.set(key, shared);
  collect(res, key, at, (entry) => {
    if (rendering.get(key) === shared) rendering.delete(key);
    settle(entry);
  }, () => shared.waiting > 0);
  return listener(req, res);
}

function cached(listener) {
  const answer = async (req, res) => {
    const at = await currentVersion();
    const key = `${req.url}\0${req.headers.cookie ?? ''}`;
    const entry = entries.get(key);
    if (entry && Date.now() - entry.bornAt < ENTRY_MS) {
      entries.delete(key);
      entries.set(key, entry);
      return serve(entry, req, res, 'hit');
    }
    if (req.method !== 'GET' || at === null) return listener(req, res);
    const pending = rendering.get(key);
    if (pending && pending.at === at) {
      pending.waiting++;
      const shared = await pending.answer;
      if (shared) return serve(shared, req, res, 'shared');
    }
    return render(listener, req, res, key, at);
  };
  return (req, res) => {
    if (!versionOf || (req.method !== 'GET' && req.method !== 'HEAD')) return listener(req, res);
    answer(req, res).catch((err) => {
      if (!res.headersSent) res.writeHead(500).end();
      console.error(err);
    });
  };
}

const createServer = http.createServer;
http.createServer = function (...args) {
  const at = args.findIndex((a) => typeof a === 'function');
  if (at >= 0) args[at] = cached(args[at]);
  return createServer.apply(this, args);
};
