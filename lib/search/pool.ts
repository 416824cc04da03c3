// Searches off the request thread: a few worker threads (worker.ts), each
// with its own read-only connection, so that a slow query delays only the
// searches queued behind it, never a page. A search has one time budget,
// from its arrival: what it waits in the queue is taken from what it may run.
import type { Worker } from 'node:worker_threads';
import { QuerySyntaxError } from './query/ast';
import { SEARCH_WORKERS, SearchBudgetExceeded, searchBudgetMs } from './limits';
import type { SearchOptions, SearchResults } from './search';

export type PoolSearchOptions = Omit<SearchOptions, 'budget' | 'rankWindow'>;

export interface SearchRequest {
  id: number;
  query: string;
  options: PoolSearchOptions;
  /** What remains of the budget. */
  ms: number;
}

export type SearchReply =
  | { id: number; results: SearchResults }
  | { id: number; spent: true }
  | { id: number; syntax: { message: string; position: number } }
  | { id: number; error: string };

/** Starts one worker on lib/search/worker.ts: the caller names the script (bundled by Next, or by lib/workers). */
export type SpawnSearchWorker = (workerData: { url: string }) => Worker;

export interface SearchPool {
  /** Rejects with QuerySyntaxError (the query or a cost limit) or SearchBudgetExceeded. */
  search(query: string, options?: PoolSearchOptions): Promise<SearchResults>;
  readonly budgetMs: number;
  close(): Promise<void>;
}

interface Job {
  id: number;
  query: string;
  options: PoolSearchOptions;
  /** When the budget started counting: its arrival, or the first worker's start if later. */
  started: number | null;
  timer?: NodeJS.Timeout;
  settle(error: Error | null, results?: SearchResults): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** It exited before it was ready: started again by the next search, not in a loop. */
  failed: boolean;
  /** The job the worker runs, until it replies (even when the job was already answered). */
  job: Job | null;
}

export function createSearchPool(options: { url: string; spawn: SpawnSearchWorker; budgetMs?: number; workers?: number }): SearchPool {
  const budgetMs = options.budgetMs ?? searchBudgetMs();
  const queue: Job[] = [];
  let nextId = 0;
  let closed = false;
  let anyReady = false;

  const startClock = (job: Job) => {
    job.started = performance.now();
    job.timer = setTimeout(() => {
      const queued = queue.indexOf(job);
      if (queued >= 0) queue.splice(queued, 1);
      job.settle(new SearchBudgetExceeded(budgetMs));
    }, budgetMs);
  };

  const dispatch = () => {
    for (const slot of slots) {
      if (!slot.ready || slot.job || queue.length === 0) continue;
      const job = queue.shift()!;
      slot.job = job;
      const ms = Math.max(1, budgetMs - (performance.now() - job.started!));
      slot.worker.postMessage({ id: job.id, query: job.query, options: job.options, ms } satisfies SearchRequest);
    }
  };

  const start = (slot: Slot) => {
    const worker = options.spawn({ url: options.url });
    Object.assign(slot, { worker, ready: false, failed: false, job: null });
    let failure: Error | null = null;
    worker.unref(); // an idle pool keeps no process alive; a waiting search's timer does
    worker.on('message', (reply: 'ready' | SearchReply) => {
      if (reply === 'ready') {
        slot.ready = true;
        if (!anyReady) {
          anyReady = true;
          queue.forEach(startClock);
        }
      } else {
        const job = slot.job!;
        slot.job = null;
        if ('results' in reply) job.settle(null, reply.results);
        else if ('spent' in reply) job.settle(new SearchBudgetExceeded(budgetMs));
        else if ('syntax' in reply) job.settle(new QuerySyntaxError(reply.syntax.message, reply.syntax.position, job.query));
        else job.settle(new Error(`search of ${JSON.stringify(job.query)} failed: ${reply.error}`));
      }
      dispatch();
    });
    worker.on('error', (e) => {
      failure = e;
      slot.job?.settle(e);
    });
    worker.on('exit', (code) => {
      slot.job?.settle(new Error(`a search worker exited with code ${code}`));
      if (closed) return;
      if (slot.ready) return start(slot); // a crashed worker is replaced; its search failed, the next ones go on
      slot.failed = true;
      if (slots.every((s) => s.failed)) {
        const error = new Error(`the search workers cannot start: ${failure?.message ?? `exit code ${code}`}`);
        for (const job of queue.splice(0)) job.settle(error);
      }
    });
  };

  const slots: Slot[] = Array.from({ length: options.workers ?? SEARCH_WORKERS }, () => {
    const slot = {} as Slot;
    start(slot);
    return slot;
  });

  return {
    budgetMs,
    search(query, searchOptions = {}) {
      if (closed) return Promise.reject(new Error('the search pool is closed'));
      for (const slot of slots) if (slot.failed) start(slot);
      return new Promise<SearchResults>((resolve, reject) => {
        let done = false;
        const job: Job = {
          id: nextId++, query, options: searchOptions, started: null,
          settle(error, results) {
            if (done) return;
            done = true;
            clearTimeout(job.timer);
            if (error) reject(error);
            else resolve(results!);
          },
        };
        if (anyReady) startClock(job);
        queue.push(job);
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.settle(new Error('the search pool is closed'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
