// PostgreSQL's search index as a search reads it: the tsquery syntax of the
// tagged words the index holds (postgres-tsvector.ts), how each kind of hit is
// found, matched and ranked (ts_rank), arrays for lists of ids; and the loop
// that runs a search's statements, asynchronously, within a time budget the
// server keeps (statement_timeout). The statements themselves are search-sql.ts's.
import type pg from 'pg';
import { withinPostgresBudget } from './budget';
import { numbered } from './dialect';
import { lexeme, quoted, RANK_WEIGHTS } from './postgres-tsvector';
import { dateRange, messageIdsFiltered, type SearchDialect, type Shape, type Steps, type TextSyntax } from './search-sql';

/** How the statements name a hit: its tsvector, the id of its message, and its date if its row has it. */
export interface DocumentNames {
  document: string;
  messageId: string;
  date?: string;
}

const group = (q: string) => (/^'[^']*'(?::\*)?$/.test(q) ? q : `(${q})`);

/** Phrases with <->, word* with :*, AND, OR and NOT as &, | and !. */
export const TSQUERY: TextSyntax = {
  /** The words in a row, in any one of the fields: a phrase of each field's lexemes. */
  term(p) {
    const phrases: string[] = [];
    for (const field of p.fields) {
      const lexemes = p.words.map((w) => lexeme(p.kindFields.indexOf(field), w));
      if (lexemes.some((l) => l === null)) return null;
      phrases.push(lexemes.map((l, i) => `${quoted(l!)}${p.prefix && i === lexemes.length - 1 ? ':*' : ''}`).join(' <-> '));
    }
    return TSQUERY.or(phrases);
  },
  and: (qs) => qs.map(group).join(' & '),
  or: (qs) => (qs.length === 1 ? qs[0] : qs.map(group).join(' | ')),
  without: (q, excluded) => `${group(q)} & !${group(TSQUERY.or(excluded))}`,
};

/** How the index answers a text query in a table's `document`: @@, and ts_rank with the fields' weight classes. */
const text = (document: string): Shape<DocumentNames>['text'] => ({
  matches: `${document} @@ ?::tsquery`,
  // Normalization 1 divides by the log of the document's length, as BM25 weighs long messages down.
  score: (match) => ({ sql: `ts_rank('${RANK_WEIGHTS}', ${document}, ?::tsquery, 1)`, params: [match] }),
});

const messages: Shape<DocumentNames> = {
  from: 'message_search s', fromByDate: 'message_search s',
  row: { document: 's.document', messageId: 's."messageId"', date: 's."date"' }, id: 's."messageId"', date: 's."date"',
};

export const POSTGRES_SEARCH: SearchDialect<DocumentNames> = {
  text: TSQUERY,
  matches: (q, row) => ({ sql: `${row.document} @@ ?::tsquery`, params: [q] }),
  filter(filter, row) {
    // A message's row holds its date: compared there, not looked up again by id. False, not
    // null, for a message without one, which is not in the range, as it is in no set of ids.
    if (filter.type === 'date' && row.date) {
      const range = dateRange(filter, row.date);
      return { sql: `${row.date} IS NOT NULL AND ${range.sql}`, params: range.params };
    }
    const ids = messageIdsFiltered(filter, 'message_search');
    return { sql: `${row.messageId} IN (${ids.sql})`, params: ids.params };
  },
  // One table holds a message's words and its date.
  messagesByText: { ...messages, text: text('s.document') },
  messagesByFilter: messages,
  claims: {
    from: 'claim_search cs JOIN "Claim" c ON c.id = cs."claimId"',
    fromByDate: 'claim_search cs JOIN "Claim" c ON c.id = cs."claimId" LEFT JOIN message_search s ON s."messageId" = c."messageId"',
    row: { document: 'cs.document', messageId: 'c."messageId"' }, id: 'cs."claimId"', date: 's."date"', text: text('cs.document'),
  },
  scenarios: {
    from: 'scenario_search', fromByDate: 'scenario_search',
    row: { document: 'scenario_search.document', messageId: 'NULL' }, id: 'scenario_search.id', date: null, text: text('scenario_search.document'),
  },
  idsIn: (column, ids) => ({ sql: `${column} = ANY(?::int[])`, params: [ids] }),
  isoDate: (column) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  rowCheck: () => null,
  // Counting and sorting the ids are one pass over the matches' heap rows, where two scanned
  // them twice ("apache" on the 50k archive: 26 ms, against 20 and 29).
  countWithCutoff: (from, where, id, rank) => ({
    sql: `SELECT CAST(count(*) AS INTEGER) AS n, (array_agg(${id} ORDER BY ${id} DESC))[${Math.trunc(rank)}] AS cutoff FROM ${from}${where.sql}`,
    params: where.params,
  }),
};

/**
 * The planner's choices for a search. A tsvector is read from TOAST and
 * decompressed for every row a @@ condition is evaluated on, which the
 * planner does not count: it scanned the whole table to count the 35,854
 * messages of the 50k archive holding "apache" (230 ms), or walked the
 * primary key checking each row's words, where the GIN index answers the
 * condition without reading a tsvector (44 ms). So the rows are found
 * through bitmaps of the indexes; a table with none (scenarios; a query of
 * exclusions alone) is still scanned. Its cost then looks huge to the
 * planner, which would compile it with LLVM first (some 50 ms): no JIT.
 * Nor parallel workers: the site runs many searches at once, one a
 * connection, each of which would start more processes to share the same cores
 * (sorting the 35,854 ids of "apache" took 37 ms with two workers, 23 without).
 */
const PLANNER = `SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), set_config('jit', 'off', true),
  set_config('max_parallel_workers_per_gather', '0', true)`;

/**
 * Runs a search's statements on `client`, in order, within `budgetMs`: a
 * statement past it throws BudgetSpent (budget.ts).
 */
export function runPostgresSearch<T>(client: pg.ClientBase, budgetMs: number, steps: () => Steps<T>): Promise<T> {
  return withinPostgresBudget(client, budgetMs, async (query) => {
    const run = steps();
    await query(PLANNER, []);
    for (let step = run.next(); ; ) {
      if (step.done) return step.value;
      step = run.next(await query(numbered(step.value.sql).text, step.value.params));
    }
  });
}
