// What one search may cost, defined once: the parser refuses what costs too
// much up front, the search pool stops what runs past its time budget, and
// the search page states both (app/search/SyntaxHelp.tsx).

/**
 * The shape of a query. A prefix term (`word*`) makes FTS5 merge the index
 * entries of every word it starts before the first row comes, in one native
 * call that no clock can stop: on the 50k-message bench archive `a*` took
 * 154 ms of it, the worst two-character prefix (`re*`) 55 ms, the worst of
 * three 19 ms; and every statement of a search does it again. So prefixes
 * are counted and must be this long; the rest is the budget's.
 */
export const QUERY_LIMITS = {
  /** Characters in a query. */
  length: 1000,
  /** Terms (words, phrases, prefixes), counted before OR and NOT. */
  terms: 64,
  /** Nested parentheses: FTS5 bounds its expressions' depth. */
  depth: 16,
  /** Prefix terms (`word*`) in a query. */
  prefixTerms: 8,
  /** Characters a prefix term needs before its `*`. */
  prefixLength: 2,
} as const;

/** How long a search may run, unless THREADLAB_SEARCH_BUDGET_MS says otherwise. */
export const DEFAULT_SEARCH_BUDGET_MS = 1000;

/** The time budget of a search, in milliseconds: THREADLAB_SEARCH_BUDGET_MS, or the default. */
export function searchBudgetMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.THREADLAB_SEARCH_BUDGET_MS;
  if (raw === undefined || raw === '') return DEFAULT_SEARCH_BUDGET_MS;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 1) throw new Error(`THREADLAB_SEARCH_BUDGET_MS must be a whole number of milliseconds, 1 or more, not "${raw}"`);
  return ms;
}

/** Searches answered at once, each on a worker thread of its own; more wait their turn, within their budget. */
export const SEARCH_WORKERS = 2;

/** The nice value of a search worker's thread (Linux): pages first when the CPU is short. */
export const SEARCH_NICENESS = 10;

/** A search stopped at its time budget (queue wait included). */
export class SearchBudgetExceeded extends Error {
  constructor(public readonly budgetMs: number) {
    super(`the search took longer than its time budget of ${budgetMs} ms and was stopped: use fewer or longer prefixes (word*), or narrow it with s:, f: or d:`);
    this.name = 'SearchBudgetExceeded';
  }

  // The site's routes are bundled apart, each with a copy of this class, and share one
  // search pool: an error one copy made must be recognised by the others.
  static [Symbol.hasInstance](x: unknown): boolean {
    return x instanceof Error && x.name === 'SearchBudgetExceeded';
  }
}
