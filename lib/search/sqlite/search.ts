// Searching on SQLite: FTS5's tables and BM25 as the dialect of the shared executor
// (../search.ts), whose statements run here, synchronously, within the budget.
import { inValues } from '../../db/dialect';
import type { SqliteConnection } from '../../db/sqlite';
import type { QueryBudget } from '../../db/budget';
import { compile, type RowNames } from '../compile';
import type { Sql } from '../lower';
import { HIT_FIELDS, type HitKind } from '../prefixes';
import { claimTarget, FIELD_WEIGHTS, messageTarget, scenarioTarget } from '../targets';
import { searchSteps, type Dialect, type SearchOptions, type SearchResults } from '../search';

/**
 * Runs a query on SQLite. A query that does not parse throws
 * QuerySyntaxError (with its position); nothing else about the query's text
 * can make it throw.
 */
export function search(db: SqliteConnection, query: string, options: SearchOptions = {}): SearchResults {
  const steps = searchSteps(query, options, sqliteDialect(options.budget));
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    options.budget?.check();
    const rows = db.prepare(step.value.sql).all(...step.value.params) as Array<Record<string, unknown>>;
    step = steps.next(rows);
  }
}

/** BM25 as FTS5 weighs each column of a kind's table (HIT_FIELDS order; a leading unindexed column weighs nothing), negated: higher better. */
const bm25 = (table: string, hit: HitKind, unindexed = 0): Sql => {
  const weights = (HIT_FIELDS[hit] as readonly string[]).map((f) => (FIELD_WEIGHTS[hit] as Record<string, number>)[f]);
  return { sql: `-bm25(${table}, ${[...Array(unindexed).fill(0), ...weights].join(', ')})`, params: [] };
};

/**
 * SQLite's: FTS5 tables and search_dates. A unary + in `row` keeps SQLite
 * from handing an IN list of rowids to FTS5, which would run the MATCH once
 * per rowid. The budget, if any, reads its clock in every statement.
 */
function sqliteDialect(budget: QueryBudget | undefined): Dialect<RowNames> {
  return {
    compile: (parsed, hit) => compile(parsed, { message: messageTarget, claim: claimTarget, scenario: scenarioTarget }[hit]),
    messagesByText: {
      from: 'message_fts', fromByDate: 'message_fts JOIN search_dates ON search_dates.messageId = message_fts.rowid',
      row: { rowid: '+message_fts.rowid', messageId: '+message_fts.rowid' }, id: 'message_fts.rowid', date: 'search_dates.date',
      text: { matches: 'message_fts MATCH ?', score: () => bm25('message_fts', 'message') },
    },
    messagesByFilter: {
      from: 'search_dates', fromByDate: 'search_dates',
      row: { rowid: 'search_dates.messageId', messageId: 'search_dates.messageId' }, id: 'search_dates.messageId', date: 'search_dates.date',
    },
    claims: {
      from: 'claim_fts JOIN "Claim" c ON c.id = claim_fts.rowid',
      fromByDate: 'claim_fts JOIN "Claim" c ON c.id = claim_fts.rowid LEFT JOIN search_dates ON search_dates.messageId = c.messageId',
      row: { rowid: '+claim_fts.rowid', messageId: 'c.messageId' }, id: 'claim_fts.rowid', date: 'search_dates.date',
      text: { matches: 'claim_fts MATCH ?', score: () => bm25('claim_fts', 'claim') },
    },
    scenarios: {
      from: 'scenario_fts', fromByDate: 'scenario_fts',
      row: { rowid: '+scenario_fts.rowid', messageId: 'NULL' }, id: 'scenario_fts.rowid', date: null,
      text: { matches: 'scenario_fts MATCH ?', score: () => bm25('scenario_fts', 'scenario', 1) },
    },
    idsIn: (column, ids) => ({ sql: inValues('sqlite', column), params: [JSON.stringify(ids)] }),
    isoDate: (column) => column,
    rowCheck: (id) => budget?.rowCheck(id) ?? null,
  };
}
