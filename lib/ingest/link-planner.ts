/**
 * Quote linking on a worker. Linking is computation over committed rows, so
 * a worker plans it, reading on a connection of its own; its plans carry the
 * search index entries of the messages it read, so that this thread, the
 * only writer, just writes: the plans as they come, entries included. With
 * this thread reading and splitting every message for the index as well,
 * it was the bound after a bulk ingest.
 *
 * Node only (worker_threads), like decode-pool.ts.
 */
import { Worker } from 'node:worker_threads';
import type { LinkPlan } from './quotes';
import { THREADS_PER_PLAN } from './quotes';
import { bundled } from '../workers/bundle.mjs';

export interface LinkPlanner {
  /** Starts planning these threads; called once. */
  plan(threadIds: readonly number[]): void;
  /** Plans that arrived since the last call, one per chunk of threads. */
  take(): LinkPlan[];
  /** Resolves when more plans arrive or planning ends. */
  next(): Promise<void>;
  readonly done: boolean;
  close(): Promise<void>;
}

const FIRST_CHUNK = 20;

/**
 * Starts the worker. It loads while the caller goes on (ingest re-threads meanwhile); the
 * threads to plan come later, through plan().
 */
export async function startLinkPlanner(url: string): Promise<LinkPlanner> {
  const worker = new Worker(await bundled(new URL('./link-worker.ts', import.meta.url)), { workerData: { url }, resourceLimits: { maxYoungGenerationSizeMb: 8 } } /* as decode-pool.ts */);
  const arrived: LinkPlan[] = [];
  let waiting: (() => void) | null = null;
  let failure: Error | null = null;
  let outstanding = 0;
  const wake = () => { waiting?.(); waiting = null; };
  // Two chunks in flight: the worker never waits for this thread, which is busy indexing.
  const chunks: number[][] = [];
  const send = () => {
    const chunk = chunks.shift();
    if (!chunk) return;
    outstanding++;
    worker.postMessage(chunk);
  };
  worker.on('message', (msg: { plan?: LinkPlan; error?: string }) => {
    outstanding--;
    if (msg.plan) { arrived.push(msg.plan); send(); }
    else failure = new Error(`quote linking failed: ${msg.error}`);
    wake();
  });
  worker.on('error', (err) => { failure = err; wake(); });
  let closing = false;
  worker.on('exit', (code) => {
    if (!closing) failure ??= new Error(`quote linking worker exited with code ${code}`);
    outstanding = 0;
    chunks.length = 0;
    wake();
  });
  const check = () => { if (failure) throw failure; };
  return {
    plan(threadIds) {
      // A small first chunk: this thread has nothing to write until it comes back (30 ms
      // instead of 150 for a whole one, on the bench corpus).
      chunks.push(threadIds.slice(0, FIRST_CHUNK));
      for (let i = FIRST_CHUNK; i < threadIds.length; i += THREADS_PER_PLAN) chunks.push(threadIds.slice(i, i + THREADS_PER_PLAN));
      send();
      send();
    },
    take() {
      check();
      return arrived.splice(0);
    },
    next() {
      check();
      if (arrived.length || (outstanding === 0 && chunks.length === 0)) return Promise.resolve();
      return new Promise<void>((resolve) => { waiting = resolve; });
    },
    get done() {
      return outstanding === 0 && chunks.length === 0 && arrived.length === 0;
    },
    async close() {
      closing = true;
      await worker.terminate();
    },
  };
}
