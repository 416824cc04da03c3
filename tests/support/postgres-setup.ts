// vitest globalSetup: one PostgreSQL for the whole run, started here (Debian's
// binaries, initdb as a non-root user on a free port) and stopped at the end;
// each test file makes databases of its own in it (tests/support/postgres.ts).
// THREADLAB_TEST_POSTGRES names a server to use instead. In CI the tests that
// need PostgreSQL never skip: no binaries is a failure there.
import type { TestProject } from 'vitest/node';
import { postgresBinDir, startPostgres } from '../../lib/db/postgres-server';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { url: string } | { skipped: string };
  }
}

export default async function setup(project: TestProject) {
  const given = process.env.THREADLAB_TEST_POSTGRES;
  if (given) return project.provide('postgres', { url: given });
  if (!postgresBinDir()) {
    const why = 'no PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql): the PostgreSQL tests are skipped';
    if (process.env.CI) throw new Error(`CI must run the PostgreSQL tests, but there are ${why.replace(': the PostgreSQL tests are skipped', '')}`);
    console.warn(`[threadlab tests] ${why}.`);
    return project.provide('postgres', { skipped: why });
  }
  // A scratch cluster: durability is not under test here, speed is welcome.
  const server = await startPostgres({ fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: 200 });
  project.provide('postgres', { url: server.url });
  return () => server.stop();
}
