// Running a query on PostgreSQL: the executor of ../search.ts, its
// statements in PostgreSQL's terms (the index of document.ts, ts_rank,
// arrays for lists of ids) and run asynchronously, within a time budget the
// server keeps (statement_timeout).
import type pg from 'pg';
import { withinPostgresBudget, type BudgetedQuery } from '../../db/budget';
import { numbered } from '../../db/dialect';
import { searchSteps, type Dialect, type SearchOptions, type SearchResults, type Shape } from '../search';
import { compilePostgres, type DocumentNames } from './compile';
import { RANK_WEIGHTS } from './document';

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

export const POSTGRES: Dialect<DocumentNames> = {
  compile: compilePostgres,
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
 */
const PLANNER = `SELECT set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), set_config('jit', 'off', true)`;

/** Runs a search's statements through `query`, in order. */
async function run(steps: ReturnType<typeof searchSteps>, query: BudgetedQuery): Promise<SearchResults> {
  await query(PLANNER, []);
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    step = steps.next(await query(numbered(step.value.sql).text, step.value.params));
  }
}

/**
 * Runs a query on PostgreSQL, within `budgetMs`: a statement past it throws
 * BudgetSpent (lib/db/budget.ts). As search() on SQLite, a query that does
 * not parse throws QuerySyntaxError, and nothing else about its text can make it throw.
 */
export function searchPostgres(client: pg.ClientBase, query: string, options: Omit<SearchOptions, 'budget'> = {}, budgetMs = Infinity): Promise<SearchResults> {
  return withinPostgresBudget(client, budgetMs, (q) => run(searchSteps(query, options, POSTGRES), q));
}
