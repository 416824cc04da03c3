// Threading (lib/ingest/rethread.ts): the rows it threads, and where it stores each
// message's thread, parent and place, the threads, their lists and the ghosts.
import { newRows, prepare, type Connection } from './connection';
import { statementsOf } from './prepared';
import { inValues } from './dialect';

/** A message as threading reads it. */
export interface ThreadingRow {
  id: number;
  archiveId: string;
  idKind: string;
  inReplyTo: string | null;
  referencesJson: string;
  subject: string;
  date: string | null;
  fromName: string | null;
  fromAddress: string | null;
  listId: number | null;
}

/** Every message's and ghost's reply headers and author, where threading only what new mail touches looks for its scope. */
export interface HeaderRow {
  id: number;
  archiveId: string;
  threadId: number | null;
  isGhost: number;
  inReplyTo: string | null;
  referencesJson: string;
  date: string | null;
  fromName: string | null;
  fromAddress: string | null;
}

/** The threads threaded again, null for all of them. */
export type Scope = readonly number[] | null;

const ROW_COLUMNS = 'id, "archiveId", "idKind", "inReplyTo", "referencesJson", subject, date, "fromName", "fromAddress", "listId"';

/** A statement over the rows of a scope's threads (`column` names the thread): one for all, one for a list bound as JSON. */
function scoped<R>(db: Connection, column: string, text: (where: string) => string): (scope: Scope) => R[] {
  const all = prepare<[], R>(db, text('true'));
  const some = prepare<[string], R>(db, text(inValues(db, column)));
  return (scope) => (scope === null ? all.all() : some.all(JSON.stringify(scope)));
}

/** The statements lib/ingest/rethread.ts runs, on either store. */
export const threadingStatements = statementsOf((db) => {
  const listsOfAll = [
    prepare(db, 'DELETE FROM "ThreadList"'),
    prepare(db, `INSERT INTO "ThreadList" ("threadId", "listId", "lastDate")
      SELECT DISTINCT m."threadId", ml."listId", t."lastDate" FROM "MessageList" ml JOIN "Message" m ON m.id = ml."messageId" JOIN "Thread" t ON t.id = m."threadId"`),
  ];
  const listsOf = [
    prepare<[string]>(db, `DELETE FROM "ThreadList" WHERE ${inValues(db, '"threadId"')}`),
    prepare<[string]>(db, `INSERT INTO "ThreadList" ("threadId", "listId", "lastDate")
      SELECT DISTINCT m."threadId", ml."listId", t."lastDate" FROM "Thread" t JOIN "Message" m ON m."threadId" = t.id JOIN "MessageList" ml ON ml."messageId" = m.id
      WHERE ${inValues(db, 't.id')}`),
  ];
  return {
    messages: prepare<[], ThreadingRow>(db, `SELECT ${ROW_COLUMNS} FROM "Message" WHERE "isGhost" = false`),
    messagesIn: prepare<[string], ThreadingRow>(db, `SELECT ${ROW_COLUMNS} FROM "Message" WHERE ${inValues(db, 'id')}`),
    /** The messages stored since the last threading (LinkQueue). */
    queued: prepare<[], { id: number }>(db, 'SELECT l."messageId" AS id FROM "LinkQueue" l JOIN "Message" m ON m.id = l."messageId" WHERE m."isGhost" = false'),
    headers: prepare<[], HeaderRow>(db, 'SELECT id, "archiveId", "threadId", "isGhost", "inReplyTo", "referencesJson", date, "fromName", "fromAddress" FROM "Message"'),
    threads: scoped<{ id: number; rootArchiveId: string }>(db, 'id', (where) => `SELECT id, "rootArchiveId" FROM "Thread" WHERE ${where}`),
    parents: scoped<{ id: number; parentId: number | null }>(db, '"threadId"', (where) => `SELECT id, "parentId" FROM "Message" WHERE "isGhost" = false AND ${where}`),
    ghosts: scoped<{ id: number; archiveId: string }>(db, '"threadId"', (where) => `SELECT id, "archiveId" FROM "Message" WHERE "isGhost" = true AND ${where}`),
    threadByRoot: prepare<[string], { id: number }>(db, 'SELECT id FROM "Thread" WHERE "rootArchiveId" = ?'),
    insertThread: newRows<[string, number | null, string, number, string | null, string | null]>(db, 'Thread', ['rootArchiveId', 'listId', 'subject', 'messageCount', 'firstDate', 'lastDate'], '?, ?, ?, ?, ?, ?'),
    updateThread: prepare<[number | null, string, number, string | null, string | null, number]>(db, 'UPDATE "Thread" SET "listId" = ?, subject = ?, "messageCount" = ?, "firstDate" = ?, "lastDate" = ? WHERE id = ?'),
    dropThread: prepare<[number]>(db, 'DELETE FROM "Thread" WHERE id = ?'),
    place: prepare<[number, number | null, string | null, number, number, number]>(db, 'UPDATE "Message" SET "threadId" = ?, "parentId" = ?, "parentBy" = ?, depth = ?, "threadOrder" = ? WHERE id = ?'),
    // Where a search trigger fires: see insertNew.
    insertGhost: newRows<[string, string | null, string | null, string | null, string | null]>(db, 'Message', ['archiveId', 'idKind', 'isGhost', 'fromName', 'fromAddress', 'dateText', 'date'], "?, 'ghost', true, ?, ?, ?, ?"),
    updateGhost: prepare<[string | null, string | null, string | null, string | null, number]>(db, 'UPDATE "Message" SET "fromName" = ?, "fromAddress" = ?, "dateText" = ?, date = ? WHERE id = ?'),
    // The writer runs without foreign keys on SQLite (sqlite.ts), so a ghost's text goes explicitly.
    dropMessage: prepare<[number]>(db, 'DELETE FROM "Message" WHERE id = ?'),
    dropText: prepare<[number]>(db, 'DELETE FROM "MessageText" WHERE "messageId" = ?'),
    /** Replies without reply headers that quote: their parents are inferred. */
    inferred: prepare<[], { id: number; body: string; segmentsJson: string; date: string | null }>(db, {
      sqlite: `SELECT m.id, t.body, t."segmentsJson", m.date FROM "Message" m JOIN "MessageText" t ON t."messageId" = m.id
        WHERE m."isGhost" = false AND m."inReplyTo" IS NULL AND m."referencesJson" = '[]' AND (t.body LIKE '>%' OR instr(t.body, char(10) || '>') > 0)`,
      postgresql: `SELECT m.id, t.body, t."segmentsJson", m.date FROM "Message" m JOIN "MessageText" t ON t."messageId" = m.id
        WHERE m."isGhost" = false AND m."inReplyTo" IS NULL AND m."referencesJson" = '[]' AND (t.body LIKE '>%' OR strpos(t.body, chr(10) || '>') > 0)`,
    }),
    text: prepare<[number], { body: string; segmentsJson: string }>(db, 'SELECT body, "segmentsJson" FROM "MessageText" WHERE "messageId" = ?'),
    /** ThreadList of these threads made again from their messages' lists. */
    refileThreads(scope: Scope): void {
      if (scope === null) for (const s of listsOfAll) s.run();
      else for (const s of listsOf) s.run(JSON.stringify(scope));
    },
  };
});
