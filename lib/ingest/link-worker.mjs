// Worker thread of startLinkPlanner (link-planner.ts): reads threads on a read-only
// connection of its own and plans their quote links (quotes.ts planThreads); the main
// thread, the database's one writer, applies the plans. Plain JavaScript that loads the
// TypeScript modules through tsx, as under tsx, plain node and vitest alike.
import { parentPort, workerData } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';
import { register } from 'tsx/esm/api';

// A worker inherits no module loader hooks: TypeScript needs tsx registered here too.
register();
const { planThreads } = await import('./quotes.ts');
const db = new Sqlite(workerData.file, { readonly: true, fileMustExist: true });

parentPort.on('message', (threadIds) => {
  try {
    parentPort.postMessage({ plans: planThreads(db, threadIds) });
  } catch (err) {
    parentPort.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
