// A parsed query, compiled for one kind of hit (messages, claims,
// scenarios) into an FTS5 MATCH expression and SQL conditions with bound
// parameters. Text terms become MATCH; dates, Message-IDs and lists stay
// outside it, as sets of message ids read from indexes (search_dates.date,
// "Message".archiveId, "Message".listId), so that a range narrows an
// indexed search instead of turning it into a scan. User text reaches SQL
// only as bound parameters, and FTS5 only as quoted, folded words.
import { sqlDateTime } from '../db/sqlite';
import type { FilterNode, QueryNode, TermNode } from './query/ast';
import { filterNarrows, HIT_FIELDS, searchedFields, type HitKind } from './prefixes';

export interface Sql {
  sql: string;
  params: unknown[];
}

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

/**
 * The compiled query. `match` drives the search through the index (and its
 * BM25 rank); `where` holds what else a hit must satisfy, written for the
 * names the executor gives its row. `match` is null when no text term is
 * required at the top (d:2010 alone, a OR d:2010). `never` when nothing can
 * match (a prefix this kind lacks, required).
 */
export interface Compiled {
  match: string | null;
  where: ((row: RowNames) => Sql) | null;
  never: boolean;
}

type Expr =
  | { kind: 'fts'; q: string }
  | { kind: 'sql'; sql: Sql }
  | { kind: 'and' | 'or'; items: Expr[] }
  | { kind: 'not'; item: Expr }
  | { kind: 'const'; value: boolean };

const TRUE: Expr = { kind: 'const', value: true };
const FALSE: Expr = { kind: 'const', value: false };

export function compile(query: QueryNode, target: Target): Compiled {
  const expr = lower(query, target);
  if (expr.kind === 'const') return { match: null, where: null, never: !expr.value };
  if (expr.kind === 'fts') return { match: expr.q, where: null, never: false };
  if (expr.kind === 'and') {
    const driver = expr.items.find((e) => e.kind === 'fts');
    if (driver) {
      const rest = expr.items.filter((e) => e !== driver);
      const others: Expr = rest.length === 1 ? rest[0] : { kind: 'and', items: rest };
      return { match: driver.q, where: (row) => emit(others, target, row), never: false };
    }
  }
  return { match: null, where: (row) => emit(expr, target, row), never: false };
}

function lower(node: QueryNode, target: Target): Expr {
  switch (node.type) {
    case 'term': {
      const cols = searchedFields(node.field, target.hit);
      return cols ? { kind: 'fts', q: ftsTerm(node, cols, HIT_FIELDS[target.hit]) } : FALSE;
    }
    case 'date':
    case 'mid':
    case 'list':
      return filterNarrows(node.type, target.hit) ? { kind: 'sql', sql: messageFilter(node) } : FALSE;
    case 'not':
      return not(lower(node.child, target));
    case 'and':
      return and(node.children.map((c) => lower(c, target)));
    case 'or':
      return or(node.children.map((c) => lower(c, target)));
  }
}

function not(e: Expr): Expr {
  if (e.kind === 'const') return e.value ? FALSE : TRUE;
  if (e.kind === 'not') return e.item;
  return { kind: 'not', item: e };
}

/**
 * Text under one AND goes to FTS5 as one expression: its required terms
 * joined by AND, its excluded ones after NOT (FTS5's NOT is binary, so
 * exclusions need a required term beside them). The rest stays SQL.
 */
function and(parts: Expr[]): Expr {
  if (parts.some((p) => p.kind === 'const' && !p.value)) return FALSE;
  const required: string[] = [];
  const excluded: string[] = [];
  const merged: Expr[] = [];
  for (const p of parts) {
    if (p.kind === 'fts') required.push(p.q);
    else if (p.kind === 'not' && p.item.kind === 'fts') excluded.push(p.item.q);
    else if (p.kind !== 'const') merged.push(p);
  }
  if (required.length) {
    let q = required.length === 1 ? required[0] : required.map(group).join(' AND ');
    if (excluded.length) q = `${group(q)} NOT ${group(excluded.map(group).join(' OR '))}`;
    merged.unshift({ kind: 'fts', q });
  } else merged.unshift(...excluded.map((q): Expr => ({ kind: 'not', item: { kind: 'fts', q } })));
  if (merged.length === 0) return TRUE;
  return merged.length === 1 ? merged[0] : { kind: 'and', items: merged };
}

function or(parts: Expr[]): Expr {
  if (parts.some((p) => p.kind === 'const' && p.value)) return TRUE;
  const items = parts.filter((p) => p.kind !== 'const');
  if (items.length === 0) return FALSE;
  if (items.length === 1) return items[0];
  if (items.every((p) => p.kind === 'fts')) return { kind: 'fts', q: items.map((p) => group((p as { q: string }).q)).join(' OR ') };
  return { kind: 'or', items };
}

const group = (q: string) => (/^(?:\{[^}]*\} : )?"[^"]*"(?: \*)?$/.test(q) ? q : `(${q})`);

/** A term as FTS5 reads it: a quoted phrase of folded words (one word is a phrase of one), in its columns. */
function ftsTerm(t: TermNode, cols: readonly string[], all: readonly string[]): string {
  const phrase = `"${t.words.join(' ')}"${t.prefix ? ' *' : ''}`;
  return cols.length === all.length ? phrase : `{${cols.join(' ')}} : ${phrase}`;
}

function emit(e: Expr, target: Target, row: RowNames): Sql {
  switch (e.kind) {
    case 'fts':
      return { sql: `${row.rowid} IN (SELECT rowid FROM ${target.table} WHERE ${target.table} MATCH ?)`, params: [e.q] };
    case 'sql':
      return { sql: `${row.messageId} IN (${e.sql.sql})`, params: e.sql.params };
    case 'const':
      return { sql: e.value ? '1' : '0', params: [] };
    case 'not': {
      const inner = emit(e.item, target, row);
      return { sql: `NOT (${inner.sql})`, params: inner.params };
    }
    case 'and':
    case 'or': {
      const parts = e.items.map((i) => emit(i, target, row));
      return { sql: parts.map((p) => `(${p.sql})`).join(e.kind === 'and' ? ' AND ' : ' OR '), params: parts.flatMap((p) => p.params) };
    }
  }
}

/** The message ids d:, mid: and l: let through, each read from an index; a hit's message id is RowNames.messageId. */
function messageFilter(node: FilterNode): Sql {
  switch (node.type) {
    case 'date': {
      const sql: string[] = [];
      const params: unknown[] = [];
      if (node.from) sql.push('date >= ?'), params.push(sqlDateTime(node.from));
      if (node.to) sql.push('date < ?'), params.push(sqlDateTime(node.to));
      return { sql: `SELECT messageId FROM search_dates WHERE ${sql.join(' AND ')}`, params };
    }
    case 'mid':
      return { sql: 'SELECT id FROM "Message" WHERE archiveId = ?', params: [node.id] };
    case 'list': {
      // By name (linux-mm) or List-Id (linux-mm.kvack.org), any of the lists a message was delivered
      // to; a ghost, which has none, is in its thread's.
      const name = node.name.toLowerCase();
      const lists = 'SELECT id FROM "List" WHERE lower(name) IN (?, ?)';
      return {
        sql: `SELECT messageId FROM "MessageList" WHERE listId IN (${lists})
          UNION ALL SELECT m.id FROM "Message" m JOIN "ThreadList" tl ON tl.threadId = m.threadId WHERE m.isGhost = 1 AND tl.listId IN (${lists})`,
        params: [name, name.split('.')[0], name, name.split('.')[0]],
      };
    }
  }
}
