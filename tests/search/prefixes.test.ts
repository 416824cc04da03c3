// The prefix table (lib/search/prefixes.ts) is the one place a prefix is
// defined: the parser, each store's compiler and the search page's help each
// read it. These pin that every prefix in it works through all of them.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { HIT_FIELDS, PREFIXES, UNSUPPORTED_PREFIXES, type Prefix } from '../../lib/search/prefixes';
import { parseQuery } from '../../lib/search/query/parse';
import { QuerySyntaxError } from '../../lib/search/query/ast';
import { compile } from '../../lib/search/compile';
import { claimTarget, messageTarget, scenarioTarget } from '../../lib/search/targets';
import { SyntaxHelp } from '../../app/search/SyntaxHelp';
import { searchHref } from '../../app/search/data';
import { backend } from '../support/db';
import type { SqliteConnection } from '../../lib/db/sqlite';
import { searchableBundle, searchIn, type Store } from './support';

const now = new Date('2026-03-15T12:00:00Z');
const TARGETS = [messageTarget, claimTarget, scenarioTarget];
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

  it.each(PREFIXES.map((p) => [p.example, p] as const))('compiles %s, for each kind of hit, to what the table says', (_, p) => {
    const parsed = parseQuery(p.example, now);
    for (const target of TARGETS) {
      const c = compile(parsed, target);
      if (p.value === 'words') {
        const fields = (p.fields as Partial<Record<string, readonly string[]>>)[target.hit];
        expect(c.never).toBe(!fields);
        if (!fields) continue;
        // A column filter names the fields searched; none means all the table's.
        const filter = /^\{([^}]*)\} : "/.exec(c.match!);
        expect(filter ? filter[1].split(' ') : [...HIT_FIELDS[target.hit]]).toEqual([...fields]);
      } else {
        const narrows = (p.narrows as readonly string[]).includes(target.hit);
        expect(c.never).toBe(!narrows);
        if (narrows) expect(c.where?.({ rowid: 'hit.rowid', messageId: 'hit.message' }).sql).toMatch(/^hit\.message IN \(/);
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
      for (const target of TARGETS) {
        const columns = ((store.writer as SqliteConnection).prepare(`PRAGMA table_info(${target.table})`).all() as Array<{ name: string }>).map((c) => c.name);
        const fields: readonly string[] = HIT_FIELDS[target.hit];
        expect(columns.filter((c) => fields.includes(c))).toEqual([...fields]);
      }
    });

    it.each(PREFIXES.flatMap((p) => p.names.map((name) => `${name}:${valueOf(p)}`)))('finds messages with %s', async (q) => {
      expect((await searchIn(store, q, { now })).messages.total).toBeGreaterThan(0);
    });
  });
});
