import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { emptyStore, freshDatabase } from '../support/db';
import { projectRoot } from '../../lib/db/url';
import { ingestBundled } from '../../lib/ingest/bundled';
import type { SearchResults } from '../../lib/search/search';
import type { Store } from './support';

describe('npm run search', () => {
  let store: Store;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'lib/cli/search.ts'), ...args], {
      env: { ...process.env, DATABASE_URL: store.url }, encoding: 'utf8', cwd: projectRoot,
    });
  beforeAll(async () => {
    store = await freshDatabase();
    // Not indexed here: the command brings the index up to date itself.
    await ingestBundled(store.writer);
  });
  afterAll(() => store.close());

  it('prints the results as JSON', () => {
    const r = run('--json', 'nq:VM_FAULT_NOPAGE', 'f:piggin');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const results = JSON.parse(r.stdout) as SearchResults;
    expect(results.query).toBe('nq:VM_FAULT_NOPAGE f:piggin');
    const hits = results.messages.hits.flatMap((t) => t.hits);
    expect(hits.map((h) => h.archiveId)).toContain('20090311035503.GI16561@wotan.suse.de');
    expect(hits.every((h) => /Piggin/.test(h.from))).toBe(true);
  });

  it('prints hits under their threads, the words marked', () => {
    const r = run('--sort', 'date', 'dfa:VM_FAULT_RETRY');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^messages 1 · claims 0 · scenarios 0 \(page 1 of 1, newest first\)$/m);
    expect(r.stdout).toContain('[PATCH] mm: Avoid returning VM_FAULT_RETRY from ->page_mkwrite handlers');
    expect(r.stdout).toContain('[VM_FAULT_RETRY]');
    expect(r.stdout).toContain('/linux-mm/20170203150729.15863-1-jack@suse.cz/?q=dfa%3AVM_FAULT_RETRY');
  });

  it('shows where a query goes wrong, and exits 2', () => {
    const r = run('s:(page_mkwrite', 'truncate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('s:(page_mkwrite truncate\n  ^');
    expect(r.stderr).toMatch(/never closed \(at column 3\)/);
  });

  it('says how to make the index of a database that has none', async () => {
    const empty = await emptyStore();
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'lib/cli/search.ts'), 'foo'], {
        env: { ...process.env, DATABASE_URL: empty.url }, encoding: 'utf8', cwd: projectRoot,
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/has no search index yet: run npm run db:migrate/);
    } finally {
      await empty.drop();
    }
  });

  it('refuses an unknown option with its usage', () => {
    const r = run('--frobnicate', 'x');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage: npm run search/);
  });
});
