// Searching on SQLite: FTS5's tables and BM25 (lib/db/sqlite-search.ts) as the dialect
// of the shared executor (../search.ts), its statements run synchronously, within the budget.
import { runSearchSteps, SQLITE_SEARCH, type Fts5Source } from '../../db/sqlite-search';
import type { SqliteConnection } from '../../db/sqlite';
import type { QueryBudget } from '../../db/budget';
import { compile, type RowNames } from '../compile';
import { HIT_FIELDS, type HitKind } from '../prefixes';
import { claimTarget, FIELD_WEIGHTS, messageTarget, scenarioTarget } from '../targets';
import { searchSteps, type Dialect, type SearchOptions, type SearchResults, type Shape } from '../search';

/**
 * Runs a query on SQLite. A query that does not parse throws
 * QuerySyntaxError (with its position); nothing else about the query's text
 * can make it throw.
 */
export function search(db: SqliteConnection, query: string, options: SearchOptions = {}): SearchResults {
  return runSearchSteps(db, searchSteps(query, options, sqliteDialect(options.budget)), options.budget && (() => options.budget!.check()));
}

/** The weights of a kind's indexed columns (HIT_FIELDS order), as BM25 takes them. */
const weightsOf = (hit: HitKind) => (HIT_FIELDS[hit] as readonly string[]).map((f) => (FIELD_WEIGHTS[hit] as Record<string, number>)[f]!);

/** A kind's source in SQLite's index, its BM25 weighted for the kind. */
function shape(source: Fts5Source, hit: HitKind): Shape<RowNames> {
  const { text, ...rest } = source;
  return text ? { ...rest, text: { matches: text.matches, score: () => ({ sql: text.score(weightsOf(hit)), params: [] }) } } : rest;
}

/** SQLite's (lib/db/sqlite-search.ts). The budget, if any, reads its clock in every statement. */
function sqliteDialect(budget: QueryBudget | undefined): Dialect<RowNames> {
  return {
    compile: (parsed, hit) => compile(parsed, { message: messageTarget, claim: claimTarget, scenario: scenarioTarget }[hit]),
    messagesByText: shape(SQLITE_SEARCH.messagesByText, 'message'),
    messagesByFilter: shape(SQLITE_SEARCH.messagesByFilter, 'message'),
    claims: shape(SQLITE_SEARCH.claims, 'claim'),
    scenarios: shape(SQLITE_SEARCH.scenarios, 'scenario'),
    idsIn: SQLITE_SEARCH.idsIn,
    isoDate: (column) => column,
    rowCheck: (id) => budget?.rowCheck(id) ?? null,
  };
}
