// Runs one phase of load from a process of its own (bench/load-client.ts), so that the
// server and the clients are measured apart.
import path from 'node:path';
import { fork } from 'node:child_process';
import { projectRoot } from '../lib/db/url';
import type { LoadPlan, LoadResult } from './load-client';

export function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const child = fork(path.join(projectRoot, 'lib', 'cli', 'launch.mjs'), [path.join(projectRoot, 'bench', 'load-client.ts')], { execArgv: [] });
  return new Promise((resolve, reject) => {
    child.once('message', (r) => resolve(r as LoadResult));
    child.once('exit', (code) => reject(new Error(`the load client exited with code ${code} before answering`)));
    child.send(plan);
  });
}
