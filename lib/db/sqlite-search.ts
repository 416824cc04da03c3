// SQLite's search index as a search reads it: the FTS5 tables and search_dates
// (made by the search migration), FTS5's query syntax, how each kind of hit
// is found, matched and ranked (BM25); and the loop that runs a search's
// statements on a connection. The statements themselves are search-sql.ts's.
import { inValues } from './dialect';
import { messageIdsFiltered, type SearchDialect, type Shape, type Steps, type TextSyntax } from './search-sql';
import type { SqliteConnection } from './sqlite';

/** How the statements name a hit: its kind's FTS5 table, its rowid there, and the id of its message. */
export interface RowNames {
  fts: string;
  rowid: string;
  messageId: string;
}

const group = (q: string) => (/^(?:\{[^}]*\} : )?"[^"]*"(?: \*)?$/.test(q) ? q : `(${q})`);

/** FTS5's MATCH syntax: each FTS5 table has a column of each of its kind's fields, named after it, in the kind's order. */
export const FTS5: TextSyntax = {
  /** A quoted phrase of folded words, in its columns (none named: all of them). */
  term(p) {
    const phrase = `"${p.words.join(' ')}"${p.prefix ? ' *' : ''}`;
    return p.fields.length === p.kindFields.length ? phrase : `{${p.fields.join(' ')}} : ${phrase}`;
  },
  and: (qs) => qs.map(group).join(' AND '),
  or: (qs) => qs.map(group).join(' OR '),
  without: (q, excluded) => `${group(q)} NOT ${group(FTS5.or(excluded))}`,
};

/** A kind's FTS5 table, its BM25 weighted by `weights` (one per indexed column; a leading unindexed one weighs nothing). */
const fts5 = (table: string, weights: readonly number[], unindexed = 0): Shape<RowNames>['text'] => ({
  matches: `${table} MATCH ?`,
  // Negated: higher is better.
  score: () => ({ sql: `-bm25(${table}, ${[...Array(unindexed).fill(0), ...weights].join(', ')})`, params: [] }),
});

/**
 * SQLite's dialect of the search statements. `weights` are each kind's
 * columns' weights, in its fields' order; `rowCheck` the budget's clock, read in every statement.
 * A unary + in `row` keeps SQLite from handing an IN list of rowids to FTS5, which
 * would run the MATCH once per rowid.
 */
export function sqliteSearchDialect(weights: Record<'message' | 'claim' | 'scenario', readonly number[]>, rowCheck: (id: string) => string | null = () => null): SearchDialect<RowNames> {
  const messagesByFilter: Shape<RowNames> = {
    from: 'search_dates', fromByDate: 'search_dates',
    row: { fts: 'message_fts', rowid: 'search_dates.messageId', messageId: 'search_dates.messageId' }, id: 'search_dates.messageId', date: 'search_dates.date',
  };
  return {
    text: FTS5,
    matches: (q, row) => ({ sql: `${row.rowid} IN (SELECT rowid FROM ${row.fts} WHERE ${row.fts} MATCH ?)`, params: [q] }),
    filter: (filter, row) => {
      const ids = messageIdsFiltered(filter, 'search_dates');
      return { sql: `${row.messageId} IN (${ids.sql})`, params: ids.params };
    },
    messagesByText: {
      from: 'message_fts', fromByDate: 'message_fts JOIN search_dates ON search_dates.messageId = message_fts.rowid',
      row: { fts: 'message_fts', rowid: '+message_fts.rowid', messageId: '+message_fts.rowid' }, id: 'message_fts.rowid', date: 'search_dates.date',
      text: fts5('message_fts', weights.message),
    },
    messagesByFilter,
    claims: {
      from: 'claim_fts JOIN "Claim" c ON c.id = claim_fts.rowid',
      fromByDate: 'claim_fts JOIN "Claim" c ON c.id = claim_fts.rowid LEFT JOIN search_dates ON search_dates.messageId = c.messageId',
      row: { fts: 'claim_fts', rowid: '+claim_fts.rowid', messageId: 'c.messageId' }, id: 'claim_fts.rowid', date: 'search_dates.date',
      text: fts5('claim_fts', weights.claim),
    },
    scenarios: {
      from: 'scenario_fts', fromByDate: 'scenario_fts',
      row: { fts: 'scenario_fts', rowid: '+scenario_fts.rowid', messageId: 'NULL' }, id: 'scenario_fts.rowid', date: null,
      text: fts5('scenario_fts', weights.scenario, 1),
    },
    idsIn: (column, ids) => ({ sql: inValues('sqlite', column), params: [JSON.stringify(ids)] }),
    isoDate: (column) => column,
    rowCheck,
    // FTS5 finds the ids in order from its index: counting them and then reading to the cutoff is cheap.
    countWithCutoff: () => null,
  };
}

/** Runs a search's statements, each given the rows of the one before, synchronously; `check` before each (the budget's clock). */
export function runSearchSteps<T>(db: SqliteConnection, steps: Steps<T>, check?: () => void): T {
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    check?.();
    step = steps.next(db.prepare(step.value.sql).all(...step.value.params) as Array<Record<string, unknown>>);
  }
}
