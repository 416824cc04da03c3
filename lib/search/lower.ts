// A parsed query lowered for one kind of hit (messages, claims, scenarios),
// whichever engine answers it: its text terms joined into one expression of
// the engine's text-query language (SQLite's FTS5 MATCH, PostgreSQL's
// tsquery) wherever the boolean structure lets them, and the rest as SQL
// conditions with bound parameters. Dates, Message-IDs and lists stay outside
// the text query, as sets of message ids read from indexes (the dates of the
// index, "Message"."archiveId", "Message"."listId"), so that a range narrows
// an indexed search instead of turning it into a scan. Each engine's compiler
// (compile.ts, postgres/compile.ts) says how it writes text and conditions.
import { sqlDateTime } from '../db/sqlite';
import type { DateNode, FilterNode, QueryNode, TermNode } from './query/ast';
import { filterNarrows, searchedFields, type HitKind } from './prefixes';

export interface Sql {
  sql: string;
  params: unknown[];
}

/** How an engine writes a text query. Its expressions only ever hold folded words, never user syntax. */
export interface TextSyntax {
  /** A term searched in these fields of the kind; null when the engine's index cannot hold it (it matches nothing). */
  term(t: TermNode, fields: readonly string[], hit: HitKind): string | null;
  /** All of them (two or more). */
  and(qs: readonly string[]): string;
  /** Any of them. */
  or(qs: readonly string[]): string;
  /** `q`, but none of `excluded`. */
  without(q: string, excluded: readonly string[]): string;
}

/** How SQL asks about a hit, named by `row` (the executor's names for it): its text, and its message. */
export interface Conditions<Row> {
  /** The hit matches the engine's text query `q`. */
  text(q: string, row: Row): Sql;
  /** The hit's message is one the filter lets through. */
  filter(node: FilterNode, row: Row): Sql;
}

/**
 * The compiled query. `match` drives the search through the index (and its
 * rank); `where` holds what else a hit must satisfy, written for the names
 * the executor gives its row. `match` is null when no text term is required
 * at the top (d:2010 alone, a OR d:2010, -a). `never` when nothing can match
 * (a prefix this kind lacks, required).
 */
export interface Compiled<Row> {
  match: string | null;
  where: ((row: Row) => Sql) | null;
  never: boolean;
}

type Expr =
  | { kind: 'text'; q: string }
  | { kind: 'filter'; node: FilterNode }
  | { kind: 'and' | 'or'; items: Expr[] }
  | { kind: 'not'; item: Expr }
  | { kind: 'const'; value: boolean };

const TRUE: Expr = { kind: 'const', value: true };
const FALSE: Expr = { kind: 'const', value: false };

export function compileWith<Row>(query: QueryNode, hit: HitKind, syntax: TextSyntax, conditions: Conditions<Row>): Compiled<Row> {
  const expr = lower(query, hit, syntax);
  const where = (e: Expr) => (row: Row) => emit(e, row, conditions);
  if (expr.kind === 'const') return { match: null, where: null, never: !expr.value };
  if (expr.kind === 'text') return { match: expr.q, where: null, never: false };
  if (expr.kind === 'and') {
    const driver = expr.items.find((e) => e.kind === 'text');
    if (driver) {
      const rest = expr.items.filter((e) => e !== driver);
      return { match: driver.q, where: where(rest.length === 1 ? rest[0] : { kind: 'and', items: rest }), never: false };
    }
  }
  return { match: null, where: where(expr), never: false };
}

function lower(node: QueryNode, hit: HitKind, syntax: TextSyntax): Expr {
  switch (node.type) {
    case 'term': {
      const fields = searchedFields(node.field, hit);
      const q = fields && syntax.term(node, fields, hit);
      return q ? { kind: 'text', q } : FALSE;
    }
    case 'date':
    case 'mid':
    case 'list':
      return filterNarrows(node.type, hit) ? { kind: 'filter', node } : FALSE;
    case 'not':
      return not(lower(node.child, hit, syntax));
    case 'and':
      return and(node.children.map((c) => lower(c, hit, syntax)), syntax);
    case 'or':
      return or(node.children.map((c) => lower(c, hit, syntax)), syntax);
  }
}

function not(e: Expr): Expr {
  if (e.kind === 'const') return e.value ? FALSE : TRUE;
  if (e.kind === 'not') return e.item;
  return { kind: 'not', item: e };
}

/**
 * Text under one AND goes to the engine as one expression: its required
 * terms together, its excluded ones taken out of them. Exclusions with no
 * required term beside them stay SQL (FTS5's NOT is binary; and a query of
 * exclusions alone is no text search on either engine). The rest stays SQL.
 */
function and(parts: Expr[], syntax: TextSyntax): Expr {
  if (parts.some((p) => p.kind === 'const' && !p.value)) return FALSE;
  const required: string[] = [];
  const excluded: string[] = [];
  const merged: Expr[] = [];
  for (const p of parts) {
    if (p.kind === 'text') required.push(p.q);
    else if (p.kind === 'not' && p.item.kind === 'text') excluded.push(p.item.q);
    else if (p.kind !== 'const') merged.push(p);
  }
  if (required.length) {
    let q = required.length === 1 ? required[0] : syntax.and(required);
    if (excluded.length) q = syntax.without(q, excluded);
    merged.unshift({ kind: 'text', q });
  } else merged.unshift(...excluded.map((q): Expr => ({ kind: 'not', item: { kind: 'text', q } })));
  if (merged.length === 0) return TRUE;
  return merged.length === 1 ? merged[0] : { kind: 'and', items: merged };
}

function or(parts: Expr[], syntax: TextSyntax): Expr {
  if (parts.some((p) => p.kind === 'const' && p.value)) return TRUE;
  const items = parts.filter((p) => p.kind !== 'const');
  if (items.length === 0) return FALSE;
  if (items.length === 1) return items[0];
  if (items.every((p) => p.kind === 'text')) return { kind: 'text', q: syntax.or(items.map((p) => (p as { q: string }).q)) };
  return { kind: 'or', items };
}

function emit<Row>(e: Expr, row: Row, conditions: Conditions<Row>): Sql {
  switch (e.kind) {
    case 'text':
      return conditions.text(e.q, row);
    case 'filter':
      return conditions.filter(e.node, row);
    case 'const':
      return { sql: e.value ? 'TRUE' : 'FALSE', params: [] };
    case 'not': {
      const inner = emit(e.item, row, conditions);
      return { sql: `NOT (${inner.sql})`, params: inner.params };
    }
    case 'and':
    case 'or': {
      const parts = e.items.map((i) => emit(i, row, conditions));
      return { sql: parts.map((p) => `(${p.sql})`).join(e.kind === 'and' ? ' AND ' : ' OR '), params: parts.flatMap((p) => p.params) };
    }
  }
}

/** A d: range on a date column, its ends as sqlDateTime writes them: SQLite stores them so, PostgreSQL reads them as the UTC timestamps it stores. */
export function dateRange(node: DateNode, column: string): Sql {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (node.from) sql.push(`${column} >= ?`), params.push(sqlDateTime(node.from));
  if (node.to) sql.push(`${column} < ?`), params.push(sqlDateTime(node.to));
  return { sql: sql.join(' AND '), params };
}

/**
 * The message ids d:, mid: and l: let through, each read from an index, in
 * SQL both engines read. `dates` is the table of the index's dates (a
 * "messageId" and its "date").
 */
export function messageFilter(node: FilterNode, dates: string): Sql {
  switch (node.type) {
    case 'date': {
      const range = dateRange(node, '"date"');
      return { sql: `SELECT "messageId" FROM ${dates} WHERE ${range.sql}`, params: range.params };
    }
    case 'mid':
      return { sql: 'SELECT id FROM "Message" WHERE "archiveId" = ?', params: [node.id] };
    case 'list': {
      // By name (linux-mm) or List-Id (linux-mm.kvack.org), any of the lists a message was delivered
      // to; a ghost, which has none, is in its thread's.
      const name = node.name.toLowerCase();
      const lists = 'SELECT id FROM "List" WHERE lower(name) IN (?, ?)';
      return {
        sql: `SELECT "messageId" FROM "MessageList" WHERE "listId" IN (${lists})
          UNION ALL SELECT m.id FROM "Message" m JOIN "ThreadList" tl ON tl."threadId" = m."threadId" WHERE m."isGhost" = TRUE AND tl."listId" IN (${lists})`,
        params: [name, name.split('.')[0], name, name.split('.')[0]],
      };
    }
  }
}
