// The port a bench serves the site on: BENCH_PORT when set, else one the kernel finds free.
// startSite (lib/cli/site.ts) checks it again when it starts the site, and waits for an answer
// from the server it started, not from another one on the port.
import { ensurePortFree, freePort } from '../lib/net/ports';

export async function benchPort(): Promise<number> {
  const asked = process.env.BENCH_PORT;
  if (!asked) return freePort();
  const port = Number(asked);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`BENCH_PORT must be a port number, not "${asked}"`);
  // Now, not after minutes of ingest or build.
  await ensurePortFree(port).catch((e: Error) => { throw new Error(`BENCH_PORT=${port}: ${e.message}`); });
  return port;
}
