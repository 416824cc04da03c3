// npm run bench:pages — weight and speed of two thread pages: the seed thread (ocfs2-devel,
// "Confused by commit 56a76f") and the bundled thread with the most messages, on the current
// tree and, in the same run, on the site as it was at BASELINE (before the thread-page redesign).
//
// Per page: HTML bytes of the server's response (uncompressed); first-load JavaScript, every
// distinct .js Chromium fetched (the page's and its workers') from navigation until QUIET_MS
// without a response after the load event, each body gzipped here at level 9 (noModule
// polyfills are never fetched by Chromium, so they are not counted); server render
// time p50/p95 over RENDERS sequential fetches, to the full body; loadEventEnd of the
// navigation entry, median of LOADS fresh browser contexts (empty cache). Prints figures and
// the targets beside them; asserts only that the run measured real pages.
//
// The baseline is BASELINE's tree (git archive), installed and built once under
// ~/.cache/threadlab/pages-baseline-<commit>/ (npm ci + next build: a few minutes), and served
// by its own `lib/cli/start.ts` (migrate, ingest the bundled content, next start) on a temp
// database, so that its schema and ingest are its own. If that cannot be made, the baseline
// falls back to the current build's largest claim-free thread, and the output says so.
// The current tree is built in .next-pages (THREADLAB_NEXT_DIR), on a fresh database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { projectRoot } from '../lib/db/url';
import { openSqlite } from '../lib/db/sqlite';
import { ingestBundled } from '../lib/ingest/bundled';
import { threadHref } from '../lib/archive/urls';
import { ensureBuilt, instanceEnv, ownAnswer, startSite } from '../lib/cli/site';
import { freePort } from '../lib/net/ports';
import { freshDatabase } from '../tests/support/db';
import { hasChromium, launchChromium } from '../tests/support/browser';
import { cacheDir } from './corpus';
import { benchPort } from './port';

const BASELINE = '7634929';
const RENDERS = 50;
const LOADS = 5;
const QUIET_MS = 2000;
const TARGET = { jsGz: 100 * 1024, seedHtml: 60 * 1024, renderP95: 50 };
const SEED_SUBJECT = /Confused by commit 56a76f/;

const percentile = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

interface Site { name: string; url: string; dbUrl: string; stop(): Promise<void> }
interface Figures { page: string; site: string; path: string; html: number; articles: number; js: number; jsRaw: number; scripts: number; p50: number; p95: number; load: number }

/** SIGTERM to `target` (a pid, or a process group as -pgid), then SIGKILL if `child` has not exited within 10 s. */
async function stopProcess(child: ChildProcess, target: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(target, 'SIGTERM');
  const timer = setTimeout(() => { try { process.kill(target, 'SIGKILL'); } catch { /* gone meanwhile */ } }, 10_000);
  await exited;
  clearTimeout(timer);
}

/** BASELINE's tree, installed and built once; throws with the failing step's output. */
function baselineDir(): string {
  const dir = path.join(cacheDir, `pages-baseline-${BASELINE}`);
  const ready = path.join(dir, '.threadlab-baseline-ready');
  if (fs.existsSync(ready)) return dir;
  console.log(`building the baseline (${BASELINE}) in ${dir}: npm ci and next build, once, a few minutes ...`);
  fs.rmSync(dir, { recursive: true, force: true }); // an interrupted attempt
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-x', '-C', dir], { input: execFileSync('git', ['-C', projectRoot, 'archive', BASELINE], { maxBuffer: 1 << 30 }) });
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { cwd: dir, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', THREADLAB_NEXT_DIR: '' } });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} in ${dir} failed (exit ${r.status})`);
  };
  run('npm', ['ci', '--no-audit', '--no-fund']);
  run(process.execPath, ['node_modules/next/dist/bin/next', 'build']);
  fs.writeFileSync(ready, '');
  return dir;
}

/** The baseline served by its own start.ts on a fresh database; resolves once it answers, itself and not another server. */
async function startBaseline(dir: string, work: string): Promise<Site> {
  const port = await freePort();
  const dbUrl = `file:${path.join(work, 'baseline.db')}`;
  const instance = instanceEnv();
  // A process group of its own (tsx -> start.ts -> next start), so that stop() ends all of it.
  const child: ChildProcess = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'lib/cli/start.ts'], {
    cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port), DATABASE_URL: dbUrl, THREADLAB_NEXT_DIR: '', NEXT_TELEMETRY_DISABLED: '1', ...instance },
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const stop = () => stopProcess(child, -child.pid!);
  const url = `http://127.0.0.1:${port}`;
  try {
    await ownAnswer(`${url}/`, instance.THREADLAB_INSTANCE, child, 180);
  } catch (e) {
    await stop();
    throw new Error(`the baseline's start.ts did not come up on port ${port}: ${(e as Error).message}\n${output.slice(-3000)}`);
  }
  return { name: `baseline ${BASELINE}`, url, dbUrl, stop };
}

/** The thread with the most messages, as its list's thread URL (the root may be a ghost). */
function largestThread(dbUrl: string, claimFree = false): { path: string; messages: number } {
  const db = openSqlite(dbUrl);
  try {
    const row = db.prepare<[], { list: string; root: string; n: number }>(`
      SELECT l.name AS list, t.rootArchiveId AS root, t.messageCount AS n FROM "Thread" t JOIN "List" l ON l.id = t.listId
      ${claimFree ? 'WHERE NOT EXISTS (SELECT 1 FROM "Claim" c JOIN "Message" m ON m.id = c.messageId WHERE m.threadId = t.id)' : ''}
      ORDER BY t.messageCount DESC, t.id LIMIT 1`).get();
    if (!row) throw new Error(`no threads in ${dbUrl}`);
    return { path: threadHref(row.list, row.root), messages: row.n };
  } finally {
    db.close();
  }
}

/** The seed thread's URL as the site links it from the ocfs2-devel list page. */
async function seedThread(browser: Browser, site: Site): Promise<string> {
  const page = await browser.newPage();
  try {
    await page.goto(`${site.url}/ocfs2-devel/`);
    const href = await page.getByRole('link', { name: SEED_SUBJECT }).first().getAttribute('href', { timeout: 10_000 });
    if (!href) throw new Error(`${site.name}: no link to the seed thread on /ocfs2-devel/`);
    return href;
  } finally {
    await page.close();
  }
}

/** `pagePath` on `site`, which must show at least `messages` messages (article.message). */
async function measure(browser: Browser, site: Site, pageName: string, pagePath: string, messages: number): Promise<Figures> {
  const url = site.url + pagePath;
  // HTML: fetch decompresses what the server gzipped, so this is the uncompressed size. Also the warm-up request.
  const res = await fetch(url);
  const html = Buffer.from(await res.arrayBuffer());
  const articles = (html.toString('utf8').match(/<article\b[^>]*\bclass="(?:[^"]*\s)?message[\s"]/g) ?? []).length;
  if (res.status !== 200 || articles < messages) throw new Error(`${site.name} ${pagePath}: HTTP ${res.status}, ${articles} article.message of ${messages} in ${html.length} bytes`);

  const times: number[] = [];
  for (let i = 0; i < RENDERS; i++) {
    const t = performance.now();
    const r = await fetch(url);
    const body = await r.arrayBuffer();
    times.push(performance.now() - t);
    if (r.status !== 200 || body.byteLength === 0) throw new Error(`${site.name} ${pagePath}: HTTP ${r.status} on render ${i}`);
  }

  const loads: number[] = [];
  let scripts: Buffer[] = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext(); // a fresh profile: empty cache
    const page = await context.newPage();
    // The scripts are counted on the first load; reading bodies on the others would only slow them.
    // By URL: a Web Worker the page starts fetches chunks the page has already loaded.
    const bodies = new Map<string, Promise<Buffer>>();
    let lastResponse = Date.now();
    page.on('response', (r) => {
      lastResponse = Date.now();
      if (i === 0 && new URL(r.url()).pathname.endsWith('.js') && !bodies.has(r.url())) bodies.set(r.url(), r.body());
    });
    const nav = await page.goto(url, { waitUntil: 'load' });
    if (nav?.status() !== 200) throw new Error(`${site.name} ${pagePath}: HTTP ${nav?.status()} in Chromium`);
    // Then until QUIET_MS without a response. The engine worker a page may start comes about a second after
    // its scripts: a fixed wait, or Playwright's 'networkidle' (500 ms), caught it on some loads and not others.
    while (Date.now() - lastResponse < QUIET_MS) await page.waitForTimeout(100);
    loads.push(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd));
    page.removeAllListeners('response');
    if (i === 0) scripts = await Promise.all(bodies.values());
    await context.close();
  }
  if (scripts.length === 0) throw new Error(`${site.name} ${pagePath}: Chromium loaded no JavaScript`);
  return {
    page: pageName, site: site.name, path: pagePath, html: html.length, articles,
    js: scripts.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0), jsRaw: scripts.reduce((n, b) => n + b.length, 0), scripts: scripts.length,
    p50: percentile(times, 50), p95: percentile(times, 95), load: percentile(loads, 50),
  };
}

async function main() {
  if (!hasChromium) throw new Error('no Chromium: set CHROMIUM_PATH or install chromium');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-bench-pages-'));
  const sites: Site[] = [];
  let browser: Browser | undefined;
  const store = await freshDatabase();
  try {
    let base: string | null = null;
    let fallback = '';
    try {
      base = baselineDir();
    } catch (e) {
      fallback = `baseline ${BASELINE} could not be built (${(e as Error).message.split('\n')[0]}); baseline = the current build's largest claim-free thread`;
      console.warn(fallback);
    }

    await ingestBundled(store.writer);
    // A build directory of its own: a build elsewhere in .next would swap files under the server being measured.
    process.env.THREADLAB_NEXT_DIR ||= '.next-pages';
    await ensureBuilt('inherit');
    const port = await benchPort();
    const server = await startSite(port, { DATABASE_URL: store.url }, 'pipe');
    const current: Site = { name: 'current', url: `http://127.0.0.1:${port}`, dbUrl: store.url, stop: () => stopProcess(server, server.pid!) };
    sites.push(current);
    if (base) sites.push(await startBaseline(base, work));
    browser = await launchChromium();

    const rows: Figures[] = [];
    for (const site of sites) {
      const seed = await seedThread(browser, site);
      const largest = largestThread(site.dbUrl);
      rows.push(await measure(browser, site, 'seed thread', seed, 1));
      rows.push(await measure(browser, site, 'largest thread', largest.path, largest.messages));
    }
    if (!base) {
      const claimFree = largestThread(store.url, true);
      rows.push({ ...(await measure(browser, current, 'claim-free thread', claimFree.path, claimFree.messages)), site: 'FALLBACK baseline' });
    }
    rows.sort((a, b) => b.page.localeCompare(a.page)); // stable: each page's current row, then its baseline

    // The machine may be busy (builds, tests): its load says how far to trust the times.
    console.log(`\n== Thread pages: ${RENDERS} sequential fetches each, ${LOADS} fresh Chromium loads (headless), KB = 1024 bytes; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`);
    console.log('   HTML = response body uncompressed; JS gz = every distinct .js Chromium fetched (page and workers) until 2 s without a response after load,');
    console.log('   each body gzipped here (zlib level 9), not the server\'s encoding; render = fetch to full body; load = loadEventEnd, median');
    if (fallback) console.log(`   ${fallback}`);
    console.log(`${'page'.padEnd(22)}${'site'.padEnd(19)}${'HTML'.padStart(10)}${'articles'.padStart(9)}${'JS gz'.padStart(10)}${'(raw, files)'.padStart(17)}${'render p50'.padStart(12)}${'p95'.padStart(9)}${'load'.padStart(9)}`);
    for (const r of rows) {
      console.log(`${r.page.padEnd(22)}${r.site.padEnd(19)}${kb(r.html).padStart(10)}${String(r.articles).padStart(9)}${kb(r.js).padStart(10)}${`(${kb(r.jsRaw)}, ${r.scripts})`.padStart(17)}`
        + `${`${r.p50.toFixed(1)} ms`.padStart(12)}${`${r.p95.toFixed(1)} ms`.padStart(9)}${`${r.load.toFixed(0)} ms`.padStart(9)}`);
    }
    for (const r of rows) console.log(`  ${r.site} ${r.page}: ${r.path}`);
    const mine = rows.filter((r) => r.site === 'current');
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log('\ntargets (current tree)');
    for (const r of mine) console.log(`  first-load JS <= ${kb(TARGET.jsGz)} gz, ${r.page}: ${kb(r.js)}  ${met(r.js <= TARGET.jsGz)}`);
    const seed = mine.find((r) => r.page === 'seed thread')!;
    console.log(`  seed thread HTML <= ${kb(TARGET.seedHtml)}: ${kb(seed.html)}  ${met(seed.html <= TARGET.seedHtml)}`);
    for (const r of mine) console.log(`  server render p95 <= ${TARGET.renderP95} ms, ${r.page}: ${r.p95.toFixed(1)} ms  ${met(r.p95 <= TARGET.renderP95)}`);
  } finally {
    await browser?.close();
    for (const s of sites) await s.stop();
    await store.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error((e as Error).stack ?? e);
  process.exitCode = 1;
});
