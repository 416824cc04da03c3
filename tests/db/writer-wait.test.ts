// PostgresWriter waits for its thread's answer on a shared flag (waitForReply). A wake or a
// flag left at 1 is no proof that the answer is there: the notify and the flag of the
// answer before can arrive after this thread took that answer. Both are made to happen
// here, on purpose, by a thread that answers late.
import { MessageChannel, Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForReply } from '../../lib/db/postgres-writer';

// Sleeps, wakes the waiter with nothing posted (a late notify), sleeps again, then answers
// as the writer's thread does: post, set the flag, notify.
const LATE = `
const { workerData } = require('node:worker_threads');
const { port, flag, stale } = workerData;
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
sleep(50);
if (stale) Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
sleep(100);
port.postMessage('the answer');
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
`;

describe('waiting for the writer thread’s answer', () => {
  const workers: Worker[] = [];
  afterEach(async () => { for (const w of workers.splice(0)) await w.terminate(); });

  for (const stale of [false, true]) {
    it(stale ? 'ignores a flag set with no answer posted' : 'ignores a wake with no answer posted', () => {
      const { port1, port2 } = new MessageChannel();
      const flag = new Int32Array(new SharedArrayBuffer(4));
      workers.push(new Worker(LATE, { eval: true, workerData: { port: port2, flag, stale }, transferList: [port2] }));
      expect(waitForReply(port1, flag, () => true, 'test')).toBe('the answer');
      port1.close();
    });
  }
});
