// writing(): a write transaction that waits for another process's, however long, and
// says so; the work it runs reads what that process committed. A deferred transaction
// that read first fails at once with SQLITE_BUSY here (the crashed ingests).
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { onWriterWait, writing } from '../../lib/db/connection';
import { freshDatabase } from '../support/db';

const require = createRequire(import.meta.url);

/** Another process that takes the write lock, says so, holds it `ms`, then commits a list named `name`. */
function holdWriteLock(file: string, ms: number, name: string): Promise<{ committed: Promise<void> }> {
  const script = `
    const Sqlite = require(${JSON.stringify(require.resolve('better-sqlite3'))});
    const db = new Sqlite(${JSON.stringify(file)});
    db.prepare('BEGIN IMMEDIATE').run();
    db.prepare('INSERT INTO "List" (name) VALUES (?)').run(${JSON.stringify(name)});
    process.stdout.write('locked\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms});
    db.prepare('COMMIT').run();
    db.close();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const committed = new Promise<void>((resolve, reject) => child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`lock holder exited ${code}`)))));
  return new Promise((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve({ committed })));
}

describe('a writer while another process writes', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    store = await freshDatabase();
  });
  afterAll(() => store.close());

  it('waits for its lock, telling how long, and reads what the other committed', async () => {
    const waits: number[] = [];
    onWriterWait(store.writer, (ms) => waits.push(ms));
    const holder = await holdWriteLock(store.file, 2500, 'other');
    // Read, then write: what an ingest batch does (is this id stored? then store it).
    const seen = writing(store.writer, () => {
      const lists = store.writer.prepare('SELECT name FROM "List" ORDER BY name').all() as Array<{ name: string }>;
      store.writer.prepare('INSERT INTO "List" (name) VALUES (?)').run('mine');
      return lists.map((l) => l.name);
    });
    await holder.committed;
    expect(seen).toEqual(['other']);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(store.writer.prepare('SELECT name FROM "List" ORDER BY name').all()).toEqual([{ name: 'mine' }, { name: 'other' }]);
  });

  it('does not run its work again when the work itself fails', async () => {
    let runs = 0;
    expect(() =>
      writing(store.writer, () => {
        runs++;
        store.writer.prepare('INSERT INTO "List" (name) VALUES (?)').run('mine'); // taken: a constraint fails
      }),
    ).toThrow(/UNIQUE/);
    expect(runs).toBe(1);
  });
});
