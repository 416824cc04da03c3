import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import path from 'node:path';
import { noPostgres } from './tests/support/postgres-setup.ts';

const resolve = { alias: { '@': path.resolve(import.meta.dirname) } };
const shared = {
  // Native SQLite and a browser per file: processes, not threads.
  pool: 'forks',
  testTimeout: 60_000,
  hookTimeout: 600_000,
} as const;

// SQLite's project runs every test file; PostgreSQL's every one but these. Each test file
// gets its store from tests/support/db.ts, which reads the project's `backend`.

// Files that touch no store (mail parsing, quotes, threading, the engine and the scenario
// runner, search's parser and highlighting, claims' parsing and anchoring, the layers): the
// same on either, so run once.
const noStore = [
  'tests/mail/!(dates|mbox-flavour).test.ts',
  'tests/{quote,thread,engine,runner,support,workers}/*.test.ts',
  'tests/search/{parse,fields,highlight}.test.ts',
  'tests/claims/!(store|author).test.ts',
  'tests/archive/{links,site-pages}.test.ts',
  'tests/site/{contrast,paths}.test.ts',
  'tests/layers.test.ts',
  'tests/db/writer-wait.test.ts',
];

// SQLite's own, each for the reason above it:
const sqliteOnly = [
  // SQLite and PostgreSQL side by side: the comparisons, db:copy from an SQLite file, the two schemas' drift.
  'tests/*/postgres*.test.ts',
  'tests/db/{copy,drift}.test.ts',
  // The SQLite file (page size, WAL, busy while migrating) and INSERT OR IGNORE's insertNew.
  'tests/db/{file,insert}.test.ts',
  // A database from before message text had its table: PostgreSQL's migrations begin after it.
  'tests/ingest/message-text.test.ts',
  // Quote links planned on a worker thread, checked against FTS5's index; postgres-link-worker.test.ts is PostgreSQL's.
  'tests/ingest/derive.test.ts',
  // A slow search made by filling FTS5's index directly; postgres-budget.test.ts is PostgreSQL's.
  'tests/search/{budget,budget-site}.test.ts',
];

// Without PostgreSQL (no binaries, no THREADLAB_TEST_POSTGRES) outside CI, PostgreSQL's project
// runs no test: a name pattern nothing matches reports each one skipped, and
// tests/support/postgres-setup.ts says why. In CI the run fails there instead.
const postgresMissing = noPostgres() !== null && !process.env.CI;

export default defineConfig({
  resolve,
  test: {
    // Runs once for both projects: one PostgreSQL for the whole run.
    globalSetup: ['tests/support/postgres-setup.ts'],
    projects: [
      { resolve, test: { ...shared, name: 'sqlite', include: ['tests/**/*.test.ts'], provide: { backend: 'sqlite' } } },
      {
        resolve,
        test: {
          ...shared,
          name: 'postgres',
          include: ['tests/**/*.test.ts'],
          exclude: [...noStore, ...sqliteOnly],
          provide: { backend: 'postgresql' },
          ...(postgresMissing ? { testNamePattern: /^(?!)/ } : {}),
        },
      },
    ] satisfies TestProjectInlineConfiguration[],
  },
});
