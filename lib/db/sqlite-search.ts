// SQLite's search index as statements read it: the FTS5 tables and search_dates
// (made by the search migration), how each kind of hit is found, matched and
// ranked; and the loop that runs a search's statements on a connection. The
// executor (lib/search/search.ts) builds the statements from these pieces.
import { inValues } from './dialect';
import type { SqliteConnection } from './sqlite';

/** Where one kind of hit is read from, by text and by date; its row names; its MATCH and BM25 (weights per indexed column, a leading unindexed one weighing nothing). */
export interface Fts5Source {
  from: string;
  fromByDate: string;
  row: { rowid: string; messageId: string };
  id: string;
  date: string | null;
  text?: { matches: string; score(weights: readonly number[]): string };
}

const fts5 = (table: string, unindexed = 0) => ({
  matches: `${table} MATCH ?`,
  // Negated: higher is better.
  score: (weights: readonly number[]) => `-bm25(${table}, ${[...Array(unindexed).fill(0), ...weights].join(', ')})`,
});

/**
 * A unary + in `row` keeps SQLite from handing an IN list of rowids to FTS5, which
 * would run the MATCH once per rowid.
 */
export const SQLITE_SEARCH = {
  messagesByText: {
    from: 'message_fts', fromByDate: 'message_fts JOIN search_dates ON search_dates.messageId = message_fts.rowid',
    row: { rowid: '+message_fts.rowid', messageId: '+message_fts.rowid' }, id: 'message_fts.rowid', date: 'search_dates.date',
    text: fts5('message_fts'),
  },
  messagesByFilter: {
    from: 'search_dates', fromByDate: 'search_dates',
    row: { rowid: 'search_dates.messageId', messageId: 'search_dates.messageId' }, id: 'search_dates.messageId', date: 'search_dates.date',
  },
  claims: {
    from: 'claim_fts JOIN "Claim" c ON c.id = claim_fts.rowid',
    fromByDate: 'claim_fts JOIN "Claim" c ON c.id = claim_fts.rowid LEFT JOIN search_dates ON search_dates.messageId = c.messageId',
    row: { rowid: '+claim_fts.rowid', messageId: 'c.messageId' }, id: 'claim_fts.rowid', date: 'search_dates.date',
    text: fts5('claim_fts'),
  },
  scenarios: {
    from: 'scenario_fts', fromByDate: 'scenario_fts',
    row: { rowid: '+scenario_fts.rowid', messageId: 'NULL' }, id: 'scenario_fts.rowid', date: null,
    text: fts5('scenario_fts', 1),
  },
  idsIn: (column: string, ids: readonly number[]) => ({ sql: inValues('sqlite', column), params: [JSON.stringify(ids)] }),
};

/** Runs a search's statements, each given the rows of the one before, synchronously; `check` before each (the budget's clock). */
export function runSearchSteps<T>(db: SqliteConnection, steps: Generator<{ sql: string; params: unknown[] }, T, Array<Record<string, unknown>>>, check?: () => void): T {
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    check?.();
    step = steps.next(db.prepare(step.value.sql).all(...step.value.params) as Array<Record<string, unknown>>);
  }
}
