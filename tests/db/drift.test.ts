// The schema has one source, prisma/schema.prisma; PostgreSQL's is derived from it
// and each store has its own migration history. Each history must build exactly the
// schema: a model or column added to one and not the other fails here.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaChange } from '../../lib/db/migrate';
import { postgresSchema, POSTGRES_SCHEMA } from '../../lib/db/generate.mjs';
import { postgresSkipped, postgresUrl } from '../support/postgres';

describe('schema and migrations of both stores', () => {
  it('PostgreSQL schema is the one derived from prisma/schema.prisma (npm install regenerates it)', () => {
    expect(fs.readFileSync(POSTGRES_SCHEMA, 'utf8')).toBe(postgresSchema());
  });

  it('SQLite migrations build the schema: nothing left to diff', async () => {
    expect(await schemaChange('sqlite')).toBeNull();
  });

  it.skipIf(!postgresUrl)(`PostgreSQL migrations build the schema: nothing left to diff${postgresSkipped ? ` (${postgresSkipped})` : ''}`, async () => {
    expect(await schemaChange('postgresql')).toBeNull();
  });
});
