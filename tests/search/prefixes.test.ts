// The prefix table (lib/search/prefixes.ts) is the one place a prefix is
// defined: the parser, each engine's text syntax (through lib/search/lower.ts)
// and the search page's help read it. These pin that every prefix in it works through all of them.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { HIT_FIELDS, PREFIXES, UNSUPPORTED_PREFIXES, type Prefix } from '../../lib/search/prefixes';
import { parseQuery } from '../../lib/search/query/parse';
import { QuerySyntaxError } from '../../lib/search/query/ast';
import { lowerQuery } from '../../lib/search/lower';
import { FTS5 } from '../../lib/db/sqlite-search';
import { TSQUERY } from '../../lib/db/postgres-search';
import { SyntaxHelp } from '../../app/search/SyntaxHelp';
import { searchHref } from '../../app/search/data';
import { backend } from '../support/db';
import type { SqliteConnection } from '../../lib/db/sqlite';
import { searchableBundle, searchIn, type Store } from './support';

const now = new Date('2026-03-15T12:00:00Z');
const HITS = ['message', 'claim', 'scenario'] as const;
/** SQLite's FTS5 table of each kind of hit. */
const FTS5_TABLES = { message: 'message_fts', claim: 'claim_fts', scenario: 'scenario_fts' };

/** The fields a text query searches: FTS5's column filter (none: all the table's), or the field tags of PostgreSQL's lexemes. */
const searchedBy = {
  fts5: (match: string, hit: (typeof HITS)[number]) => {
    const filter = /^\{([^}]*)\} : "/.exec(match);
    return filter ? filter[1].split(' ') : [...HIT_FIELDS[hit]];
  },
  tsquery: (match: string, hit: (typeof HITS)[number]) =>
    [...new Set([...match.matchAll(/'(\d+)\./g)].map((m) => Number(m[1])))].map((tag) => HIT_FIELDS[hit][tag]),
};
/** What follows the prefix in an example: `s:page_mkwrite` -> `page_mkwrite`. */
const valueOf = (p: Prefix) => p.example.slice(p.example.indexOf(':') + 1);

describe('the prefix table', () => {
  it('names each prefix once, and none of lore\'s prefixes Threadlab refuses', () => {
    const names = PREFIXES.flatMap((p) => p.names);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(UNSUPPORTED_PREFIXES.has(n)).toBe(false);
  });

  it.each(PREFIXES.map((p) => [p.example, p] as const))('reads %s under every name of its prefix', (_, p) => {
    expect(p.example.startsWith(`${p.names[0]}:`)).toBe(true);
    for (const name of p.names) {
      const node = parseQuery(`${name}:${valueOf(p)}`, now);
      if (p.value === 'words') expect(node).toMatchObject({ type: 'term', field: p.names[0] });
      else expect(node.type).toBe(p.value);
    }
  });

  it.each([...UNSUPPORTED_PREFIXES])('refuses lore\'s %s:, which Threadlab does not index', (name) => {
    expect(() => parseQuery(`${name}:foo`, now)).toThrow(QuerySyntaxError);
    expect(() => parseQuery(`${name}:foo`, now)).toThrow(/is not supported here/);
  });

  it.each(PREFIXES.map((p) => [p.example, p] as const))('lowers %s, for each kind of hit and each engine, to what the table says', (_, p) => {
    const parsed = parseQuery(p.example, now);
    for (const hit of HITS) {
      for (const [engine, syntax] of [['fts5', FTS5], ['tsquery', TSQUERY]] as const) {
        const c = lowerQuery(parsed, hit, syntax);
        if (p.value === 'words') {
          const fields = (p.fields as Partial<Record<string, readonly string[]>>)[hit];
          expect(c.never).toBe(!fields);
          if (!fields) continue;
          expect(searchedBy[engine](c.match!, hit), `${p.example} in ${engine}`).toEqual([...fields]);
        } else {
          const narrows = (p.narrows as readonly string[]).includes(hit);
          expect(c.never).toBe(!narrows);
          if (narrows) expect(c.where).toMatchObject({ kind: 'filter', filter: { type: p.value } });
        }
      }
    }
  });

  it('lists every prefix on the search page, with its help and a link that searches its example', () => {
    const page = renderToStaticMarkup(createElement(SyntaxHelp));
    const table = page.slice(page.indexOf('<table class="threads prefixes">'));
    const text = (html: string) => html.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    const rows = [...table.matchAll(/<tr><td><code>([^<]*)<\/code><\/td><td>([^<]*)<\/td><td><a href="([^"]*)"><code>([^<]*)<\/code><\/a><\/td><\/tr>/g)]
      .map((m) => m.slice(1).map(text));
    expect(rows).toEqual(PREFIXES.map((p) => [`${p.names[0]}:`, p.help, searchHref({ q: p.example }), p.example]));
  });

  describe('in the store, over the bundled thread', () => {
    let store: Store;
    beforeAll(async () => {
      store = await searchableBundle();
    });
    afterAll(() => store.close());

    it.skipIf(backend === 'postgresql')('keeps each kind of hit\'s fields in columns named after them, in order (BM25 weights follow it: SQLite\'s FTS5 tables)', () => {
      for (const hit of HITS) {
        const columns = ((store.writer as SqliteConnection).prepare(`PRAGMA table_info(${FTS5_TABLES[hit]})`).all() as Array<{ name: string }>).map((c) => c.name);
        const fields: readonly string[] = HIT_FIELDS[hit];
        expect(columns.filter((c) => fields.includes(c))).toEqual([...fields]);
      }
    });

    it.each(PREFIXES.flatMap((p) => p.names.map((name) => `${name}:${valueOf(p)}`)))('finds messages with %s', async (q) => {
      expect((await searchIn(store, q, { now })).messages.total).toBeGreaterThan(0);
    });
  });
});
