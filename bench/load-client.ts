// The load of bench/load.ts, in a process of its own (forked), so that the
// server and the clients are measured apart: CLIENTS loops, each asking for
// the next URL of the mix as soon as its last answer has been read whole,
// and, when given one, a loop asking the slow URL alone. Told what to do by
// one IPC message; answers with every request's kind, status, bytes and time.
import http from 'node:http';

export interface LoadPlan {
  /** The servers, on 127.0.0.1: client c asks ports[c % ports.length] (the slow loop, the first). */
  ports: number[];
  /** The mix: each client starts at its own place in it and goes round. */
  urls: Array<{ kind: string; path: string }>;
  clients: number;
  seconds: number;
  /** A URL one extra client asks for in a loop, apart from the others. */
  slow?: string;
  /**
   * Each request of the mix made a URL never asked before (`_=N` added, which the site
   * ignores): nothing can be answered from what a server keeps, every answer is computed.
   */
  unique?: boolean;
  /** Text of a page that failed though its status is 200 (a search page's alert): counted as status 0. */
  failureMark: string;
}

export interface Sample {
  kind: string;
  status: number;
  bytes: number;
  ms: number;
  /** What a failed request answered (the start of its body), or how it failed: for the summary's reasons. */
  failure?: string;
}

export interface LoadResult {
  samples: Sample[];
  slow: Sample[];
  seconds: number;
}

function get(agent: http.Agent, plan: LoadPlan, port: number, path: string): Promise<{ status: number; bytes: number; failure?: string }> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => {
        const body = Buffer.concat(chunks);
        const status = body.includes(plan.failureMark) ? 0 : (res.statusCode ?? 0);
        const failure = status === 200 && body.length > 0 ? undefined : `${res.statusCode}: ${failureText(body, plan.failureMark)}`;
        resolve({ status, bytes: body.length, failure });
      });
      res.on('error', (e) => resolve({ status: 0, bytes: 0, failure: e.message }));
    });
    req.on('error', (e) => resolve({ status: 0, bytes: 0, failure: e.message }));
  });
}

/** The part of a failed answer that says why: from the failure mark on, or its start. */
function failureText(body: Buffer, mark: string): string {
  const text = body.toString('utf8');
  const at = text.indexOf(mark);
  return (at >= 0 ? text.slice(at) : text).replace(/\s+/g, ' ').slice(0, 140);
}

async function run(plan: LoadPlan): Promise<LoadResult> {
  // One kept-alive connection per client, as a browser keeps its own.
  const agent = new http.Agent({ keepAlive: true, maxSockets: plan.clients + 1 });
  const samples: Sample[] = [];
  const slow: Sample[] = [];
  const started = performance.now();
  const end = started + plan.seconds * 1000;
  const loop = async (port: number, next: () => { kind: string; path: string }, into: Sample[]) => {
    while (performance.now() < end) {
      const { kind, path } = next();
      const t = performance.now();
      const answer = await get(agent, plan, port, path);
      into.push({ kind, ...answer, ms: performance.now() - t });
    }
  };
  let asked = 0;
  const fresh = (u: { kind: string; path: string }) => (plan.unique ? { kind: u.kind, path: `${u.path}${u.path.includes('?') ? '&' : '?'}_=${++asked}` } : u);
  const loops = Array.from({ length: plan.clients }, (_, c) => {
    let i = Math.floor((c * plan.urls.length) / plan.clients);
    return loop(plan.ports[c % plan.ports.length], () => fresh(plan.urls[i++ % plan.urls.length]), samples);
  });
  if (plan.slow) loops.push(loop(plan.ports[0], () => ({ kind: 'slow search', path: plan.slow! }), slow));
  await Promise.all(loops);
  agent.destroy();
  return { samples, slow, seconds: (performance.now() - started) / 1000 };
}

process.once('message', (plan: LoadPlan) => {
  void run(plan).then((result) => process.send!(result, () => process.exit(0)));
});
