// npm run bench:search [-- --db FILE] [-- --rounds N]: on the 50k-message
// corpus of bench:ingest, a fixed mix of 20 lore queries through the search
// JSON route of a running site, then the same questions through
// `notmuch search` on the same Maildir; latency percentiles, per-query
// comparison, and the size of the index beside the corpus.
//
// The database is ingested afresh (as bench:ingest does) unless --db names
// one already ingested. The notmuch database is cached beside the corpus.
// The site is served on BENCH_PORT, else a free port (bench/port.ts). Fails
// when it finds nothing for a query notmuch finds mail for (without notmuch:
// for any query; each finds some on this corpus): no timings of empty answers.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { openSqlite } from '../lib/db/sqlite';
import { refreshSearchIndex } from '../lib/search/indexer';
import { SEARCH_TABLES } from '../lib/db/search-tables';
import { ensureBuilt, startSite } from '../lib/cli/site';
import { benchPort } from './port';
import { buildCorpus, bytesUnder, cacheDir, corpusDir, ensureNotmuch, ingestCorpus, mb, notmuchEnv } from './corpus';
import { SEARCH_MIX } from './search-mix';

const { values: opts } = parseArgs({ options: { db: { type: 'string' }, rounds: { type: 'string', default: '15' } } });
const rounds = Number(opts.rounds);
const port = await benchPort();


const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const median = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
const ms = (x: number) => `${x.toFixed(1)} ms`;

buildCorpus('bench:search');
const corpus = bytesUnder(corpusDir);
console.log(`corpus: ${corpus.files} messages, ${mb(corpus.bytes)} in ${corpusDir}`);

// 1. The archive, ingested as bench:ingest does (its child process), then indexed.
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-bench-search-'));
const url = `file:${opts.db ? path.resolve(opts.db) : path.join(work, 'bench.db')}`;
if (!opts.db) await ingestCorpus(url);
const db = openSqlite(url);
let t = performance.now();
const indexed = refreshSearchIndex(db);
const indexSeconds = (performance.now() - t) / 1000;
const sizes = db.prepare<[], { name: string; bytes: number }>('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all();
const indexBytes = sizes.filter((s) => SEARCH_TABLES.includes(s.name) || s.name.startsWith('search_')).reduce((n, s) => n + s.bytes, 0);
const dbBytes = sizes.reduce((n, s) => n + s.bytes, 0);
const mid = db.prepare<[], { archiveId: string }>(`SELECT archiveId FROM "Message" WHERE idKind = 'header' ORDER BY id LIMIT 1 OFFSET 25000`).get()!.archiveId;
db.close();
const QUERIES = SEARCH_MIX.map((q) => ({ ...q, ours: q.ours.replace('MID', mid), notmuch: q.notmuch.replace('MID', mid) }));
console.log(indexed ? `indexed ${indexed} messages in ${indexSeconds.toFixed(1)} s` : 'the index was up to date (ingest keeps it)');

// 2. The site, on its own build directory, timed from here over HTTP.
process.env.THREADLAB_NEXT_DIR ||= '.next-search';
await ensureBuilt();
const server = await startSite(port, { DATABASE_URL: url }, 'pipe');
const ours: number[][] = QUERIES.map(() => []);
const hits: number[] = [];
try {
  // node:http on a kept-alive connection: fetch() adds milliseconds of its own to every request.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (q: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: `/search/json?q=${encodeURIComponent(q)}`, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
  const ask = async (i: number) => {
    const q = QUERIES[i].ours;
    const started = performance.now();
    const res = await get(q);
    const body = JSON.parse(res.body) as { messages?: { total: number }; error?: { message: string } };
    const elapsed = performance.now() - started;
    if (res.status !== 200 || !body.messages) throw new Error(`${q}: HTTP ${res.status} ${body.error?.message ?? ''}`);
    hits[i] = body.messages.total;
    return elapsed;
  };
  for (let i = 0; i < QUERIES.length; i++) await ask(i); // warm: first use opens the connection and loads pages
  for (let r = 0; r < rounds; r++) for (let i = 0; i < QUERIES.length; i++) ours[i].push(await ask(i));
} finally {
  server.kill();
}

// 3. notmuch on the same Maildir.
const theirs: Array<{ times: number[]; count: number }> = [];
if (ensureNotmuch()) {
  const env = notmuchEnv(path.join(cacheDir, 'notmuch-scale-51'));
  t = performance.now();
  const nm = spawnSync('notmuch', ['new', '--quiet'], { env, encoding: 'utf8' });
  if (nm.status !== 0) throw new Error(`notmuch new failed: ${nm.stderr}`);
  console.log(`notmuch database ready in ${((performance.now() - t) / 1000).toFixed(1)} s (cached in ${cacheDir})`);
  const search = (q: string) => {
    const started = performance.now();
    const r = spawnSync('notmuch', ['search', '--format=json', '--output=summary', '--limit=20', q], { env, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`notmuch search ${q}: ${r.stderr}`);
    return performance.now() - started;
  };
  for (const q of QUERIES) {
    search(q.notmuch);
    const count = Number(spawnSync('notmuch', ['count', q.notmuch], { env, encoding: 'utf8' }).stdout.trim());
    theirs.push({ times: Array.from({ length: Math.max(3, Math.ceil(rounds / 2)) }, () => search(q.notmuch)), count });
  }
}
fs.rmSync(work, { recursive: true, force: true });

// 4. The report.
console.log('');
console.log(`${'kind'.padEnd(16)}${'query'.padEnd(34)}${'hits'.padStart(7)}${'notmuch'.padStart(9)}${'threadlab p50'.padStart(15)}${'notmuch p50'.padStart(13)}${'faster'.padStart(8)}`);
QUERIES.forEach((q, i) => {
  const mine = median(ours[i]);
  const nm = theirs[i];
  const shown = q.ours.length > 32 ? `${q.ours.slice(0, 31)}…` : q.ours;
  console.log(`${q.kind.padEnd(16)}${shown.padEnd(34)}${String(hits[i]).padStart(7)}${String(nm?.count ?? '-').padStart(9)}${ms(mine).padStart(15)}`
    + `${(nm ? ms(median(nm.times)) : '-').padStart(13)}${(nm ? `${(median(nm.times) / mine).toFixed(1)}x` : '').padStart(8)}`);
});
const all = ours.flat().sort((a, b) => a - b);
console.log('');
console.log(`threadlab over HTTP  p50 ${ms(percentile(all, 50))}  p95 ${ms(percentile(all, 95))}  p99 ${ms(percentile(all, 99))}  (${all.length} requests, ${rounds} rounds of ${QUERIES.length})`);
if (theirs.length) {
  const nmAll = theirs.flatMap((x) => x.times).sort((a, b) => a - b);
  console.log(`notmuch search       p50 ${ms(percentile(nmAll, 50))}  p95 ${ms(percentile(nmAll, 95))}  p99 ${ms(percentile(nmAll, 99))}  (a process per query, --limit=20)`);
  const slower = QUERIES.filter((q, i) => median(ours[i]) >= median(theirs[i].times)).map((q) => q.kind);
  console.log(`faster than notmuch's median on ${QUERIES.length - slower.length} of ${QUERIES.length} kinds${slower.length ? ` (not: ${slower.join(', ')})` : ''}`);
}
console.log(`search index         ${mb(indexBytes)} = ${((indexBytes / corpus.bytes) * 100).toFixed(0)}% of the corpus (${mb(corpus.bytes)}); whole database ${mb(dbBytes)}`);
console.log('targets              p95 <= 20 ms over HTTP; faster than notmuch\'s median on every kind');
// Where notmuch finds mail; without notmuch, for every query (each finds some on this corpus).
const empty = QUERIES.flatMap((q, i) => (hits[i] === 0 && (theirs[i] ? theirs[i].count > 0 : true) ? [`${q.kind} (${q.ours}${theirs[i] ? `: notmuch ${theirs[i].count}` : ''})`] : []));
if (empty.length) {
  console.error(`\nFAILED: threadlab found nothing for ${empty.length} of ${QUERIES.length} queries${theirs.length ? ' where notmuch finds mail' : ''}: ${empty.join(', ')}`);
  process.exitCode = 1;
}
