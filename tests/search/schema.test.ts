import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { freshDatabase } from '../support/db';
import { projectRoot } from '../../lib/db/url';
import { SEARCH_TABLES, SEARCH_TRIGGERS } from '../../lib/db/search-tables';
import { TOKENIZER } from '../../lib/search/tokens';
import type { Store } from './support';
import type { SqliteConnection } from '../../lib/db/sqlite';

// The search migration makes objects Prisma does not model. The migrator
// must be told every table of them, or a schema diff drops them; and every
// migration after it must leave the triggers in place.
describe('the search schema', () => {
  let store: Store<SqliteConnection>;
  beforeAll(async () => {
    store = await freshDatabase('sqlite');
  });
  afterAll(() => store.close());

  const objects = (type: string) =>
    (store.writer.prepare('SELECT name, sql FROM sqlite_master WHERE type = ?').all(type) as Array<{ name: string; sql: string | null }>);

  it('names in SEARCH_TABLES exactly the tables that are not Prisma models', () => {
    const models = [...fs.readFileSync(path.join(projectRoot, 'prisma', 'schema.prisma'), 'utf8').matchAll(/^model (\w+) \{/gm)].map((m) => m[1]);
    const others = objects('table').map((t) => t.name).filter((n) => !models.includes(n) && n !== '_prisma_migrations' && n !== 'sqlite_sequence');
    expect(others.sort()).toEqual([...SEARCH_TABLES].sort());
  });

  it('keeps every index trigger after all migrations', () => {
    expect(objects('trigger').map((t) => t.name)).toEqual(expect.arrayContaining(SEARCH_TRIGGERS));
  });

  it('tokenizes every search table as lib/search/tokens.ts does', () => {
    const fts = objects('table').filter((t) => /USING fts5/i.test(t.sql ?? ''));
    expect(fts.map((t) => t.name).sort()).toEqual(['claim_fts', 'message_fts', 'scenario_fts']);
    for (const t of fts) expect(t.sql).toContain(`tokenize = "${TOKENIZER}"`);
  });
});
