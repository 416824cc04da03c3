// The thread behind PostgresWriter (postgres-writer.ts): one pg client, one
// statement at a time, each answer posted back before the caller, blocked on
// the shared flag, is woken.
import { workerData, type MessagePort } from 'node:worker_threads';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { WriterReply, WriterRequest } from './postgres-writer';

const { url, port, flag } = workerData as { url: string; port: MessagePort; flag: Int32Array };

// Rows as SQLite's driver gives them, which ingest's logic was written against: counts as
// numbers, booleans as 1 and 0, timestamps as the ISO text sqlDateTime() stores.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8) return (v: string) => Number(v);
    if (oid === pg.types.builtins.BOOL) return (v: string) => (v === 't' ? 1 : 0);
    if (oid === pg.types.builtins.TIMESTAMP) return (v: string) => `${v.replace(' ', 'T')}${v.includes('.') ? '' : '.000'}+00:00`.replace(/\.(\d{1,2})\+/, (_, d: string) => `.${d.padEnd(3, '0')}+`);
    return pg.types.getTypeParser(oid, format);
  },
};

const client = new pg.Client({ connectionString: url, types });
// The server gone between statements (shut down, restarted): the next statement fails with this.
let lost: Error | undefined;
client.on('error', (e) => void (lost = e));

const answer = (reply: WriterReply) => {
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
};

// A value posted from the other thread arrives as a plain Uint8Array, which pg would send as text.
const bound = (v: unknown) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);

/** A script of several statements answers with one result per statement: the last one counts. */
function lastOf(result: pg.QueryResult | pg.QueryResult[]): { rows: Record<string, unknown>[]; rowCount: number } {
  const last = Array.isArray(result) ? result[result.length - 1] : result;
  return { rows: last?.rows ?? [], rowCount: last?.rowCount ?? 0 };
}

port.on('message', async (request: WriterRequest) => {
  try {
    if (lost) throw lost;
    if (request.kind === 'connect') {
      await client.connect();
      answer({ rows: [], rowCount: 0 });
    } else if (request.kind === 'close') {
      await client.end();
      answer({ rows: [], rowCount: 0 });
      port.close();
    } else if (request.kind === 'script') {
      let rowCount = 0;
      for (const step of request.steps) {
        if ('sql' in step) rowCount = lastOf(await client.query(step.sql)).rowCount;
        else {
          const sink = client.query(copyFrom(step.copy));
          await pipeline(Readable.from([step.rows]), sink);
          rowCount = Number(sink.rowCount);
        }
      }
      answer({ rows: [], rowCount });
    } else {
      const result = request.values
        ? await client.query({ name: request.name, text: request.text, values: request.values.map(bound) })
        : await client.query(request.text);
      const last = lastOf(result);
      answer({ rows: last.rows, rowCount: last.rowCount });
    }
  } catch (e) {
    const error = e as { message?: string; code?: string };
    answer({ error: { message: error.message ?? String(e), code: error.code } });
  }
});
