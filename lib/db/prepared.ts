// A module's statements, prepared once per connection: on its first use, on
// the connection it is used with. Imports no driver, so that a module of the
// site's can use it without bundling the writer's.
import type { Connection } from './connection';

/** `make`'s statements, prepared once per connection. */
export function statementsOf<T, C extends Connection = Connection>(make: (db: C) => T): (db: C) => T {
  const prepared = new WeakMap<C, T>();
  return (db) => {
    let s = prepared.get(db);
    if (!s) prepared.set(db, (s = make(db)));
    return s;
  };
}
