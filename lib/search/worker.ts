// A search worker (pool.ts): answers searches on a read-only connection of
// its own, each within the time it is given.
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { BudgetSpent, sqliteQueryBudget } from '../db/budget';
import { openSearchConnection } from './connection';
import { QuerySyntaxError } from './query/ast';
import { search } from './search';
import { processNow, type SearchReply, type SearchRequest } from './pool';
import { SEARCH_NICENESS } from './limits';

// Linux gives each thread a priority of its own: a search, which may take its whole budget,
// yields the CPU to the pages the request thread serves. Elsewhere it may fail or apply to
// the process; searches then share the CPU evenly, as before.
if (process.platform === 'linux') {
  try {
    os.setPriority(SEARCH_NICENESS);
  } catch {
    // not allowed here
  }
}

const db = openSearchConnection((workerData as { url: string }).url, { readonly: true });
const budget = sqliteQueryBudget(db);
const port = parentPort!;

port.on('message', ({ id, query, options, arrived, budgetMs }: SearchRequest) => {
  let reply: SearchReply;
  // What the search waited behind others here is taken from its budget.
  const left = budgetMs - (processNow() - arrived);
  try {
    reply = left <= 0 ? { id, spent: true } : { id, results: budget.within(left, () => search(db, query, { ...options, budget })) };
  } catch (e) {
    if (e instanceof BudgetSpent) reply = { id, spent: true };
    else if (e instanceof QuerySyntaxError) reply = { id, syntax: { message: e.message, position: e.position } };
    else reply = { id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply);
});
port.postMessage('ready');
