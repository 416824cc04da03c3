import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import pg from 'pg';

const server = inject('postgres');

/** The run's PostgreSQL (tests/support/postgres-setup.ts), or why there is none. */
export const postgresUrl: string | null = 'url' in server ? server.url : null;
export const postgresSkipped: string | null = 'skipped' in server ? server.skipped : null;

/** A new, empty database on the run's PostgreSQL: its URL, and how to drop it. */
export async function scratchPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!postgresUrl) throw new Error(postgresSkipped ?? 'no PostgreSQL');
  const name = `threadlab_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(postgresUrl);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client(postgresUrl!);
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
