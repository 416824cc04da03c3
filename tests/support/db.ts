// The store a test runs on: a fresh database of its project's backend (vitest.config.ts),
// SQLite or PostgreSQL, made and read the same way on both.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, inject } from 'vitest';
import { migrateDeploy } from '../../lib/db/migrate';
import { openDatabase, type Database } from '../../lib/db/client';
import { openWriter, prepare, type Connection } from '../../lib/db/connection';
import { withPostgres } from '../../lib/db/postgres-client';
import { PostgresWriter } from '../../lib/db/postgres-writer';
import type { SqliteConnection } from '../../lib/db/sqlite';
import { backendOf, sqlitePath, type Backend } from '../../lib/db/url';
import { scratchPostgres } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The store the project's tests run on (vitest.config.ts). */
    backend: Backend;
  }
}

/** The store this test project runs on: every test that stores mail stores it there. */
export const backend: Backend = inject('backend');

/** A new, empty store, not migrated: its URL (`file:` or `postgresql://`), and how to remove it. */
export interface EmptyStore {
  url: string;
  drop(): Promise<void>;
}

async function emptySqlite(): Promise<EmptyStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-test-'));
  return { url: `file:${path.join(dir, 'test.db')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A new, empty store of the project's backend; `npm run ingest` and the site migrate it themselves. */
export const emptyStore = (on: Backend = backend): Promise<EmptyStore> => (on === 'postgresql' ? scratchPostgres() : emptySqlite());

/**
 * Empty stores of the project's backend by name, each made the first time it is asked
 * for and all removed after the file's tests: for the tests that run the CLI on several.
 */
export function emptyStores(): (name: string) => Promise<string> {
  const made = new Map<string, Promise<EmptyStore>>();
  afterAll(async () => {
    for (const store of made.values()) await (await store).drop();
  });
  return async (name) => {
    if (!made.has(name)) made.set(name, emptyStore());
    return (await made.get(name)!).url;
  };
}

/**
 * The rows `sql` (SQL both stores read, identifiers double-quoted) reads from the store at
 * `url`, on a connection of its own: for stores another process writes, the CLI's. Values as
 * each driver gives them: compare text, or counts through Number().
 */
export async function readStore<R>(url: string, sql: string): Promise<R[]> {
  if (backendOf(url) === 'postgresql') return withPostgres(url, async (client) => (await client.query(sql)).rows as R[]);
  const db = new Sqlite(sqlitePath(url), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as R[];
  } finally {
    db.close();
  }
}

export interface Store<W extends Connection = Connection> {
  /** The Prisma client the site reads with. */
  db: Database;
  /** The connection ingest writes with: SQLite's or PostgreSQL's, one synchronous API (connection.ts). */
  writer: W;
  url: string;
  /** Rows whose foreign keys point nowhere: must always be none. */
  danglingReferences(): unknown[];
  close(): Promise<void>;
}

/**
 * A fresh, migrated store of the project's backend (`on` names another, for the tests
 * that compare the two): the real store, never a mock.
 */
export async function freshDatabase(on: 'sqlite'): Promise<Store<SqliteConnection>>;
export async function freshDatabase(on?: Backend): Promise<Store>;
export async function freshDatabase(on: Backend = backend): Promise<Store> {
  const empty = await emptyStore(on);
  await migrateDeploy(empty.url);
  const writer = await openWriter(empty.url);
  const db = openDatabase(empty.url);
  return {
    danglingReferences: () => (writer instanceof PostgresWriter ? danglingOnPostgres(writer) : prepare(writer, 'PRAGMA foreign_key_check').all()),
    db,
    writer,
    url: empty.url,
    async close() {
      writer.close();
      await db.$disconnect();
      await empty.drop();
    },
  };
}

/**
 * SQLite's foreign_key_check for PostgreSQL, which has none: each foreign key's rows
 * whose parent is missing, counted. PostgreSQL enforces the keys as rows are written,
 * so this finds what got past them (triggers bypassed, a key added NOT VALID), and
 * no key is left unchecked for being enforced.
 */
function danglingOnPostgres(writer: PostgresWriter): unknown[] {
  const keys = writer.prepare<[], { name: string; child: string; parent: string; columns: string[]; references: string[] }>(`
    SELECT c.conname AS name, c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
      (SELECT array_agg(quote_ident(a.attname) ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n) AS columns,
      (SELECT array_agg(quote_ident(a.attname) ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n) AS "references"
    FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`).all();
  if (keys.length === 0) throw new Error('no foreign keys in the schema: nothing to check');
  return keys.flatMap(({ name, child, parent, columns, references }) => {
    // MATCH SIMPLE, as the keys are declared: a row with a null key column points nowhere by intent.
    const present = columns.map((c) => `c.${c} IS NOT NULL`).join(' AND ');
    const joined = columns.map((c, i) => `p.${references[i]} = c.${c}`).join(' AND ');
    const { n } = writer.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${child} c WHERE ${present} AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE ${joined})`).get()!;
    return n ? [{ table: child.replaceAll('"', ''), parent: parent.replaceAll('"', ''), key: name, rows: n }] : [];
  });
}
