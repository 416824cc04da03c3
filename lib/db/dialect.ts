// What differs between the two stores' SQL, in one place: the text of a statement for
// each, and the forms that bind a list as one parameter. No connection is made here
// (the site's modules import it too).
import type { Connection } from './connection';
import type { Backend } from './url';

/** A statement's text: one for both stores, or each store's own. */
export type Sql = string | { readonly sqlite: string; readonly postgresql: string };

/** Which store a writer writes: a PostgresWriter says so; better-sqlite3's connection is SQLite's. */
export const backendOfConnection = (db: Connection): Backend => ('backend' in db ? db.backend : 'sqlite');

export const textFor = (db: Connection, sql: Sql): string => (typeof sql === 'string' ? sql : sql[backendOfConnection(db)]);

/** A row that must be new, of a table keyed otherwise than by a generated id (a message's text): insertNewLater runs it. */
export const insertNewRow = (table: string, columns: readonly string[], values: string): Sql => {
  const names = columns.map((c) => `"${c}"`).join(', ');
  return { sqlite: `INSERT OR IGNORE INTO "${table}" (${names}) VALUES (${values})`, postgresql: `INSERT INTO "${table}" (${names}) VALUES (${values})` };
};

const backendOf = (store: Connection | Backend): Backend => (typeof store === 'string' ? store : backendOfConnection(store));

/**
 * `column` (an integer) is one of a list bound as one parameter, a JSON array
 * (JSON.stringify(ids)): one statement however long the list, where SQLite
 * caps a statement's parameters.
 */
export const inValues = (store: Connection | Backend, column: string): string =>
  backendOf(store) === 'sqlite' ? `${column} IN (SELECT value FROM json_each(?))` : `${column} IN (SELECT value::int FROM json_array_elements_text(?::json))`;

/** As inValues, for a text column. */
export const inTexts = (store: Connection | Backend, column: string): string =>
  backendOf(store) === 'sqlite' ? `${column} IN (SELECT value FROM json_each(?))` : `${column} IN (SELECT value FROM json_array_elements_text(?::json))`;

/** Pairs of text and integer bound as one parameter, a JSON array of [text, integer] arrays: a table `j` of (first, second). */
export const jsonPairs = (store: Connection | Backend): string =>
  backendOf(store) === 'sqlite'
    ? '(SELECT value ->> 0 AS first, value ->> 1 AS second FROM json_each(?)) j'
    : '(SELECT value ->> 0 AS first, (value ->> 1)::int AS second FROM json_array_elements(?::json)) j';

/** An INSERT of many rows bound as one parameter: a JSON array of arrays, each row's values in `columns` order (with PostgreSQL's type of each). */
export const insertJsonRows = (db: Connection, table: string, columns: ReadonlyArray<readonly [name: string, type: string]>): string => {
  const names = columns.map(([c]) => `"${c}"`).join(', ');
  return backendOfConnection(db) === 'sqlite'
    ? `INSERT INTO "${table}" (${names}) SELECT ${columns.map((_, i) => `value ->> ${i}`).join(', ')} FROM json_each(?)`
    : `INSERT INTO "${table}" (${names}) SELECT ${columns.map(([, type], i) => `(value ->> ${i})::${type}`).join(', ')} FROM json_array_elements(?::json)`;
};

/**
 * `?` and `@name` placeholders, and the quoted text and identifiers they are not in. A
 * name starts with a letter, so PostgreSQL's `@@` and `@>` are not placeholders.
 */
export const PLACEHOLDER = /'(?:[^']|'')*'|"(?:[^"]|"")*"|\?|@([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * A statement as PostgreSQL takes it: `?` placeholders numbered in order, `@name` ones by first use; quoted text and
 * identifiers left as they are.
 */
export function numbered(source: string): { text: string; names: string[] } {
  const names: string[] = [];
  let positional = 0;
  const text = source.replace(PLACEHOLDER, (token, name?: string) => {
    if (token === '?') return `$${++positional}`;
    if (name === undefined) return token;
    let at = names.indexOf(name);
    if (at < 0) at = names.push(name) - 1;
    return `$${at + 1}`;
  });
  if (positional > 0 && names.length > 0) throw new Error(`a statement takes ? or @name placeholders, not both: ${source.slice(0, 80)}`);
  return { text, names };
}
