// A parsed query lowered for one kind of hit (messages, claims, scenarios),
// whichever engine answers it: its text terms joined into one expression of
// the engine's text-query language (SQLite's FTS5 MATCH, PostgreSQL's
// tsquery) wherever the boolean structure lets them, and the rest as a tree
// of conditions. Dates, Message-IDs and lists stay outside the text query,
// as filters the statements answer from indexes, so that a range narrows an
// indexed search instead of turning it into a scan. Each engine's dialect
// (lib/db/sqlite-search.ts, lib/db/postgres-search.ts) writes the text and
// the conditions; lib/db/search-sql.ts the statements.
import type { Condition, Plan, TextSyntax } from '../db/search-sql';
import type { QueryNode } from './query/ast';
import { filterNarrows, HIT_FIELDS, searchedFields, type HitKind } from './prefixes';

const TRUE: Condition = { kind: 'const', value: true };
const FALSE: Condition = { kind: 'const', value: false };

/** `query` lowered for one kind of hit, its text written in the engine's syntax. */
export function lowerQuery(query: QueryNode, hit: HitKind, syntax: TextSyntax): Plan {
  const expr = lower(query, hit, syntax);
  if (expr.kind === 'const') return { match: null, where: null, never: !expr.value };
  if (expr.kind === 'text') return { match: expr.q, where: null, never: false };
  if (expr.kind === 'and') {
    const driver = expr.items.find((e) => e.kind === 'text');
    if (driver) {
      const rest = expr.items.filter((e) => e !== driver);
      return { match: driver.q, where: rest.length === 1 ? rest[0] : { kind: 'and', items: rest }, never: false };
    }
  }
  return { match: null, where: expr, never: false };
}

function lower(node: QueryNode, hit: HitKind, syntax: TextSyntax): Condition {
  switch (node.type) {
    case 'term': {
      const fields = searchedFields(node.field, hit);
      const q = fields && syntax.term({ words: node.words, prefix: node.prefix, fields, kindFields: HIT_FIELDS[hit] });
      return q ? { kind: 'text', q } : FALSE;
    }
    case 'date':
    case 'mid':
    case 'list':
      return filterNarrows(node.type, hit) ? { kind: 'filter', filter: node } : FALSE;
    case 'not':
      return not(lower(node.child, hit, syntax));
    case 'and':
      return and(node.children.map((c) => lower(c, hit, syntax)), syntax);
    case 'or':
      return or(node.children.map((c) => lower(c, hit, syntax)), syntax);
  }
}

function not(e: Condition): Condition {
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
function and(parts: Condition[], syntax: TextSyntax): Condition {
  if (parts.some((p) => p.kind === 'const' && !p.value)) return FALSE;
  const required: string[] = [];
  const excluded: string[] = [];
  const merged: Condition[] = [];
  for (const p of parts) {
    if (p.kind === 'text') required.push(p.q);
    else if (p.kind === 'not' && p.item.kind === 'text') excluded.push(p.item.q);
    else if (p.kind !== 'const') merged.push(p);
  }
  if (required.length) {
    let q = required.length === 1 ? required[0] : syntax.and(required);
    if (excluded.length) q = syntax.without(q, excluded);
    merged.unshift({ kind: 'text', q });
  } else merged.unshift(...excluded.map((q): Condition => ({ kind: 'not', item: { kind: 'text', q } })));
  if (merged.length === 0) return TRUE;
  return merged.length === 1 ? merged[0] : { kind: 'and', items: merged };
}

function or(parts: Condition[], syntax: TextSyntax): Condition {
  if (parts.some((p) => p.kind === 'const' && p.value)) return TRUE;
  const items = parts.filter((p) => p.kind !== 'const');
  if (items.length === 0) return FALSE;
  if (items.length === 1) return items[0];
  if (items.every((p) => p.kind === 'text')) return { kind: 'text', q: syntax.or(items.map((p) => (p as { q: string }).q)) };
  return { kind: 'or', items };
}
