// Searching on SQLite: the shared executor (../search.ts) in SQLite's dialect
// (lib/db/sqlite-search.ts), its statements run synchronously, within the budget.
import { runSearchSteps, sqliteSearchDialect } from '../../db/sqlite-search';
import type { SqliteConnection } from '../../db/sqlite';
import { WEIGHTS_IN_ORDER } from '../weights';
import { searchSteps, type SearchOptions, type SearchResults } from '../search';

/**
 * Runs a query on SQLite. A query that does not parse throws
 * QuerySyntaxError (with its position); nothing else about the query's text
 * can make it throw. The budget, if any, reads its clock in every statement.
 */
export function search(db: SqliteConnection, query: string, options: SearchOptions = {}): SearchResults {
  const { budget } = options;
  const dialect = sqliteSearchDialect(WEIGHTS_IN_ORDER, (id) => budget?.rowCheck(id) ?? null);
  return runSearchSteps(db, searchSteps(query, options, dialect), budget && (() => budget.check()));
}
