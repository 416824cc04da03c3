// A PostgreSQL of our own, for the tests and benchmarks: Debian's binaries,
// initdb into a temporary folder, on a port checked free, stopped by stop().
// PostgreSQL refuses to run as root, so under root (CI) the cluster belongs to
// `nobody`; its files live in the temporary folder only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
// With its extension: vitest.config.ts loads this module (through tests/support/postgres-setup.ts), and Vite's config loader wants extensions.
import { freePort } from '../net/ports.ts';

/** The newest installed PostgreSQL's bin folder (Debian puts each major version under /usr/lib/postgresql), or null. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const found = versions.map((v) => path.join(root, v, 'bin')).find((bin) => fs.existsSync(path.join(bin, 'initdb')));
  return found ?? null;
}

export interface PostgresServer {
  /** The superuser's URL of the `postgres` database. */
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;
const OWNER = 'nobody';

function run(bin: string, args: string[], logFile?: string): Promise<void> {
  const [command, argv] = asRoot ? ['runuser', ['-u', OWNER, '--', bin, ...args]] : [bin, args];
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) return resolve();
      const log = logFile && fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-2000) : '';
      reject(new Error(`${path.basename(bin)} ${args.join(' ')} failed (${code}):\n${output.slice(-2000)}${log}`));
    });
  });
}

/**
 * initdb and pg_ctl start, with `settings` passed to the server (-c name=value).
 * Trust authentication on 127.0.0.1 only: the cluster is this process's and lives for one run.
 */
export async function startPostgres(settings: Record<string, string | number> = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL binaries under /usr/lib/postgresql (apt-get install postgresql)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-pg-'));
  const data = path.join(dir, 'data');
  if (asRoot) fs.chownSync(dir, 65534, 65534);
  fs.chmodSync(dir, 0o700);
  await run(path.join(bin, 'initdb'), ['-D', data, '-U', 'threadlab', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  const logFile = path.join(dir, 'server.log');
  // A port taken between freePort and the server's bind fails the start: try another.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const options = Object.entries({ port, listen_addresses: '127.0.0.1', unix_socket_directories: dir, ...settings })
      .map(([k, v]) => `-c ${k}=${v}`).join(' ');
    try {
      await run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', logFile, '-o', options, '-w', '-t', '120', 'start'], logFile);
    } catch (e) {
      if (attempt < 3 && /could not bind|Address already in use/i.test(String(e))) continue;
      fs.rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    return {
      url: `postgresql://threadlab@127.0.0.1:${port}/postgres`,
      port,
      dir,
      async stop() {
        await run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => {});
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
