// A search worker (pool.ts) on SQLite: answers searches on a read-only
// connection of its own, each within the time it is given.
import { parentPort, workerData } from 'node:worker_threads';
import { sqliteQueryBudget } from '../db/budget';
import { openSearchConnection } from './connection';
import { search } from './sqlite/search';
import { failedReply, processNow, yieldToPages, type SearchReply, type SearchRequest } from './pool';

yieldToPages();
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
    reply = failedReply(id, e);
  }
  port.postMessage(reply);
});
port.postMessage('ready');
