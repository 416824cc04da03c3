import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { backend, freshDatabase } from '../support/db';
import { prepare } from '../../lib/db/connection';
import { projectRoot } from '../../lib/db/url';
import { POSTGRES_EXTERNAL_TABLES, SEARCH_TABLES, SEARCH_TRIGGERS } from '../../lib/db/search-tables';
import { TOKENIZER } from '../../lib/search/tokens';
import type { Store } from './support';

// The search migration makes objects Prisma does not model. The migrator
// must be told every table of them, or a schema diff drops them; and every
// migration after it must leave the triggers in place.
describe('the search schema', () => {
  let store: Store;
  beforeAll(async () => {
    store = await freshDatabase();
  });
  afterAll(() => store.close());

  const names = (sql: { sqlite: string; postgresql: string }) => prepare<[], { name: string }>(store.writer, sql).all().map((r) => r.name);
  const tables = () => names({ sqlite: `SELECT name FROM sqlite_master WHERE type = 'table'`, postgresql: `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'` });
  const triggers = () => names({ sqlite: `SELECT name FROM sqlite_master WHERE type = 'trigger'`, postgresql: 'SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal' });

  it('names exactly the tables that are not Prisma models, for the migrator (SEARCH_TABLES; POSTGRES_EXTERNAL_TABLES)', () => {
    const models = [...fs.readFileSync(path.join(projectRoot, 'prisma', 'schema.prisma'), 'utf8').matchAll(/^model (\w+) \{/gm)].map((m) => m[1]);
    const others = tables().filter((n) => !models.includes(n) && n !== '_prisma_migrations' && n !== 'sqlite_sequence');
    const named = backend === 'postgresql' ? POSTGRES_EXTERNAL_TABLES.map((t) => t.replace(/^public\./, '')) : SEARCH_TABLES;
    expect(others.sort()).toEqual([...named].sort());
  });

  it('keeps every index trigger after all migrations', () => {
    expect(triggers()).toEqual(expect.arrayContaining(SEARCH_TRIGGERS));
  });

  it.skipIf(backend === 'postgresql')('tokenizes every search table as lib/search/tokens.ts does (FTS5\'s tokenizer: PostgreSQL indexes the words tokens.ts makes)', () => {
    const fts = prepare<[], { name: string; sql: string }>(store.writer, `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'`).all();
    expect(fts.map((t) => t.name).sort()).toEqual(['claim_fts', 'message_fts', 'scenario_fts']);
    for (const t of fts) expect(t.sql).toContain(`tokenize = "${TOKENIZER}"`);
  });
});
