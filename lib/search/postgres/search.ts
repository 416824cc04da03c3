// Searching on PostgreSQL: the shared executor (../search.ts) in PostgreSQL's
// dialect (lib/db/postgres-search.ts), its statements run asynchronously,
// within a time budget the server keeps.
import type pg from 'pg';
import { POSTGRES_SEARCH, runPostgresSearch } from '../../db/postgres-search';
import { searchSteps, type SearchOptions, type SearchResults } from '../search';

/**
 * Runs a query on PostgreSQL, within `budgetMs`: a statement past it throws
 * BudgetSpent (lib/db/budget.ts). As search() on SQLite, a query that does
 * not parse throws QuerySyntaxError, and nothing else about its text can make it throw.
 */
export function searchPostgres(client: pg.ClientBase, query: string, options: Omit<SearchOptions, 'budget'> = {}, budgetMs = Infinity): Promise<SearchResults> {
  return runPostgresSearch(client, budgetMs, () => searchSteps(query, options, POSTGRES_SEARCH));
}
