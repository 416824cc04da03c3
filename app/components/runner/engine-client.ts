// One engine worker per page, shared by every runner on it; requests are matched to replies by id.

import type { ReplayRequest, ReplayResponse, RunRequest, RunResponse } from './compute';

type Response = RunResponse | ReplayResponse;
export interface WorkerRequest { id: number; request: RunRequest | ReplayRequest }
export type WorkerReply = { id: number; response: Response } | { ready: true };

let worker: Worker | null = null;
let loaded: Promise<void> = Promise.resolve();
let nextId = 1;
const pending = new Map<number, (r: Response) => void>();

function engine(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
  let markLoaded = () => {};
  loaded = new Promise((resolve) => { markLoaded = resolve; });
  w.onmessage = (e: MessageEvent<WorkerReply>) => {
    if ('ready' in e.data) return markLoaded();
    const done = pending.get(e.data.id);
    pending.delete(e.data.id);
    done?.(e.data.response);
  };
  w.onerror = (e) => {
    // A worker that failed to load answers nothing: fail what waits, start afresh next time.
    const error = `the engine worker failed: ${e.message || 'could not be loaded'}`;
    for (const done of pending.values()) done({ ok: false, error });
    pending.clear();
    w.terminate();
    worker = null;
  };
  worker = w;
  return w;
}

/** Start the worker ahead of the first Run; resolves once its code has loaded. */
export function warmEngine(): Promise<void> {
  engine();
  return loaded;
}

export function askEngine(request: RunRequest): Promise<RunResponse>;
export function askEngine(request: ReplayRequest): Promise<ReplayResponse>;
export function askEngine(request: RunRequest | ReplayRequest): Promise<Response> {
  const w = engine();
  const id = nextId++;
  return new Promise<Response>((resolve) => {
    pending.set(id, resolve);
    w.postMessage({ id, request } satisfies WorkerRequest);
  });
}
