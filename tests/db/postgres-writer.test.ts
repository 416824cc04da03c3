// Ingest's PostgreSQL writer queues the statements nobody reads an answer of
// (later()) and sends them as steps: a plain INSERT's rows by COPY, the rest as
// one script of literals. Every value must arrive as a parameter would have
// sent it, in either form, and an error in a step must fail its transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { PostgresWriter } from '../../lib/db/postgres-writer';
import { writing } from '../../lib/db/connection';
import { Script } from '../../lib/db/postgres-script';
import { postgresSkipped, postgresUrl, scratchPostgres } from '../support/postgres';

const COLUMNS = ['id', 'body', 'bytes', 'flag', 'score', 'big', 'at'] as const;
const TABLE = `CREATE TABLE sample (id int PRIMARY KEY, body text, bytes bytea, flag boolean, score double precision, big bigint, at timestamp(3))`;

/** Values that COPY's text format and SQL literals each escape their own way. */
const AWKWARD: unknown[][] = [
  [1, 'tab\there, newline\nthere, return\r, backslash \\ and \\N and \\.', new Uint8Array([0, 9, 10, 13, 92, 255]), true, 0.1, 2 ** 53 - 1, '2010-12-08T10:11:12.345+00:00'],
  [2, "it's \"quoted\", 'twice'", new Uint8Array([]), false, -1.5e-300, -42, '1999-01-01T00:00:00.000+00:00'],
  [3, '', null, null, null, null, null],
  [4, 'Ménage à trois, 日本語, 🙂', new Uint8Array([0x5c, 0x78]), true, 3, 0, '2038-01-19T03:14:08.000+00:00'],
  [5, '\\.\n\\.', new Uint8Array([0x5c, 0x2e, 0x0a]), false, 1e300, 1, '2010-12-08T10:11:12.000+00:00'],
  [6, null, new Uint8Array([1]), true, 0, 7, null],
];

describe.skipIf(!postgresUrl)(`ingest's PostgreSQL writer${postgresSkipped ? ` (${postgresSkipped})` : ''}`, () => {
  let store: Awaited<ReturnType<typeof scratchPostgres>>;
  let writer: PostgresWriter;
  beforeAll(async () => {
    store = await scratchPostgres();
    const admin = new pg.Client(store.url);
    await admin.connect();
    await admin.query(TABLE);
    await admin.query(TABLE.replace('sample', 'expected'));
    await admin.query(`CREATE TABLE child (id int PRIMARY KEY, "sampleId" int NOT NULL REFERENCES sample (id))`);
    await admin.end();
    // The writer reads the tables' columns and keys when it connects.
    writer = await PostgresWriter.open(store.url);
  });
  afterAll(async () => {
    writer?.close();
    await store?.drop();
  });

  const rows = (table: string) => writer.prepare(`SELECT ${COLUMNS.map((c) => `"${c}"`).join(', ')} FROM ${table} ORDER BY id`).all();
  const placeholders = COLUMNS.map(() => '?').join(', ');

  it('queues a plain INSERT as COPY rows and one with ON CONFLICT as a statement of literals', () => {
    const steps = (source: string) => {
      const script = new Script({ parents: new Map(), types: new Map() });
      script.add(source, AWKWARD[0]!);
      script.add(source, AWKWARD[1]!);
      return script.take();
    };
    const plain = steps(`INSERT INTO sample (${COLUMNS.join(', ')}) VALUES (${placeholders})`);
    expect(plain).toHaveLength(1);
    expect(plain[0]).toMatchObject({ copy: `COPY sample (${COLUMNS.join(', ')}) FROM STDIN` });
    expect(('rows' in plain[0]! ? plain[0].rows : '').split('\n')).toHaveLength(3);
    const upsert = steps(`INSERT INTO sample (${COLUMNS.join(', ')}) VALUES (${placeholders}) ON CONFLICT (id) DO NOTHING`);
    expect(upsert).toEqual([{ sql: expect.stringMatching(/^INSERT INTO sample \(.*\) VALUES \(.*\), \(.*\) ON CONFLICT \(id\) DO NOTHING$/s) }]);
  });

  it('stores every value as a bound parameter would, by COPY and by literals alike', () => {
    const insert = (table: string, tail = '') => writer.prepare(`INSERT INTO ${table} (${COLUMNS.join(', ')}) VALUES (${placeholders})${tail}`);
    const bound = insert('expected');
    for (const row of AWKWARD) bound.run(...row);
    writing(writer, () => {
      const copied = insert('sample');
      for (const row of AWKWARD.slice(0, 3)) copied.later(...row);
      const literal = insert('sample', ' ON CONFLICT (id) DO NOTHING');
      for (const row of AWKWARD.slice(3)) literal.later(...row);
    });
    const expected = rows('expected');
    expect(expected).toHaveLength(AWKWARD.length);
    expect(rows('sample')).toEqual(expected);
  });

  it('puts parents in before the rows that refer to them, whatever order they were queued in', () => {
    writing(writer, () => {
      const child = writer.prepare('INSERT INTO child (id, "sampleId") VALUES (?, ?)');
      const parent = writer.prepare(`INSERT INTO sample (${COLUMNS.join(', ')}) VALUES (${placeholders})`);
      child.later(1, 10);
      parent.later(10, 'parent', null, null, null, null, null);
      child.later(2, 10);
    });
    expect(writer.prepare('SELECT id, "sampleId" FROM child ORDER BY id').all()).toEqual([{ id: 1, sampleId: 10 }, { id: 2, sampleId: 10 }]);
  });

  it('fails the transaction when a copied row breaks a constraint, and keeps none of it', () => {
    const before = rows('sample');
    const copied = writer.prepare(`INSERT INTO sample (${COLUMNS.join(', ')}) VALUES (${placeholders})`);
    expect(() => writing(writer, () => {
      copied.later(20, 'new', null, null, null, null, null);
      copied.later(1, 'a taken id', null, null, null, null, null);
    })).toThrow(/duplicate key value violates unique constraint "sample_pkey"/);
    expect(rows('sample')).toEqual(before);
  });
});
