// vitest globalSetup: one PostgreSQL for the whole run, started here (Debian's
// binaries, initdb as a non-root user on a free port) and stopped at the end;
// each test file makes databases of its own in it (tests/support/postgres.ts).
// THREADLAB_TEST_POSTGRES names a server to use instead. In CI the tests that
// need PostgreSQL never skip: no binaries is a failure there.
import type { TestProject } from 'vitest/node';
// With its extension: vitest.config.ts imports this file (noPostgres), and Vite's config loader wants extensions.
import { postgresBinDir, startPostgres } from '../../lib/db/postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { url: string } | { skipped: string };
  }
}

/** Why this run can have no PostgreSQL (no server named, no binaries to start one), or null. vitest.config.ts asks too. */
export function noPostgres(): string | null {
  if (process.env.THREADLAB_TEST_POSTGRES || postgresBinDir()) return null;
  return 'no PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql)';
}

export default async function setup(project: TestProject) {
  const given = process.env.THREADLAB_TEST_POSTGRES;
  if (given) return project.provide('postgres', { url: given });
  const missing = noPostgres();
  if (missing) {
    if (process.env.CI) throw new Error(`CI must run the PostgreSQL tests, but there are ${missing}`);
    const why = `${missing}: the PostgreSQL tests are skipped`;
    console.warn(`[threadlab tests] ${why}.`);
    return project.provide('postgres', { skipped: why });
  }
  // A scratch cluster: durability is not under test here, speed is welcome.
  const server = await startPostgres({ fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: 200 });
  project.provide('postgres', { url: server.url });
  return () => server.stop();
}
