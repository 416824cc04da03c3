// A search worker (../pool.ts) on PostgreSQL: answers searches on a
// connection of its own, one after the other, each within the time it is
// given; the server stops a statement that runs past it. Snippets and
// highlights are cut here, off the request thread, as SQLite's worker does.
import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { failedReply, processNow, yieldToPages, type SearchReply, type SearchRequest } from '../pool';
import { searchPostgres } from './search';

yieldToPages();
const client = new pg.Client({ connectionString: (workerData as { url: string }).url, application_name: 'threadlab search' });
// A connection lost ends the worker, failing its searches; the pool starts another.
client.on('error', (e) => {
  throw e;
});
// A connection refused ends it too (an unhandled rejection): the pool says it cannot start.
const connected = client.connect();
const port = parentPort!;

async function answer({ id, query, options, arrived, budgetMs }: SearchRequest): Promise<SearchReply> {
  // What the search waited behind others here is taken from its budget.
  const left = budgetMs - (processNow() - arrived);
  if (left <= 0) return { id, spent: true };
  try {
    return { id, results: await searchPostgres(client, query, options, left) };
  } catch (e) {
    return failedReply(id, e);
  }
}

// One search at a time on the connection, in the order they came.
let last: Promise<unknown> = connected;
port.on('message', (request: SearchRequest) => {
  last = last.then(async () => port.postMessage(await answer(request)));
});
void connected.then(() => port.postMessage('ready'));
