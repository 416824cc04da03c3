// One engine worker per page, shared by every runner on it; requests are matched to replies by id.
// A run can be cancelled: the worker is stopped (a search checks no flag) and the next request starts another.

import type { ReplayRequest, ReplayResponse, RunRequest, RunResponse } from './compute';

type Response = RunResponse | ReplayResponse;
export interface WorkerRequest { id: number; request: RunRequest | ReplayRequest }
/** How far a run has got: states stored, milliseconds spent. */
export interface Progress { states: number; millis: number }
export type WorkerReply = { id: number; response: Response } | { id: number; progress: Progress } | { ready: true };

let worker: Worker | null = null;
let loaded: Promise<void> = Promise.resolve();
let nextId = 1;
const pending = new Map<number, (r: Response) => void>();
const progressOf = new Map<number, (p: Progress) => void>();

function engine(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
  let markLoaded = () => {};
  loaded = new Promise((resolve) => { markLoaded = resolve; });
  w.onmessage = (e: MessageEvent<WorkerReply>) => {
    if ('ready' in e.data) return markLoaded();
    if ('progress' in e.data) return progressOf.get(e.data.id)?.(e.data.progress);
    const done = pending.get(e.data.id);
    pending.delete(e.data.id);
    progressOf.delete(e.data.id);
    done?.(e.data.response);
  };
  // A worker that failed to load answers nothing: fail what waits, start afresh next time.
  w.onerror = (e) => stop(`the engine worker failed: ${e.message || 'could not be loaded'}`);
  worker = w;
  return w;
}

/** Stops the worker, answering every request still waiting with `error`. */
function stop(error: string): void {
  for (const done of pending.values()) done({ ok: false, error });
  pending.clear();
  progressOf.clear();
  worker?.terminate();
  worker = null;
}

/** Stops what the engine is doing: every request waiting is answered as cancelled. */
export function cancelEngine(): void {
  stop(CANCELLED);
}

/** The error a cancelled request is answered with. */
export const CANCELLED = 'cancelled';

/** Start the worker ahead of the first Run; resolves once its code has loaded. */
export function warmEngine(): Promise<void> {
  engine();
  return loaded;
}

export function askEngine(request: RunRequest, onProgress?: (p: Progress) => void): Promise<RunResponse>;
export function askEngine(request: ReplayRequest): Promise<ReplayResponse>;
export function askEngine(request: RunRequest | ReplayRequest, onProgress?: (p: Progress) => void): Promise<Response> {
  const w = engine();
  const id = nextId++;
  return new Promise<Response>((resolve) => {
    pending.set(id, resolve);
    if (onProgress) progressOf.set(id, onProgress);
    w.postMessage({ id, request } satisfies WorkerRequest);
  });
}
