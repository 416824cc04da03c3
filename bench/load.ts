// npm run bench:load [-- --db FILE]: the site under load, on the 50k-message
// corpus of bench:ingest. THREADLAB_LOAD_CLIENTS clients (50) for
// THREADLAB_LOAD_SECONDS (60) on a mix of home, list, thread, message, search,
// raw and t.mbox.gz pages, from a process of their own (load-client.ts);
// then the same again with one more client looping the slowest search the
// budget allows (lib/search/limits.ts). Prints requests/s, latency
// percentiles, errors and the server's RSS, with the targets beside them (and,
// first, the same mix from one client alone, 10 s at most).
// Fails when any URL of the mix answers an error or an empty body.
//
// The database is ingested afresh (as bench:search does) unless --db names
// one already ingested. The site is `next start` on its own build directory
// (THREADLAB_NEXT_DIR, the same as bench:search's), on BENCH_PORT, else a free
// port (bench/port.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openSqlite } from '../lib/db/sqlite';
import { refreshSearchIndex } from '../lib/search/indexer';
import { messageHref, rawHref, threadHref, threadMboxHref, listHref } from '../lib/archive/urls';
import { ensureBuilt, startSite } from '../lib/cli/site';
import { buildCorpus, corpusDir, ingestCorpus } from './corpus';
import { benchPort } from './port';
import type { LoadPlan, Sample } from './load-client';
import { runLoad as load } from './load-run';

const { values: opts } = parseArgs({ options: { db: { type: 'string' } } });
const whole = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a whole number, 1 or more, not "${process.env[name]}"`);
  return v;
};
const CLIENTS = whole('THREADLAB_LOAD_CLIENTS', 50);
const SECONDS = whole('THREADLAB_LOAD_SECONDS', 60);
const port = await benchPort();
const TARGET = { rps: 150, p95: 500, rssGrowthMb: 100, slowFactor: 2 };
/**
 * The slowest search the budget allows: the limits' worst case in kind, eight prefix terms
 * (lib/search/limits.ts), each among the costliest of three letters on this corpus. About half
 * the budget on an idle machine; eight of two letters ran past it.
 */
const SLOW_QUERY = 'com* OR the* OR con* OR pro* OR sta* OR rep* OR and* OR dev*';
/** Searches of the mix: a common word, two words, a phrase, a prefix, a field. */
const QUERIES = ['apache', 'maven release', '"mailing list"', 'semicolo*', 's:cifs', 'f:perches'];
/** What the search page shows for a search it could not answer, with status 200 (app/search/page.tsx). */
const FAILURE_MARK = 'class="search-error"';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const ms = (x: number) => `${x.toFixed(0)} ms`;

buildCorpus('bench:load');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-bench-load-'));
const url = `file:${opts.db ? path.resolve(opts.db) : path.join(work, 'bench.db')}`;
if (!opts.db) await ingestCorpus(url);

// The mix, from the archive: the largest lists and threads, and messages spread over it.
const db = openSqlite(url);
refreshSearchIndex(db);
const lists = db.prepare<[], { name: string }>(`SELECT l.name FROM "List" l JOIN "MessageList" ml ON ml.listId = l.id GROUP BY l.id ORDER BY count(*) DESC LIMIT 4`).all();
const threads = db.prepare<[], { list: string; root: string }>(`SELECT l.name AS list, t.rootArchiveId AS root FROM "Thread" t JOIN "List" l ON l.id = t.listId
  WHERE t.rootArchiveId IS NOT NULL ORDER BY t.messageCount DESC, t.id LIMIT 40`).all();
const messages = db.prepare<[], { list: string; archiveId: string }>(`SELECT l.name AS list, m.archiveId FROM "Message" m JOIN "List" l ON l.id = m.listId
  WHERE m.isGhost = 0 AND m.id % 1000 = 7 ORDER BY m.id LIMIT 40`).all();
db.close();
if (!lists.length || !threads.length || !messages.length) throw new Error(`${url} holds no lists, threads or messages to ask for`);
const urls: LoadPlan['urls'] = [];
for (let i = 0; i < 40; i++) {
  const t = threads[i % threads.length];
  const m = messages[i % messages.length];
  urls.push(
    { kind: 'home', path: '/' },
    { kind: 'list', path: listHref(lists[i % lists.length].name, 1 + (i % 3)) },
    { kind: 'thread', path: threadHref(t.list, t.root) },
    { kind: 'message', path: messageHref(m.list, m.archiveId) },
    { kind: 'search', path: `/search?q=${encodeURIComponent(QUERIES[i % QUERIES.length])}` },
    { kind: 'raw', path: rawHref(m.list, m.archiveId) },
    { kind: 't.mbox.gz', path: threadMboxHref(t.list, t.root) },
  );
}
console.log(`mix: ${urls.length} URLs (${new Set(urls.map((u) => u.kind)).size} kinds), ${CLIENTS} clients, ${SECONDS} s per phase`);

process.env.THREADLAB_NEXT_DIR ||= '.next-search';
await ensureBuilt();
const server = await startSite(port, { DATABASE_URL: url }, 'pipe');
// Read what the server prints, or a full pipe would stall it; its errors are shown when something fails.
let serverLog = '';
server.stdout!.resume();
server.stderr!.setEncoding('utf8').on('data', (s: string) => (serverLog = (serverLog + s).slice(-20_000)));
let failed = false;
try {
  const listening = server.pid!;
  // Every URL once, in turn: each must answer 2xx or 3xx with a body. This warms the server too.
  const unique = [...new Map(urls.map((u) => [u.path, u])).values()];
  const broken: string[] = [];
  for (const u of unique) {
    const res = await fetch(`http://127.0.0.1:${port}${u.path}`, { redirect: 'manual' });
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status >= 400 || body.length === 0 || body.includes(FAILURE_MARK)) broken.push(`${u.path}: HTTP ${res.status}, ${body.length} bytes`);
  }
  const slowUrl = `/search/json?q=${encodeURIComponent(SLOW_QUERY)}`;
  const slowCheck = await fetch(`http://127.0.0.1:${port}${slowUrl}`);
  await slowCheck.arrayBuffer();
  if (slowCheck.status !== 200 && slowCheck.status !== 503) broken.push(`${slowUrl}: HTTP ${slowCheck.status}`);
  if (broken.length) throw new Error(`these URLs fail:\n  ${broken.join('\n  ')}\nthe server said:\n${serverLog}`);
  console.log(`every URL answers; the slow query alone: HTTP ${slowCheck.status}`);

  // One client first, briefly: what each page costs the server without a queue.
  const alone = summary((await load({ ports: [port], urls, clients: 1, seconds: Math.min(SECONDS, 10), failureMark: FAILURE_MARK })).samples, Math.min(SECONDS, 10));
  const rssBefore = rssKb(listening);
  const first = await load({ ports: [port], urls, clients: CLIENTS, seconds: SECONDS, failureMark: FAILURE_MARK });
  const rssAfter = rssKb(listening);
  const second = await load({ ports: [port], urls, clients: CLIENTS, seconds: SECONDS, slow: slowUrl, failureMark: FAILURE_MARK });
  const rssEnd = rssKb(listening);

  const a = summary(first.samples, first.seconds);
  const b = summary(second.samples, second.seconds);
  const slowStatuses = count(second.slow.map((s) => String(s.status)));
  console.log('');
  console.log('one client alone');
  report(alone);
  console.log('');
  console.log(`phase 1: ${CLIENTS} clients`);
  report(a);
  console.log(`  server RSS    ${mbOf(rssBefore)} before, ${mbOf(rssAfter)} after: ${signed(rssAfter - rssBefore)}   (target growth <= ${TARGET.rssGrowthMb} MB)`);
  console.log('');
  console.log(`phase 2: ${CLIENTS} clients and one looping ${SLOW_QUERY}`);
  report(b);
  console.log(`  the others' p95 ${ms(b.p95)} against ${ms(a.p95)} alone: ${(b.p95 / a.p95).toFixed(2)}x   (target <= ${TARGET.slowFactor}x)`);
  const slowMs = second.slow.map((s) => s.ms).sort((x, y) => x - y);
  console.log(`  the slow client: ${second.slow.length} searches, p50 ${ms(percentile(slowMs, 50))}, statuses ${Object.entries(slowStatuses).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
  console.log(`  server RSS    ${mbOf(rssEnd)} at the end: ${signed(rssEnd - rssBefore)} since before phase 1`);
  failed = a.errors + b.errors > 0;
  if (failed) console.error(`\nFAILED: ${a.errors + b.errors} requests of the mix answered an error or an empty body; the server said:\n${serverLog}`);
} finally {
  server.kill();
  fs.rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

interface Summary { requests: number; rps: number; p50: number; p95: number; p99: number; errors: number; byKind: Map<string, number[]>; failures: string[] }

function summary(samples: Sample[], seconds: number): Summary {
  const sorted = samples.map((s) => s.ms).sort((x, y) => x - y);
  const byKind = new Map<string, number[]>();
  for (const s of samples) byKind.set(s.kind, [...(byKind.get(s.kind) ?? []), s.ms]);
  const bad = samples.filter((s) => s.status < 200 || s.status >= 400 || s.bytes === 0);
  return {
    requests: samples.length, rps: samples.length / seconds, errors: bad.length, byKind,
    p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99),
    failures: Object.entries(count(bad.map((s) => `${s.kind} ${s.status ? `HTTP ${s.status}` : 'failed'}${s.bytes ? '' : ', empty'}`))).map(([k, n]) => `${k} x${n}`),
  };
}

function report(s: Summary) {
  console.log(`  requests/s    ${s.rps.toFixed(1)}   (target >= ${TARGET.rps})   ${s.requests} requests`);
  console.log(`  latency       p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}   (target p95 <= ${TARGET.p95} ms)`);
  console.log(`  errors        ${s.errors}   (target 0)${s.failures.length ? `: ${s.failures.join(', ')}` : ''}`);
  const kinds = [...s.byKind].map(([k, xs]) => {
    const sorted = xs.sort((x, y) => x - y);
    return `${k} ${ms(percentile(sorted, 50))}/${ms(percentile(sorted, 95))}`;
  });
  console.log(`  p50/p95 by kind: ${kinds.join(', ')}`);
}

function count(xs: string[]): Record<string, number> {
  const n: Record<string, number> = {};
  for (const x of xs) n[x] = (n[x] ?? 0) + 1;
  return n;
}

/** VmRSS of a process and all its descendants (next start's server and anything it starts), in KB. */
function rssKb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const own = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  const children = fs.readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
    const file = `/proc/${pid}/task/${tid}/children`;
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split(/\s+/).filter(Boolean).map(Number) : [];
  });
  return own + children.reduce((n, c) => n + (fs.existsSync(`/proc/${c}`) ? rssKb(c) : 0), 0);
}

function mbOf(kb: number) { return `${(kb / 1024).toFixed(0)} MB`; }
function signed(kb: number) { return `${kb >= 0 ? '+' : ''}${(kb / 1024).toFixed(0)} MB`; }
