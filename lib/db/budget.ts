import type pg from 'pg';
import type { SqliteConnection } from './sqlite';

/** Thrown by a statement, or a check, once the budget is spent. */
export class BudgetSpent extends Error {
  constructor() {
    super('the time budget of this work is spent');
    this.name = 'BudgetSpent';
  }
}

/**
 * A time limit on the statements of an SQLite connection, for work run on a
 * thread of its own (the search workers). PostgreSQL's is withinPostgresBudget.
 */
export interface QueryBudget {
  /** A condition, true for every row, to AND into a statement's WHERE: `id` names the row. */
  rowCheck(id: string): string;
  /** Throws BudgetSpent once the budget is spent: between statements. */
  check(): void;
  /** Runs fn with `ms` to spend; its statements and checks throw BudgetSpent after that. */
  within<T>(ms: number, fn: () => T): T;
}

/**
 * The clock is read at one row in CHECK_EVERY (by id): a call into
 * JavaScript for every row cost some 0.7 us, which made counting the 41,000
 * messages holding "apache" take 38-61 ms instead of 8.
 */
const CHECK_EVERY = 256;

/**
 * SQLite's budget. better-sqlite3 (12.9) offers neither sqlite3_interrupt
 * nor a progress handler, and Worker.terminate() does not stop a native
 * step (measured: it returned 3.9 s later, when the statement ended, the
 * core busy all along). So the statements read the clock themselves,
 * through a function of this connection that throws when time is up; what
 * one native call does before its first row (FTS5 merging a prefix's
 * entries) is bounded by the query limits instead (lib/search/limits.ts).
 */
export function sqliteQueryBudget(db: SqliteConnection): QueryBudget {
  let deadline = Infinity;
  const check = () => {
    if (performance.now() > deadline) throw new BudgetSpent();
  };
  db.function('threadlab_within_budget', { deterministic: false, directOnly: true }, () => (check(), 1));
  return {
    rowCheck: (id) => `(${id} % ${CHECK_EVERY} <> 0 OR threadlab_within_budget())`,
    check,
    within(ms, fn) {
      deadline = performance.now() + ms;
      try {
        return fn();
      } finally {
        deadline = Infinity;
      }
    },
  };
}

/** A statement (with $1, $2 … for its parameters) run within a budget: its rows. */
export type BudgetedQuery = (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** PostgreSQL's code for a statement cancelled, by statement_timeout here. */
const QUERY_CANCELED = '57014';

/**
 * PostgreSQL's budget: the server stops a statement itself. `work` runs in
 * one read-only transaction (one snapshot for all its statements), each
 * statement under a SET LOCAL statement_timeout of what is left of `ms`; one
 * that runs out, or starts with nothing left, throws BudgetSpent. With `ms`
 * Infinity, the transaction alone.
 */
export async function withinPostgresBudget<T>(client: pg.ClientBase, ms: number, work: (query: BudgetedQuery) => Promise<T>): Promise<T> {
  const deadline = performance.now() + ms;
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const result = await work(async (sql, params) => {
      if (Number.isFinite(deadline)) {
        const left = Math.ceil(deadline - performance.now());
        if (left <= 0) throw new BudgetSpent();
        await client.query(`SET LOCAL statement_timeout = ${left}`);
      }
      try {
        return (await client.query(sql, params)).rows;
      } catch (e) {
        if ((e as { code?: string }).code === QUERY_CANCELED) throw new BudgetSpent();
        throw e;
      }
    });
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
