// Building and serving the Next.js site, shared by `npm start` and the browser tests.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { projectRoot } from '../db/url';

const require = createRequire(import.meta.url);
const nextBin = require.resolve('next/dist/bin/next');
const baseEnv = () => ({ ...process.env, NEXT_TELEMETRY_DISABLED: '1' });

/** A build is stale when any source it is made from is newer than it. */
export function buildIsStale(): boolean {
  const marker = path.join(projectRoot, '.next', 'BUILD_ID');
  if (!fs.existsSync(marker)) return true;
  const built = fs.statSync(marker).mtimeMs;
  const newer = (p: string): boolean => {
    const st = fs.statSync(p);
    if (!st.isDirectory()) return st.mtimeMs > built;
    return fs.readdirSync(p).some((f) => newer(path.join(p, f)));
  };
  return ['app', 'lib', 'next.config.js', 'package.json', 'package-lock.json', 'tsconfig.json']
    .map((p) => path.join(projectRoot, p))
    .some((p) => fs.existsSync(p) && newer(p));
}

export function ensureBuilt(stdio: 'inherit' | 'pipe' = 'inherit'): void {
  if (!buildIsStale()) return;
  const r = spawnSync(process.execPath, [nextBin, 'build'], { cwd: projectRoot, stdio, env: baseEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status})\n${r.stdout ?? ''}${r.stderr ?? ''}`);
}

/** `next start` on `port`; resolves once it answers HTTP. */
export async function startSite(port: number, env: Record<string, string> = {}, stdio: 'inherit' | 'pipe' = 'inherit'): Promise<ChildProcess> {
  const server = spawn(process.execPath, [nextBin, 'start', '-p', String(port)], { cwd: projectRoot, stdio, env: { ...baseEnv(), ...env } });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return server;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  server.kill();
  throw new Error(`next start did not answer on port ${port} within 60 s`);
}
