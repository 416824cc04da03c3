// A PostgreSQL connection that answers synchronously, as better-sqlite3 does,
// so that ingest's writer (one thread, statement by statement, its logic the
// same on both stores) runs on PostgreSQL unchanged. pg is asynchronous: a
// worker thread holds the client, and this thread waits on a shared flag
// (Atomics.wait) for each answer, which it then takes off the port at once
// (receiveMessageOnPort). The ingest CLI's thread has nothing else to do
// meanwhile: decoding runs on threads of its own. Never used by the site.
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { numbered } from './dialect';
import { Script, unquoted, type Step } from './postgres-script';
import { bundled } from '../workers/bundle.mjs';
import { redact } from './url';

export type WriterRequest =
  | { kind: 'connect' }
  | { kind: 'close' }
  | { kind: 'query'; name?: string; text: string; values?: unknown[] }
  | { kind: 'script'; steps: Step[] };

export type WriterReply = { rows: Record<string, unknown>[]; rowCount: number } | { error: { message: string; code?: string } };

export interface RunResult {
  changes: number;
  /** The `id` the statement returned (an INSERT … RETURNING id), as SQLite's last rowid. */
  lastInsertRowid: number | bigint;
}

/** A statement as ingest runs it on either store: better-sqlite3's, or PostgresWriter's. */
export interface Statement<P extends unknown[] = unknown[], R = unknown> {
  readonly source: string;
  run(...params: P): RunResult;
  get(...params: P): R | undefined;
  all(...params: P): R[];
}

/** A PostgresWriter's statement, which can also be run later, with others (PostgresWriter.later). */
export interface LaterStatement<P extends unknown[] = unknown[], R = unknown> extends Statement<P, R> {
  later(...params: P): void;
}

/** An error PostgreSQL answered with, its SQLSTATE in `code` as pg gives it. */
export class PostgresError extends Error {
  constructor(message: string, readonly code: string | undefined, readonly statement: string) {
    super(`${message} (in: ${statement.replace(/\s+/g, ' ').slice(0, 120)})`);
  }
}

export class PostgresWriter {
  readonly backend = 'postgresql' as const;
  readonly memory = false;
  /** Told, every second, while a transaction waits for another writer's (writing()). */
  onWait?: (waitedMs: number) => void;
  /** Savepoints open inside the current transaction (writing()). */
  depth = 0;
  private statements = 0;
  /** Ids taken from each table's sequence and not given out yet (nextId). */
  private ids = new Map<string, number[]>();
  /** The tables' foreign keys and column types, read once connected: how queued statements are put together. */
  private readonly parents = new Map<string, string[]>();
  private readonly types = new Map<string, Map<string, string>>();
  /** Statements to run before the next one that answers: one script, one round trip (later). */
  private readonly script = new Script({ parents: this.parents, types: this.types });

  /** The URL as given (with its password): for the processes and pools that connect beside this one. */
  readonly url: string;
  /** The URL without its password, for messages. */
  readonly name: string;

  private constructor(url: string, private readonly worker: Worker, private readonly port: MessagePort, private readonly flag: Int32Array) {
    this.url = url;
    this.name = redact(url);
  }

  static async open(url: string): Promise<PostgresWriter> {
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(await bundled(new URL('./postgres-writer-worker.ts', import.meta.url)), { workerData: { url, port: port2, flag }, transferList: [port2] });
    worker.unref();
    const writer = new PostgresWriter(url, worker, port1, flag);
    writer.send({ kind: 'connect' }, url);
    const references = writer.prepare<[], { child: string; parent: string }>(
      `SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent FROM pg_constraint WHERE contype = 'f' AND conrelid <> confrelid`,
    ).all();
    for (const { child, parent } of references) writer.parents.set(unquoted(child), [...(writer.parents.get(unquoted(child)) ?? []), unquoted(parent)]);
    const columns = writer.prepare<[], { table: string; column: string; type: string }>(
      `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
    ).all();
    for (const { table, column, type } of columns) writer.types.set(table, (writer.types.get(table) ?? new Map()).set(column, type));
    return writer;
  }

  /** `?` and `@name` placeholders, as written for both stores, become PostgreSQL's `$n`. */
  prepare<P extends unknown[] = unknown[], R = unknown>(source: string): LaterStatement<P, R> {
    const { text, names } = numbered(source);
    const name = `s${++this.statements}`;
    const values = (params: unknown[]): unknown[] => {
      if (names.length === 0) return params;
      const named = params[0] as Record<string, unknown>;
      return names.map((n) => {
        if (!(n in named)) throw new Error(`no value for @${n} in: ${source.slice(0, 80)}`);
        return named[n];
      });
    };
    const query = (params: unknown[]) => this.call({ kind: 'query', name, text, values: values(params) }, source);
    return {
      source,
      run: (...params) => {
        const { rows, rowCount } = query(params);
        return { changes: rowCount, lastInsertRowid: Number(rows[0]?.id ?? 0) };
      },
      get: (...params) => query(params).rows[0] as R | undefined,
      all: (...params) => query(params).rows as R[],
      later: (...params) => this.later(source, params),
    };
  }

  /**
   * Runs a statement whose answer nobody reads before the next statement that answers,
   * in the same order: queued, then sent with the others as one script. A statement
   * costs a round trip between threads and one to the server, some 250 us, where the
   * server runs it in a few; ingest's inserts and updates mostly need no answer. An
   * error in the script is thrown by that next statement (at the latest COMMIT's, in
   * writing()), so the transaction fails as it would have. Rows of a plain INSERT go
   * by COPY (postgres-script.ts).
   */
  private later(source: string, params: unknown[]): void {
    this.script.add(source, params);
    if (this.script.rows >= LATER_STATEMENTS || this.script.bytes >= LATER_BYTES) this.flush();
  }

  private flush(): void {
    if (this.script.empty) return;
    const steps = this.script.take();
    this.send({ kind: 'script', steps }, steps.map((s) => ('sql' in s ? s.sql : s.copy)).join(';\n'));
  }

  /**
   * An id for a new row of `table`, from its sequence, taken ID_BLOCK at a time: the row
   * can then go in later(), its id known. Ids are given in order, one writer's without
   * gaps, as SQLite's rowids (pages that list by id show the same on both stores); those
   * left when the writer closes are never used. Two writers at once each take blocks
   * of their own, so ids follow the order of commits only roughly: nothing reads more
   * from them than "archived later, mostly".
   */
  nextId(table: string): number {
    let free = this.ids.get(table);
    if (!free?.length) {
      // Sent ahead of what later() queued, which it does not depend on: the queue grows into one script.
      const text = `SELECT nextval(pg_get_serial_sequence($1, 'id'))::int AS id FROM generate_series(1, $2::int)`;
      free = this.send({ kind: 'query', name: 'nextIds', text, values: [`"${table}"`, ID_BLOCK] }, text).rows.map((r) => r.id as number).reverse();
      this.ids.set(table, free);
    }
    return free.pop()!;
  }

  /** Runs a script (no parameters; several statements allowed). */
  exec(source: string): this {
    this.call({ kind: 'query', text: source }, source);
    return this;
  }

  close(): void {
    this.call({ kind: 'close' }, 'close');
    void this.worker.terminate();
  }

  /** A statement that answers: what later() queued goes first. */
  private call(request: WriterRequest, statement: string): { rows: Record<string, unknown>[]; rowCount: number } {
    this.flush();
    return this.send(request, statement);
  }

  private send(request: WriterRequest, statement: string): { rows: Record<string, unknown>[]; rowCount: number } {
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(request);
    const reply = waitForReply(this.port, this.flag, () => this.worker.threadId !== -1, this.name) as WriterReply;
    if ('error' in reply) throw new PostgresError(reply.error.message, reply.error.code, statement);
    return reply;
  }
}

/**
 * Blocks until the other thread's answer is on `port`: it posts the answer, then sets
 * `flag` to 1 and notifies. Neither the flag nor a wake proves an answer: this thread may
 * take an answer as soon as it is posted, before its thread has set the flag and notified,
 * and both then land in the next request's wait (under load, one in millions: a 500k
 * ingest failed so). So the answer is looked for after every wake, a stale 1 is cleared
 * (safe: the answer is always posted before the flag is set), and `alive` is asked every
 * 10 s, as a thread that died answers nothing.
 */
export function waitForReply(port: MessagePort, flag: Int32Array, alive: () => boolean, name: string): unknown {
  for (;;) {
    const got = receiveMessageOnPort(port);
    if (got) return got.message;
    const woke = Atomics.wait(flag, 0, 0, 10_000);
    if (woke === 'not-equal') Atomics.store(flag, 0, 0);
    else if (woke === 'timed-out' && !alive()) throw new Error(`the PostgreSQL writer's thread stopped (${name})`);
  }
}

/** Ids taken from a sequence at a time (nextId). */
const ID_BLOCK = 256;

/** Statements (or rows) queued by later() before they are sent, at most; and their text. */
const LATER_STATEMENTS = 5000;
const LATER_BYTES = 8 << 20;
