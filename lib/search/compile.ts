// A parsed query compiled for SQLite (lower.ts does what both engines share):
// text terms become an FTS5 MATCH expression, each a quoted phrase of folded
// words in its columns; the rest SQL conditions with bound parameters. User
// text reaches SQL only as bound parameters, and FTS5 only as quoted, folded words.
import type { QueryNode, TermNode } from './query/ast';
import { compileWith, messageFilter, type Compiled, type TextSyntax } from './lower';
import { HIT_FIELDS, type HitKind } from './prefixes';

/**
 * Where a kind of hit is kept: an FTS5 table with a column of each of its
 * fields (lib/search/prefixes.ts), named after it, in HIT_FIELDS order.
 * What a prefix means for the kind, the prefix table says.
 */
export interface Target {
  hit: HitKind;
  table: string;
}

/** How the executor's SQL names a hit: its rowid in the target's FTS table, and the id of its message. */
export interface RowNames {
  rowid: string;
  messageId: string;
}

const group = (q: string) => (/^(?:\{[^}]*\} : )?"[^"]*"(?: \*)?$/.test(q) ? q : `(${q})`);

const FTS5: TextSyntax = {
  /** A quoted phrase of folded words (one word is a phrase of one), in its columns. */
  term(t: TermNode, fields, hit) {
    const phrase = `"${t.words.join(' ')}"${t.prefix ? ' *' : ''}`;
    return fields.length === HIT_FIELDS[hit].length ? phrase : `{${fields.join(' ')}} : ${phrase}`;
  },
  and: (qs) => qs.map(group).join(' AND '),
  or: (qs) => qs.map(group).join(' OR '),
  without: (q, excluded) => `${group(q)} NOT ${group(FTS5.or(excluded))}`,
};

export function compile(query: QueryNode, target: Target): Compiled<RowNames> {
  return compileWith<RowNames>(query, target.hit, FTS5, {
    text: (q, row) => ({ sql: `${row.rowid} IN (SELECT rowid FROM ${target.table} WHERE ${target.table} MATCH ?)`, params: [q] }),
    filter(node, row) {
      const ids = messageFilter(node, 'search_dates');
      return { sql: `${row.messageId} IN (${ids.sql})`, params: ids.params };
    },
  });
}
