// A lock between processes on this machine: a folder, since mkdir either makes it or finds it
// there, atomically. One left by a killed process is taken over once older than `staleMs`.

import fs from 'node:fs';

export interface LockWait {
  /** A lock this old was left by a process that died. */
  staleMs: number;
  /** Give up after waiting this long: `timeout` says what to throw. */
  waitMs: number;
  pollMs: number;
  timeout: (ageMs: number) => Error;
}

/** Takes the lock folder, waiting while another process holds it; remove the folder to release it. */
export async function takeLockFolder(lock: string, w: LockWait): Promise<void> {
  const start = Date.now();
  for (;;) {
    try {
      fs.mkdirSync(lock);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > w.staleMs) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() - start > w.waitMs) throw w.timeout(age);
      else await new Promise((r) => setTimeout(r, w.pollMs));
    }
  }
}
