// How much the archive holds, for ingest's choices (thread only what new mail
// touches, load the bundled content into an empty store) and its summary.
import { prepare, type Connection } from './connection';

const count = (db: Connection, table: string): number => prepare<[], { n: number }>(db, `SELECT count(*) AS n FROM "${table}"`).get()!.n;

export const messageCount = (db: Connection): number => count(db, 'Message');
export const threadCount = (db: Connection): number => count(db, 'Thread');
/** Messages waiting to be linked (LinkQueue): stored or given another parent since. */
export const linkQueueLength = (db: Connection): number => count(db, 'LinkQueue');
export const holdsMail = (db: Connection): boolean => prepare(db, 'SELECT 1 FROM "Message" LIMIT 1').get() !== undefined;
