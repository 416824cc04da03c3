// Building and serving the Next.js site, shared by `npm start` and the browser tests.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { databaseUrl, projectRoot, versionedStore } from '../db/url';
import { ensurePortFree } from '../net/ports';
import { takeLockFolder } from '../net/lock-folder';

const require = createRequire(import.meta.url);
const nextBin = require.resolve('next/dist/bin/next');
const baseEnv = () => ({ ...process.env, NEXT_TELEMETRY_DISABLED: '1' });
/** The build directory; next.config.js reads the same variable. */
const distDir = () => process.env.THREADLAB_NEXT_DIR || '.next';

/** A build is stale when any source it is made from is newer than it. */
export function buildIsStale(): boolean {
  const marker = path.join(projectRoot, distDir(), 'BUILD_ID');
  if (!fs.existsSync(marker)) return true;
  const built = fs.statSync(marker).mtimeMs;
  const newer = (p: string): boolean => {
    const st = fs.statSync(p);
    if (!st.isDirectory()) return st.mtimeMs > built;
    return fs.readdirSync(p).some((f) => newer(path.join(p, f)));
  };
  return ['app', 'lib', 'content', 'proxy.ts', 'next.config.js', 'package.json', 'package-lock.json', 'tsconfig.json']
    .map((p) => path.join(projectRoot, p))
    .some((p) => fs.existsSync(p) && newer(p));
}

/**
 * Builds when stale. Test files run side by side and each wants the site:
 * a lock folder (mkdir is atomic) lets one build while the others wait.
 */
export async function ensureBuilt(stdio: 'inherit' | 'pipe' = 'inherit'): Promise<void> {
  const lock = path.join(projectRoot, `${distDir()}.lock`);
  // A lock older than any build is left over from a killed run.
  await takeLockFolder(lock, {
    staleMs: 15 * 60_000, waitMs: 15 * 60_000, pollMs: 500,
    timeout: () => new Error(`waited 15 minutes for another build to release ${lock}`),
  });
  try {
    if (!buildIsStale()) return;
    const r = spawnSync(process.execPath, [nextBin, 'build'], { cwd: projectRoot, stdio, env: baseEnv(), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`next build failed (exit ${r.status})\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** The address the site listens on: loopback only, unless HOST opens it (HOST=0.0.0.0: every interface). */
export const siteHost = (): string => process.env.HOST || '127.0.0.1';

/** A URL that reaches a site listening on host:port from this machine: the any-address ones through loopback. */
export function siteUrl(host: string, port: number): string {
  const reach = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reach.includes(':') ? `[${reach}]` : reach}:${port}/`;
}

/** Names the start every answer comes from (see the file). */
const siteInstance = pathToFileURL(path.join(projectRoot, 'lib', 'cli', 'site-instance.mjs')).href;

/** Refuses methods other than GET and HEAD before Next (see the file). */
const httpGuard = pathToFileURL(path.join(projectRoot, 'lib', 'cli', 'http-guard.mjs')).href;

/** Keeps rendered pages until the database changes (see the file). */
const pageCache = pathToFileURL(path.join(projectRoot, 'lib', 'cli', 'page-cache.mjs')).href;

/** The arguments of node for `next start` on host:port. */
export const nextStartArgs = (port: number, host: string) =>
  ['--import', siteInstance, '--import', httpGuard, '--import', pageCache, nextBin, 'start', '-p', String(port), '-H', host];

/**
 * Environment for a server that names itself in every answer: the preload and a fresh token.
 * `next start` from startSite has the preload already; another tree's start.ts gets it through NODE_OPTIONS.
 */
export function instanceEnv(): { THREADLAB_INSTANCE: string; NODE_OPTIONS: string } {
  return { THREADLAB_INSTANCE: crypto.randomUUID(), NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${siteInstance}`.trim() };
}

/**
 * Resolves once `url` answers as `instance` (X-Threadlab-Instance): an answer from another
 * server that was on the port is not taken for `child`'s. Throws once `child` exits, or after `seconds`.
 */
export async function ownAnswer(url: string, instance: string, child: ChildProcess, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  let foreign = false;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server ended (${child.exitCode ?? child.signalCode}) before answering ${url}${foreign ? '; another server answers there' : ''}`);
    }
    try {
      const res = await fetch(url, { redirect: 'manual' });
      await res.arrayBuffer();
      if (res.headers.get('x-threadlab-instance') === instance) return;
      foreign = true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not answer ${url} within ${seconds} s${foreign ? '; another server answers there' : ''}`);
}

/**
 * `next start` on host:port (loopback by default), which must be free; resolves once the
 * server started here answers HTTP.
 */
export async function startSite(port: number, env: Record<string, string> = {}, stdio: 'inherit' | 'pipe' = 'inherit', host = siteHost()): Promise<ChildProcess> {
  await ensurePortFree(port, host);
  const served = { ...baseEnv(), ...env };
  const pages = { THREADLAB_PAGE_CACHE_DB: versionedStore(databaseUrl(served)) };
  const instance = crypto.randomUUID();
  const server = spawn(process.execPath, nextStartArgs(port, host), { cwd: projectRoot, stdio, env: { ...served, ...pages, THREADLAB_INSTANCE: instance } });
  try {
    await ownAnswer(siteUrl(host, port), instance, server);
  } catch (e) {
    server.kill();
    throw e;
  }
  return server;
}
