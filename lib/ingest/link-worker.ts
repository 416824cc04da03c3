// Worker thread of startLinkPlanner (link-planner.ts): reads threads on a read-only
// connection of its own and plans their quote links and index entries (quotes.ts
// planThreads); the main thread, the database's one writer, applies the plans. Runs as a
// bundle (lib/workers/bundle.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';
import { planThreads } from './quotes';

const db = new Sqlite((workerData as { file: string }).file, { readonly: true, fileMustExist: true });

parentPort!.on('message', (threadIds: number[]) => {
  try {
    parentPort!.postMessage({ plan: planThreads(db, threadIds) });
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
