// npm run bench:scale [-- --copies 51,510] [--backends sqlite,postgresql] [--seconds 30] [--clients 32]
//
// Past one machine, measured: for each corpus (51 copies of ../shared/corpora: 50k
// messages; 510 copies: 500k, about 4 GB, both made once by scale-corpus and cached in
// ~/.cache/threadlab) and each store,
// - ingest end to end (into each store: the search index and all): messages per second,
//   peak RSS, database size;
// - search: the 20 queries of bench:search over HTTP (/search/json), 32 clients for 30 s
//   against one web server, then against two on the same store; p50/p95/p99. Twice each:
//   as asked (a query asked again is answered from what the server keeps until the archive
//   changes), and with every request a URL never asked before, so that each is computed;
// then how each figure grows from the first corpus to the last, beside the targets.
// Every server runs on a port checked free and must find mail for every query of the
// mix (notmuch finds all 20 on the 50k corpus: bench:search) before it is timed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { parseArgs } from 'node:util';
import type { ChildProcess } from 'node:child_process';
import { redact } from '../lib/db/url';
import { openDatabase } from '../lib/db/client';
import { withPostgres } from '../lib/db/postgres-client';
import { startPostgres } from '../lib/db/postgres-server';
import { ensureBuilt, startSite } from '../lib/cli/site';
import { freePort } from '../lib/net/ports';
import { buildCorpus, bytesUnder, ingestCorpus, mb } from './corpus';
import { SEARCH_MIX } from './search-mix';
import { runLoad } from './load-run';

const { values: opts } = parseArgs({
  options: {
    copies: { type: 'string', default: '51,510' },
    backends: { type: 'string', default: 'sqlite,postgresql' },
    seconds: { type: 'string', default: '30' },
    clients: { type: 'string', default: '32' },
  },
});
const COPIES = opts.copies.split(',').map(Number);
const BACKENDS = opts.backends.split(',') as Array<'sqlite' | 'postgresql'>;
const SECONDS = Number(opts.seconds);
const CLIENTS = Number(opts.clients);
const TARGET = { postgresIngest: 2000, ingestKept: 0.8, p95: 50 };

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;

interface Latency { p50: number; p95: number; p99: number; rps: number; requests: number }
const PHASES = [
  { name: 'asked', unique: false, says: 'as asked' },
  { name: 'computed', unique: true, says: 'each computed' },
] as const;

interface Figures {
  ingestRate: number;
  ingestSeconds: number;
  peakRssKb: number;
  dbBytes: number;
  /** `${servers}/${phase}` -> latency percentiles and requests/s of the search mix. */
  search: Map<string, Latency>;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-bench-scale-'));
const postgres = BACKENDS.includes('postgresql')
  ? await startPostgres({ shared_buffers: '2GB', effective_cache_size: '8GB', maintenance_work_mem: '512MB', max_wal_size: '8GB', work_mem: '32MB', max_connections: 100 })
  : null;
process.env.THREADLAB_NEXT_DIR ||= '.next-scale';
const results = new Map<string, Figures>(); // `${copies}/${backend}`
let failed = false;

try {
  await ensureBuilt();
  for (const copies of COPIES) {
    const dir = buildCorpus('bench:scale', copies);
    const corpus = bytesUnder(dir);
    console.log(`\n== ${corpus.files} messages, ${mb(corpus.bytes)} (${copies} copies) ==`);
    const file = path.join(work, `scale-${copies}.db`);
    let mix: Array<{ kind: string; path: string }> | undefined;

    for (const backend of BACKENDS) {
      let url: string;
      let figures: Omit<Figures, 'search'>;
      console.log(`-- ${backend}`);
      if (backend === 'sqlite') {
        url = `file:${file}`;
        const ingested = await ingestCorpus(url, dir);
        mix ??= await searchMix(url, ingested.added);
        const dbBytes = ['', '-wal'].reduce((n, s) => n + (fs.existsSync(file + s) ? fs.statSync(file + s).size : 0), 0);
        figures = { ingestRate: ingested.added / ingested.seconds, ingestSeconds: ingested.seconds, peakRssKb: ingested.maxRssKb, dbBytes };
      } else {
        await withPostgres(postgres!.url, (admin) => admin.query(`CREATE DATABASE scale_${copies}`));
        url = postgres!.url.replace(/\/postgres$/, `/scale_${copies}`);
        const ingested = await ingestCorpus(url, dir);
        mix ??= await searchMix(url, ingested.added);
        const { rows } = await withPostgres(postgres!.url, (admin) => admin.query<{ bytes: string }>(`SELECT pg_database_size('scale_${copies}') AS bytes`));
        figures = { ingestRate: ingested.added / ingested.seconds, ingestSeconds: ingested.seconds, peakRssKb: ingested.maxRssKb, dbBytes: Number(rows[0].bytes) };
      }

      const search = new Map<string, Latency>();
      const servers: Array<{ port: number; server: ChildProcess }> = [];
      try {
        for (const count of [1, 2]) {
          while (servers.length < count) {
            const port = await freePort();
            servers.push({ port, server: await startSite(port, { DATABASE_URL: url }, 'pipe') });
          }
          const ports = servers.map((s) => s.port);
          for (const port of ports) await everyQueryFinds(port, mix!, `${backend}, ${copies} copies`);
          for (const phase of PHASES) {
            const result = await runLoad({ ports, urls: mix!, clients: CLIENTS, seconds: SECONDS, unique: phase.unique, failureMark: '"error":' });
            const bad = result.samples.filter((s) => s.status !== 200 || s.bytes === 0);
            if (bad.length) {
              failed = true;
              console.error(`FAILED: ${bad.length} of ${result.samples.length} searches answered an error (${backend}, ${count} servers, ${phase.says}):`);
              const reasons = new Map<string, number>();
              for (const s of bad) reasons.set(`${s.kind}: ${s.failure}`, (reasons.get(`${s.kind}: ${s.failure}`) ?? 0) + 1);
              for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.error(`  ${n} × ${reason}`);
            }
            const sorted = result.samples.map((s) => s.ms).sort((a, b) => a - b);
            const f = { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), rps: result.samples.length / result.seconds, requests: result.samples.length };
            search.set(`${count}/${phase.name}`, f);
            console.log(`${backend}, ${count} server${count > 1 ? 's' : ''}, ${phase.says}: ${f.requests} searches, ${f.rps.toFixed(0)}/s, p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms`);
          }
        }
      } finally {
        for (const s of servers) s.server.kill();
      }
      results.set(`${copies}/${backend}`, { ...figures, search });
    }
    fs.rmSync(file, { force: true });
    fs.rmSync(`${file}-wal`, { force: true });
  }
} finally {
  await postgres?.stop();
  fs.rmSync(work, { recursive: true, force: true });
}

report();
process.exit(failed ? 1 : 0);

/** Asks each query of the mix once: every one must find mail, or the timings would be of empty answers. */
async function everyQueryFinds(port: number, mix: Array<{ kind: string; path: string }>, where: string): Promise<void> {
  const empty: string[] = [];
  for (const q of mix) {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: q.path }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      }).on('error', reject);
    });
    const total = status === 200 ? (JSON.parse(body) as { messages?: { total: number } }).messages?.total ?? 0 : 0;
    if (total === 0) empty.push(`${q.kind} (HTTP ${status})`);
  }
  if (empty.length) throw new Error(`${where}: no mail found on port ${port} for ${empty.join(', ')}, where notmuch finds some on the 50k corpus`);
}

function report(): void {
  const rows: string[][] = [['corpus', 'store', 'ingest msg/s', 'ingest s', 'peak RSS', 'database', 'servers', 'search', 'p50 ms', 'p95 ms', 'p99 ms', 'req/s']];
  for (const copies of COPIES) {
    for (const backend of BACKENDS) {
      const r = results.get(`${copies}/${backend}`);
      if (!r) continue;
      let first = true;
      for (const count of [1, 2]) {
        for (const phase of PHASES) {
          const f = r.search.get(`${count}/${phase.name}`)!;
          const ingest = first ? [r.ingestRate.toFixed(0), r.ingestSeconds.toFixed(1), mb(r.peakRssKb * 1024), mb(r.dbBytes)] : ['', '', '', ''];
          rows.push([first ? `${copies * 988}` : '', first ? backend : '', ...ingest, String(count), phase.says,
            f.p50.toFixed(1), f.p95.toFixed(1), f.p99.toFixed(1), f.rps.toFixed(0)]);
          first = false;
        }
      }
    }
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  console.log('');
  for (const row of rows) console.log(row.map((c, i) => c.padStart(widths[i])).join('  '));

  const [first, last] = [COPIES[0], COPIES.at(-1)!];
  console.log('');
  for (const backend of BACKENDS) {
    const a = results.get(`${first}/${backend}`);
    const b = results.get(`${last}/${backend}`);
    if (!a || !b) continue;
    const p95 = (r: Figures, key: string) => r.search.get(key)!.p95;
    if (first !== last) {
      const ratio = (x: number, y: number) => `${(y / x).toFixed(2)}x`;
      console.log(`${backend}: from ${first * 988} to ${last * 988} messages: ingest rate ${ratio(a.ingestRate, b.ingestRate)} (target >= ${TARGET.ingestKept}x), peak RSS ${ratio(a.peakRssKb, b.peakRssKb)}, database ${ratio(a.dbBytes, b.dbBytes)}, search p95 ${PHASES.map((ph) => `${ph.says} ${ratio(p95(a, `1/${ph.name}`), p95(b, `1/${ph.name}`))}`).join(', ')} (one server)`);
    }
    if (backend === 'postgresql') console.log(`postgresql: ingest ${a.ingestRate.toFixed(0)} msg/s at ${first * 988} messages (target >= ${TARGET.postgresIngest})`);
    for (const ph of PHASES) {
      console.log(`${backend}: search p95 at ${last * 988} messages, ${CLIENTS} clients, ${ph.says}: ${p95(b, `1/${ph.name}`).toFixed(1)} ms with one server, ${p95(b, `2/${ph.name}`).toFixed(1)} ms with two (target <= ${TARGET.p95} ms)`);
    }
  }
}

/** The search mix, its mid: query the Message-ID of a message stored about halfway through (the same on every store). */
async function searchMix(url: string, added: number): Promise<Array<{ kind: string; path: string }>> {
  const client = openDatabase(url);
  try {
    const mid = await client.message.findFirst({ where: { idKind: 'header' }, orderBy: { id: 'asc' }, skip: Math.floor(added / 2), select: { archiveId: true } });
    if (!mid) throw new Error(`no message stored at ${redact(url)}`);
    return SEARCH_MIX.map((q) => ({ kind: q.kind, path: `/search/json?q=${encodeURIComponent(q.ours.replace('MID', mid.archiveId))}` }));
  } finally {
    await client.$disconnect();
  }
}
