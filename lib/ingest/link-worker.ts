// Worker thread of startLinkPlanner (link-planner.ts): reads threads on a connection
// of its own, read-only, and plans their quote links and index entries (quotes.ts
// planThreads); the main thread, the store's one writer, applies the plans. Runs as a
// bundle (lib/workers/bundle.mjs).
import { parentPort, workerData } from 'node:worker_threads';
import { openReader } from '../db/connection';
import { planThreads } from './quotes';

const opened = openReader((workerData as { url: string }).url);

parentPort!.on('message', async (threadIds: number[]) => {
  try {
    parentPort!.postMessage({ plan: planThreads(await opened, threadIds) });
  } catch (err) {
    parentPort!.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
