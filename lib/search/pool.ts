// Searches off the request thread: a few worker threads (worker.ts), each
// with its own read-only connection, so that a slow query delays only the
// searches queued behind it, never a page. A search has one time budget,
// from its arrival: what it waits for a worker is taken from what it may run.
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { BudgetSpent } from '../db/budget';
import { QuerySyntaxError } from './query/ast';
import { SEARCH_NICENESS, SEARCH_WORKERS, SearchBudgetExceeded, searchBudgetMs } from './limits';
import type { SearchOptions, SearchResults } from './search';

export type PoolSearchOptions = Omit<SearchOptions, 'budget' | 'rankWindow'>;

export interface SearchRequest {
  id: number;
  query: string;
  options: PoolSearchOptions;
  /** When the search arrived, as performance.timeOrigin + performance.now(): the same clock on every thread. */
  arrived: number;
  budgetMs: number;
}

export type SearchReply =
  | { id: number; results: SearchResults }
  | { id: number; spent: true }
  | { id: number; syntax: { message: string; position: number } }
  | { id: number; error: string };

/** A worker's reply to a search that did not come to results: its budget spent, a query it cannot read, or a failure. */
export function failedReply(id: number, e: unknown): SearchReply {
  if (e instanceof BudgetSpent) return { id, spent: true };
  if (e instanceof QuerySyntaxError) return { id, syntax: { message: e.message, position: e.position } };
  return { id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}

/**
 * Called by a worker as it starts. Linux gives each thread a priority of its
 * own: a search, which may take its whole budget, yields the CPU to the pages
 * the request thread serves. Elsewhere it may fail or apply to the process;
 * searches then share the CPU evenly.
 */
export function yieldToPages(): void {
  if (process.platform !== 'linux') return;
  try {
    os.setPriority(SEARCH_NICENESS);
  } catch {
    // not allowed here
  }
}

/** Starts one worker on lib/search/worker.ts (SQLite's) or postgres/worker.ts: the caller names the script (bundled by Next, or by lib/workers). */
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
  arrived?: number;
  settle(error: Error | null, results?: SearchResults): void;
}

interface Slot {
  worker: Worker;
  /** It exited before it was ready: started again by the next search, not in a loop. */
  failed: boolean;
  /** The searches sent to it and not answered yet. */
  jobs: Map<number, Job>;
}

/** Now, on a clock every thread of the process shares. */
export const processNow = () => performance.timeOrigin + performance.now();

/**
 * The pool. Each search goes at once to a worker (send), and that worker decides whether the budget was kept: it knows
 * when the search arrived and when it ran, while this thread, busy
 * rendering pages, may read a worker's answer late. (A timer here gave up
 * on searches answered in time, under load, while a page render held the
 * thread.) Before the first worker is ready the searches wait here, their
 * budget not yet counting: starting a worker is not theirs to pay for.
 */
export function createSearchPool(options: { url: string; spawn: SpawnSearchWorker; budgetMs?: number; workers?: number }): SearchPool {
  const budgetMs = options.budgetMs ?? searchBudgetMs();
  const waiting: Job[] = [];
  let nextId = 0;
  let closed = false;
  let anyReady = false;

  /** When the oldest search a worker has arrived (Infinity when it has none): the oldest is likely the slowest. */
  const busySince = (s: Slot) => s.jobs.values().next().value?.arrived ?? Infinity;
  const send = (job: Job) => {
    // The fewest waiting; of equals, the one whose oldest search came last, so that a
    // fast search is not put behind one that has been running the longest.
    let slot = slots.find((s) => !s.failed) ?? slots[0];
    for (const s of slots) {
      if (s.failed) continue;
      if (s.jobs.size < slot.jobs.size || (s.jobs.size === slot.jobs.size && busySince(s) > busySince(slot))) slot = s;
    }
    job.arrived ??= processNow();
    slot.jobs.set(job.id, job);
    slot.worker.postMessage({ id: job.id, query: job.query, options: job.options, arrived: job.arrived, budgetMs } satisfies SearchRequest);
  };

  const start = (slot: Slot) => {
    const worker = options.spawn({ url: options.url });
    Object.assign(slot, { worker, failed: false, jobs: new Map() });
    let ready = false;
    let failure: Error | null = null;
    worker.unref(); // an idle pool keeps no process alive; a waiting search's promise does
    worker.on('message', (reply: 'ready' | SearchReply) => {
      if (reply === 'ready') {
        ready = true;
        if (!anyReady) {
          anyReady = true;
          waiting.splice(0).forEach(send);
        }
        return;
      }
      const job = slot.jobs.get(reply.id);
      if (!job) return;
      slot.jobs.delete(reply.id);
      if ('results' in reply) job.settle(null, reply.results);
      else if ('spent' in reply) job.settle(new SearchBudgetExceeded(budgetMs));
      else if ('syntax' in reply) job.settle(new QuerySyntaxError(reply.syntax.message, reply.syntax.position, job.query));
      else job.settle(new Error(`search of ${JSON.stringify(job.query)} failed: ${reply.error}`));
    });
    worker.on('error', (e) => (failure = e));
    worker.on('exit', (code) => {
      const error = new Error(`a search worker ${ready ? 'exited' : 'cannot start'}: ${failure?.message ?? `exit code ${code}`}`);
      for (const job of slot.jobs.values()) job.settle(error);
      slot.jobs.clear();
      if (closed) return;
      if (ready) return start(slot); // a crashed worker is replaced; its searches failed, the next ones go on
      slot.failed = true;
      if (slots.every((s) => s.failed)) for (const job of waiting.splice(0)) job.settle(error);
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
          id: nextId++, query, options: searchOptions,
          settle(error, results) {
            if (done) return;
            done = true;
            if (error) reject(error);
            else resolve(results!);
          },
        };
        if (anyReady) send(job);
        else waiting.push(job);
      });
    },
    async close() {
      closed = true;
      for (const job of waiting.splice(0)) job.settle(new Error('the search pool is closed'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
