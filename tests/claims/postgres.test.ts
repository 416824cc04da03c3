// Claims are anchored and stored through the Prisma client, so on PostgreSQL as on SQLite:
// the bundled annotations give the same rows, verdicts computed again, on either store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/db';
import { postgresSkipped, postgresUrl, scratchPostgres } from '../support/postgres';
import { copyArchive } from '../../lib/db/copy';
import { openDatabase, type Database } from '../../lib/db/client';
import { ingestBundled } from '../../lib/ingest/bundled';
import { storeBundledClaims } from '../../lib/ingest/claims';

describe.skipIf(!postgresUrl)(`claims on PostgreSQL${postgresSkipped ? ` (${postgresSkipped})` : ''}`, () => {
  let sqlite: Awaited<ReturnType<typeof freshDatabase>>;
  let store: Awaited<ReturnType<typeof scratchPostgres>>;
  let postgres: Database;
  beforeAll(async () => {
    sqlite = await freshDatabase('sqlite');
    await ingestBundled(sqlite.writer);
    store = await scratchPostgres();
    await copyArchive(sqlite.url, store.url);
    postgres = openDatabase(store.url);
  }, 300_000);
  afterAll(async () => {
    await postgres?.$disconnect();
    await sqlite?.close();
    await store?.drop();
  });

  const claims = (db: Database) => db.claim.findMany({ orderBy: { key: 'asc' }, omit: { id: true } });

  it('anchors every bundled claim to the same words with the same verdict as on SQLite', async () => {
    await postgres.claim.deleteMany();
    const result = await storeBundledClaims(store.url);
    expect(result.problems).toEqual([]);
    expect(result.stored).toBeGreaterThan(50);
    expect(await claims(postgres)).toEqual(await claims(sqlite.db));
    const again = await storeBundledClaims(store.url);
    expect([again.stored, again.removed]).toEqual([result.stored, 0]);
  });
});
