import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it, expect, afterAll } from 'vitest';
import { projectRoot } from '../../lib/db/url';
import { bundledMailDir } from '../../lib/ingest/bundled';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-cli-'));
const env = { ...process.env, DATABASE_URL: `file:${path.join(dir, 'cli.db')}` };
// As package.json's script runs it: bundled by the launcher, not under tsx.
const ingest = (...args: string[]) =>
  spawnSync(process.execPath, ['--expose-gc', path.join(projectRoot, 'lib/cli/launch.mjs'), 'lib/cli/ingest.ts', ...args], { env, encoding: 'utf8', cwd: projectRoot });

describe('npm run ingest', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates and migrates the database, and prints the summary as JSON', () => {
    const r = ingest('--json', '--list', 'linux-mm', path.join(bundledMailDir, 'linux-mm'));
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ files: 10, seen: 10, added: 10, duplicates: 0, skipped: [] });
    expect(summary.threads).toBeGreaterThan(0);
  });

  it('names what it skipped in the plain summary, and exits 0 when the rest went in', () => {
    const r = ingest(path.join(dir, 'no-such.mbox'), path.join(bundledMailDir, 'linux-kernel'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/added\s+2/);
    expect(r.stdout).toContain(`${path.join(dir, 'no-such.mbox')} at byte 0: no such file or folder`);
  });

  it("stores a list named after a page of the site under another name, and says so", () => {
    const r = ingest('--list', 'search', path.join(bundledMailDir, 'linux-kernel'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('list "search" stored as "search-list": /search/ is a page of the site');
    const json = JSON.parse(ingest('--json', '--list', 'search', path.join(bundledMailDir, 'linux-kernel')).stdout);
    expect(json).toMatchObject({ unchanged: 2, renamedLists: [{ from: 'search', to: 'search-list' }] });
  });

  it('refuses an unknown option with its usage', () => {
    const r = ingest('--frobnicate', 'x');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: npm run ingest/);
  });
});
