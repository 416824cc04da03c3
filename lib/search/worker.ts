// A search worker (pool.ts): answers searches on a read-only connection of
// its own, each within the time it is given.
import { parentPort, workerData } from 'node:worker_threads';
import { BudgetSpent, sqliteQueryBudget } from '../db/budget';
import { openSearchConnection } from './connection';
import { QuerySyntaxError } from './query/ast';
import { search } from './search';
import type { SearchReply, SearchRequest } from './pool';

const db = openSearchConnection((workerData as { url: string }).url, { readonly: true });
const budget = sqliteQueryBudget(db);
const port = parentPort!;

port.on('message', ({ id, query, options, ms }: SearchRequest) => {
  let reply: SearchReply;
  try {
    reply = { id, results: budget.within(ms, () => search(db, query, { ...options, budget })) };
  } catch (e) {
    if (e instanceof BudgetSpent) reply = { id, spent: true };
    else if (e instanceof QuerySyntaxError) reply = { id, syntax: { message: e.message, position: e.position } };
    else reply = { id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply);
});
port.postMessage('ready');
