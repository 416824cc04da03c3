import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it, expect } from 'vitest';
import { projectRoot } from '../../lib/db/url';
import { bundledMailDir } from '../../lib/ingest/bundled';
import { emptyStores } from '../support/db';
import { scratchFolder } from '../support/scratch';

const { dir } = scratchFolder('threadlab-cli-');
const store = emptyStores();
// As package.json's script runs it: bundled by the launcher, not under tsx.
const ingest = async (...args: string[]) =>
  spawnSync(process.execPath, ['--expose-gc', path.join(projectRoot, 'lib/cli/launch.mjs'), 'lib/cli/ingest.ts', ...args], {
    env: { ...process.env, DATABASE_URL: await store('cli') }, encoding: 'utf8', cwd: projectRoot,
  });

describe('npm run ingest', () => {
  it('creates and migrates the database, and prints the summary as JSON', async () => {
    const r = await ingest('--json', '--list', 'linux-mm', path.join(bundledMailDir, 'linux-mm'));
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ files: 10, seen: 10, added: 10, duplicates: 0, skipped: [] });
    expect(summary.threads).toBeGreaterThan(0);
  });

  it('names what it skipped in the plain summary, and exits 0 when the rest went in', async () => {
    const r = await ingest(path.join(dir, 'no-such.mbox'), path.join(bundledMailDir, 'linux-kernel'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/added\s+2/);
    expect(r.stdout).toContain(`${path.join(dir, 'no-such.mbox')} at byte 0: no such file or folder`);
  });

  it("stores a list named after a page of the site under another name, and says so", async () => {
    const r = await ingest('--list', 'search', path.join(bundledMailDir, 'linux-kernel'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('list "search" stored as "search-list": /search/ is a page of the site');
    const json = JSON.parse((await ingest('--json', '--list', 'search', path.join(bundledMailDir, 'linux-kernel'))).stdout);
    expect(json).toMatchObject({ unchanged: 2, renamedLists: [{ from: 'search', to: 'search-list' }] });
  });

  it('refuses an unknown option with its usage', async () => {
    const r = await ingest('--frobnicate', 'x');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: npm run ingest/);
  });
});
