// Another process's writer, for tests/db/writers.test.ts: `node --import tsx hold-write-lock.ts URL MS NAME`
// takes the store's write lock as ingest does (writing()), writes a list named NAME, says
// "locked", holds the lock MS milliseconds, then commits.
import { openWriter, prepare, writing } from '../../lib/db/connection';

const [url, ms, name] = process.argv.slice(2);
const db = await openWriter(url);
writing(db, () => {
  prepare(db, 'INSERT INTO "List" (name) VALUES (?)').run(name);
  process.stdout.write('locked\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(ms));
});
db.close();
