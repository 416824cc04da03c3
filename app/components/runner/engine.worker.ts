// The runner's Web Worker: exploring a scenario never blocks the page.
import { computeReplay, computeRun } from './compute';
import type { WorkerReply, WorkerRequest } from './engine-client';

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const { id, request: q } = e.data;
  const progress = (states: number, millis: number) => self.postMessage({ id, progress: { states, millis } } satisfies WorkerReply);
  const reply: WorkerReply = { id, response: q.kind === 'run' ? computeRun(q, progress) : computeReplay(q) };
  self.postMessage(reply);
};

// Before saying it is ready, run the engine once on a two-actor model of its own so that its
// code is compiled: a reader's first Run then costs what later ones do. Nothing is kept.
computeRun({
  kind: 'run', era: '2.6.37', handler: 'block@2.6.37',
  scenario: { id: 'warm-up', title: 'warm-up', era: '2.6.37', handler: 'block@2.6.37', file: { pages: 1 }, actors: [{ kind: 'fault', index: 0 }, { kind: 'truncate', to: 0 }], expect: { exists: ['WriteLanded'] } },
});
self.postMessage({ ready: true } satisfies WorkerReply);
