// writing(): a write transaction that waits for another process's, however long, and
// says so; the work it runs reads what that process committed. A deferred transaction
// that read first fails at once with SQLITE_BUSY on SQLite (the crashed ingests);
// on PostgreSQL the writers take turns by an advisory lock.
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onWriterWait, prepare, writing } from '../../lib/db/connection';
import { freshDatabase } from '../support/db';

/** Another process that takes the write lock, says so, holds it `ms`, then commits a list named `name`. */
function holdWriteLock(url: string, ms: number, name: string): Promise<{ committed: Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '../support/hold-write-lock.ts'), url, String(ms), name], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    const holder = await holdWriteLock(store.url, 2500, 'other');
    // Read, then write: what an ingest batch does (is this id stored? then store it).
    const seen = writing(store.writer, () => {
      const lists = prepare<[], { name: string }>(store.writer, 'SELECT name FROM "List" ORDER BY name').all();
      prepare(store.writer, 'INSERT INTO "List" (name) VALUES (?)').run('mine');
      return lists.map((l) => l.name);
    });
    await holder.committed;
    expect(seen).toEqual(['other']);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(prepare(store.writer, 'SELECT name FROM "List" ORDER BY name').all()).toEqual([{ name: 'mine' }, { name: 'other' }]);
  });

  it('does not run its work again when the work itself fails', async () => {
    let runs = 0;
    expect(() =>
      writing(store.writer, () => {
        runs++;
        prepare(store.writer, 'INSERT INTO "List" (name) VALUES (?)').run('mine'); // taken: a constraint fails
      }),
    ).toThrow(/UNIQUE constraint failed|violates unique constraint/);
    expect(runs).toBe(1);
  });
});
