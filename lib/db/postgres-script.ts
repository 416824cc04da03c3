// The statements PostgresWriter.later() queues, and the steps they are sent as:
// the rows of a plain INSERT … VALUES (no ON CONFLICT) as one COPY, PostgreSQL's
// bulk path, which parses no SQL per row; the rest as one script, their values
// written in as literals, the rows of an INSERT with ON CONFLICT as one statement
// of many rows, and the rows of one `UPDATE … WHERE id = ?` as one UPDATE … FROM
// VALUES, so that the server parses, plans and fires triggers once for them all.
import pg from 'pg';
import { PLACEHOLDER } from './dialect';
import { copyLine } from './copy-text';

/** What the script needs to know of the tables: whom each refers to, and each column's type. */
export interface Tables {
  /** The tables each table's foreign keys refer to (other than itself). */
  parents: ReadonlyMap<string, readonly string[]>;
  /** Table -> column -> its type, as format_type() writes it. */
  types: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/**
 * Rows of one INSERT … VALUES statement: COPY's lines when the shape can be copied,
 * else literal tuples. An INSERT with ON CONFLICT takes a row queued twice once:
 * a statement may not update a row twice.
 */
interface Inserts {
  kind: 'insert';
  shape: InsertShape;
  rows: string[];
  seen?: Set<string>;
}

/** Rows of one `UPDATE t SET … WHERE id = ?`: the last one queued for an id is the one that counts, as it would have been. */
interface Updates {
  kind: 'update';
  shape: UpdateShape;
  rows: Map<string, string>;
}

/** Where a run ends (Script). */
const RUN_END = Symbol('run end');

type Queued = string | Inserts | Updates | typeof RUN_END;

/** What a script is sent as, in order: SQL (several statements), or rows to COPY into a table. */
export type Step = { sql: string } | { copy: string; rows: string };

/**
 * What is queued, in runs: the INSERTs and UPDATEs queued between two other statements,
 * each statement's rows together. A run ends where a statement of another shape is
 * queued, or an INSERT into a table the run updates (which might be the row updated).
 */
export class Script {
  private queued: Queued[] = [];
  /** The current run's groups, by statement; and the last UPDATE of each table in it. */
  private inserts = new Map<string, Inserts>();
  private updates = new Map<string, Updates>();
  private lastUpdate = new Map<string, string>();
  rows = 0;
  bytes = 0;

  constructor(private readonly tables: Tables) {}

  /** Queues a statement, with these values. */
  add(source: string, params: unknown[]): void {
    const insert = insertShape(source);
    const update = insert ? null : updateShape(source, this.tables.types);
    let text: string;
    if (insert) {
      if (this.lastUpdate.has(insert.table)) this.endRun();
      let group = this.inserts.get(source);
      if (!group) {
        group = { kind: 'insert', shape: insert, rows: [], seen: insert.tail ? new Set() : undefined };
        this.inserts.set(source, group);
        this.queued.push(group);
      }
      text = insert.copied ? copyLine(insert.copied(params)) : inlined(insert.values, params);
      if (group.seen?.has(text)) return;
      group.seen?.add(text);
      group.rows.push(text);
    } else if (update) {
      // Rows of two UPDATEs of one table go in the order they were queued: with the last one's group only.
      let group = this.lastUpdate.get(update.table) === source ? this.updates.get(source) : undefined;
      if (!group) {
        group = { kind: 'update', shape: update, rows: new Map() };
        this.updates.set(source, group);
        this.lastUpdate.set(update.table, source);
        this.queued.push(group);
      }
      const values = update.values(params);
      text = `(${values.map(literal).join(', ')})`;
      const id = text.slice(text.lastIndexOf(', ') + 2);
      group.rows.delete(id);
      group.rows.set(id, text);
    } else {
      text = inlined(source, params);
      this.endRun();
      this.queued.push(text);
    }
    this.rows++;
    this.bytes += text.length;
  }

  private endRun(): void {
    this.inserts.clear();
    this.updates.clear();
    this.lastUpdate.clear();
    this.queued.push(RUN_END);
  }

  get empty(): boolean {
    return this.rows === 0;
  }

  /** The steps of everything queued, which is then empty again: statements next to each other in one. */
  take(): Step[] {
    const steps: Step[] = [];
    for (const step of inParentOrder(this.queued, this.tables.parents).map(stepOf)) {
      const last = steps[steps.length - 1];
      if ('sql' in step && last && 'sql' in last) last.sql += `;\n${step.sql}`;
      else steps.push(step);
    }
    this.queued = [];
    this.inserts.clear();
    this.updates.clear();
    this.lastUpdate.clear();
    this.rows = 0;
    this.bytes = 0;
    return steps;
  }
}

function stepOf(q: Exclude<Queued, typeof RUN_END>): Step {
  if (typeof q === 'string') return { sql: q };
  if (q.kind === 'insert') {
    if (q.shape.copied) return { copy: `COPY ${q.shape.target} FROM STDIN`, rows: q.rows.join('') };
    return { sql: `${q.shape.head} VALUES ${q.rows.join(', ')}${q.shape.tail}` };
  }
  const { table, columns, types } = q.shape;
  const set = columns.map((c) => `"${c}" = v."${c}"::${types[c]}`).join(', ');
  return { sql: `UPDATE "${table}" SET ${set} FROM (VALUES ${[...q.rows.values()].join(', ')}) AS v(${[...columns, 'id'].map((c) => `"${c}"`).join(', ')}) WHERE "${table}".id = v.id::integer` };
}

interface InsertShape {
  table: string;
  /** `INSERT INTO t (…)`, and `t (…)` of it, as COPY names the columns. */
  head: string;
  target: string;
  values: string;
  tail: string;
  /** A row's values in the columns' order, when its rows can be copied: values all placeholders, no ON CONFLICT. */
  copied: ((params: unknown[]) => unknown[]) | null;
}

const insertShapes = new Map<string, InsertShape | null>();

/** `INSERT INTO t (…) VALUES (…) [ON CONFLICT …]`, in its parts; null for any other statement. */
function insertShape(source: string): InsertShape | null {
  let shape = insertShapes.get(source);
  if (shape === undefined) {
    const m = /^\s*(INSERT INTO\s+(("?\w+"?)\s*\([^)]*\)))\s*VALUES\s*(\((?:[^()']|'(?:[^']|'')*'|\([^()]*\))*\))(\s+ON CONFLICT\b[\s\S]*)?$/i.exec(source);
    if (m && !/\bRETURNING\b/i.test(source)) {
      const tail = m[5] ?? '';
      const places = /^\(\s*((?:\?|@\w+)(?:\s*,\s*(?:\?|@\w+))*)\s*\)$/.exec(m[4]!)?.[1]!.split(/\s*,\s*/);
      const copied = tail || !places ? null : placed(places);
      shape = { table: unquoted(m[3]!), head: m[1]!, target: m[2]!, values: m[4]!, tail, copied };
    } else shape = null;
    insertShapes.set(source, shape);
  }
  return shape;
}

interface UpdateShape {
  source: string;
  table: string;
  columns: string[];
  types: Record<string, string>;
  /** The values of one row, in columns' order and then the id. */
  values(params: unknown[]): unknown[];
}

const updateShapes = new Map<string, UpdateShape | null>();

/** `UPDATE t SET "c" = ?, … WHERE id = ?` (or with @name placeholders throughout), in its parts; null for any other statement. */
function updateShape(source: string, types: Tables['types']): UpdateShape | null {
  let shape = updateShapes.get(source);
  if (shape === undefined) {
    shape = null;
    const m = /^\s*UPDATE\s+("?\w+"?)\s+SET\s+((?:"?\w+"?\s*=\s*(?:\?|@\w+)\s*,\s*)*"?\w+"?\s*=\s*(?:\?|@\w+))\s+WHERE\s+id\s*=\s*(\?|@\w+)\s*$/i.exec(source);
    const table = m ? unquoted(m[1]!) : '';
    const columnTypes = types.get(table);
    if (m && columnTypes) {
      const set = m[2]!.split(',').map((a) => /^\s*"?(\w+)"?\s*=\s*(\?|@\w+)\s*$/.exec(a)!);
      const columns = set.map((a) => a[1]!);
      const places = [...set.map((a) => a[2]!), m[3]!];
      const values = placed(places);
      if (values && columns.every((c) => columnTypes.has(c))) {
        shape = {
          source, table, columns,
          types: Object.fromEntries(columns.map((c) => [c, columnTypes.get(c)!])),
          values,
        };
      }
    }
    updateShapes.set(source, shape);
  }
  return shape;
}

/** A statement's values in its placeholders' order, all `?` or all `@name`; null for a mix. */
function placed(places: string[]): ((params: unknown[]) => unknown[]) | null {
  if (places.every((p) => p === '?')) return (params) => params;
  if (!places.every((p) => p.startsWith('@'))) return null;
  const names = places.map((p) => p.slice(1));
  return (params) => {
    const named = params[0] as Record<string, unknown>;
    return names.map((n) => {
      if (!(n in named)) throw new Error(`no value for @${n}`);
      return named[n];
    });
  };
}

export const unquoted = (name: string): string => name.replace(/^"|"$/g, '');

/**
 * The queued statements in the order they go: as queued, except within a run (Script),
 * where the INSERTs go first, by their tables' foreign keys, a table's parents before
 * it, then the UPDATEs, so that each row goes in after the rows it refers to, and is
 * updated to refer to rows after they went in. That each row was queued after those is
 * not enough: rows of one statement go in one, placed where its first row was queued,
 * which may be before another table's row that a later row of it refers to.
 */
function inParentOrder(queued: readonly Queued[], parents: Tables['parents']): Array<Exclude<Queued, typeof RUN_END>> {
  const depth = new Map<string, number>();
  const depthOf = (table: string, seen: string[] = []): number => {
    let d = depth.get(table);
    if (d === undefined) {
      const up = (parents.get(table) ?? []).filter((p) => !seen.includes(p));
      d = up.length === 0 ? 0 : 1 + Math.max(...up.map((p) => depthOf(p, [...seen, table])));
      depth.set(table, d);
    }
    return d;
  };
  const ordered: Array<Exclude<Queued, typeof RUN_END>> = [];
  let inserts: Inserts[] = [];
  let updates: Updates[] = [];
  const endRun = () => {
    ordered.push(...inserts.map((r, i) => ({ r, i })).sort((a, b) => depthOf(a.r.shape.table) - depthOf(b.r.shape.table) || a.i - b.i).map(({ r }) => r), ...updates);
    inserts = [];
    updates = [];
  };
  for (const q of queued) {
    if (q === RUN_END) endRun();
    else if (typeof q === 'string') {
      endRun();
      ordered.push(q);
    } else if (q.kind === 'insert') inserts.push(q);
    else updates.push(q);
  }
  endRun();
  return ordered;
}

/**
 * The statement with its values written in as literals: quoted as text, as a
 * parameter is sent, so that the server gives each its column's type.
 */
function inlined(source: string, params: unknown[]): string {
  const named = params.length === 1 && params[0] !== null && typeof params[0] === 'object' && !(params[0] instanceof Uint8Array) ? (params[0] as Record<string, unknown>) : null;
  let positional = 0;
  return source.replace(PLACEHOLDER, (token, name?: string) => {
    if (token === '?') return literal(params[positional++]);
    if (name === undefined) return token;
    if (!named || !(name in named)) throw new Error(`no value for @${name} in: ${source.slice(0, 80)}`);
    return literal(named[name]);
  });
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Uint8Array) return `'\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}'::bytea`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a number a statement can hold: ${value}`);
    return `'${value}'`;
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return `'${value}'`;
  if (typeof value === 'string') return pg.escapeLiteral(value);
  throw new Error(`no literal for a ${typeof value}`);
}
