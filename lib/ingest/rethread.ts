import type { SqliteConnection } from '../db/sqlite';
import { insertNew, sqlDateTime } from '../db/sqlite';
import { threadMessages } from '../thread';
import { findAttributions, type AttributionLine } from '../quote/find-attributions';
import { attributionsOfSegments } from '../quote/segment-attributions';
import { readSegments } from '../quote/stored';
import type { ThreadInput, Ghost } from '../thread/types';

interface MessageRow {
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

/**
 * Threads the whole archive again and stores the result: each message's
 * thread, parent and position; ghosts for parents never seen; one Thread row
 * per tree, keyed by its root so that ids survive re-threading. Threading is
 * global, not per list, as a cross-posted reply belongs with its parent.
 */
export function rethread(db: SqliteConnection): number {
  const rows = db.prepare<[], MessageRow>(
    'SELECT id, archiveId, idKind, inReplyTo, referencesJson, subject, date, fromName, fromAddress, listId FROM "Message" WHERE isGhost = 0',
  ).all();
  const texts = textsForInference(db, rows);
  const inputs: ThreadInput[] = rows.map((r) => {
    const text = texts.get(r.id);
    return {
      key: r.archiveId,
      messageId: r.idKind === 'header' ? r.archiveId : null,
      inReplyTo: r.inReplyTo,
      references: JSON.parse(r.referencesJson) as string[],
      subject: r.subject,
      date: r.date,
      fromName: r.fromName,
      fromAddress: r.fromAddress,
      body: text?.body ?? '',
      // A body not loaded has no attributions to find.
      attributions: text ? text.attributions : [],
    };
  });
  const { threads, ghosts } = threadMessages(inputs);
  const byKey = new Map(rows.map((r) => [r.archiveId, r]));

  db.transaction(() => {
    const ghostIds = storeGhosts(db, ghosts);
    const idOf = (key: string) => byKey.get(key)?.id ?? ghostIds.get(key)!;
    const before = new Map(db.prepare<[], { id: number; rootArchiveId: string }>('SELECT id, rootArchiveId FROM "Thread"').all().map((t) => [t.rootArchiveId, t.id]));
    const insertThread = db.prepare('INSERT INTO "Thread" (rootArchiveId, listId, subject, messageCount, firstDate, lastDate) VALUES (?, ?, ?, ?, ?, ?)');
    const updateThread = db.prepare('UPDATE "Thread" SET listId = ?, subject = ?, messageCount = ?, firstDate = ?, lastDate = ? WHERE id = ?');
    const place = db.prepare('UPDATE "Message" SET threadId = ?, parentId = ?, parentBy = ?, depth = ?, threadOrder = ? WHERE id = ?');
    const kept = new Set<number>();
    for (const t of threads) {
      const real = t.nodes.map((n) => byKey.get(n.key)).filter((r) => r !== undefined);
      const dates = real.map((r) => r.date).filter((d): d is string => d !== null).sort();
      const root = byKey.get(t.rootKey);
      const summary = [root?.listId ?? real[0]?.listId ?? null, root?.subject || real[0]?.subject || '', real.length, dates[0] ?? null, dates[dates.length - 1] ?? null] as const;
      let threadId = before.get(t.rootKey);
      if (threadId === undefined) threadId = Number(insertThread.run(t.rootKey, ...summary).lastInsertRowid);
      else updateThread.run(...summary, threadId);
      kept.add(threadId);
      t.nodes.forEach((n, order) => place.run(threadId, n.parentKey ? idOf(n.parentKey) : null, n.parentBy, n.depth, order, idOf(n.key)));
    }
    const drop = db.prepare('DELETE FROM "Thread" WHERE id = ?');
    for (const id of before.values()) if (!kept.has(id)) drop.run(id);
  })();
  return threads.length;
}

/** Ghost rows for this threading; ghosts no longer needed are dropped. Returns key -> row id. */
function storeGhosts(db: SqliteConnection, ghosts: Ghost[]): Map<string, number> {
  const old = new Map(db.prepare<[], { id: number; archiveId: string }>('SELECT id, archiveId FROM "Message" WHERE isGhost = 1').all().map((g) => [g.archiveId, g.id]));
  const insert = db.prepare('INSERT OR IGNORE INTO "Message" (archiveId, idKind, isGhost, fromName, fromAddress, dateText, date) VALUES (?, \'ghost\', 1, ?, ?, ?, ?)'); // see insertNew
  const update = db.prepare('UPDATE "Message" SET fromName = ?, fromAddress = ?, dateText = ?, date = ? WHERE id = ?');
  const ids = new Map<string, number>();
  for (const g of ghosts) {
    // A ghost's date may be the quoting writer's local time with no zone; it is kept as written in dateText too.
    const fields = [g.authorName, g.authorAddress, g.dateText, g.date ? sqlDateTime(g.date) : null] as const;
    const id = old.get(g.key);
    if (id === undefined) ids.set(g.key, insertNew(insert, g.key, ...fields));
    else {
      update.run(...fields, id);
      ids.set(g.key, id);
    }
  }
  // The connection runs without foreign keys (lib/db/sqlite.ts), so the ghost's text goes explicitly.
  const drop = db.prepare('DELETE FROM "Message" WHERE id = ?');
  const dropText = db.prepare('DELETE FROM "MessageText" WHERE messageId = ?');
  for (const [key, id] of old) {
    if (ids.has(key)) continue;
    dropText.run(id);
    drop.run(id);
  }
  return ids;
}

interface InferenceText {
  body: string;
  /** Its attributions as ingest stored them; undefined when it stored none that threading can read. */
  attributions?: readonly AttributionLine[];
}

/** The attributions stored with a body; undefined for rows stored before they were (threading then finds them itself). */
function storedAttributions(body: string, segmentsJson: string): AttributionLine[] | undefined {
  return attributionsOfSegments(body, readSegments(segmentsJson)) ?? undefined;
}

/**
 * Bodies are needed only to infer parents of mail without reply headers
 * (pipermail pages): those messages when they quote something, and the
 * messages of the authors they may quote. Loading every body would cost
 * hundreds of MB on a large archive for nothing. Their attributions are
 * read from the segments ingest stored, not parsed from the bodies again.
 */
function textsForInference(db: SqliteConnection, rows: MessageRow[]): Map<number, InferenceText> {
  const quoting = db.prepare<[], { id: number; body: string; segmentsJson: string }>(
    `SELECT m.id, t.body, t.segmentsJson FROM "Message" m JOIN "MessageText" t ON t.messageId = m.id
     WHERE m.isGhost = 0 AND m.inReplyTo IS NULL AND m.referencesJson = '[]' AND (t.body LIKE '>%' OR instr(t.body, char(10) || '>') > 0)`,
  ).all();
  const texts = new Map<number, InferenceText>();
  if (quoting.length === 0) return texts;
  const names = new Set<string>();
  const addresses = new Set<string>();
  for (const q of quoting) {
    const attributions = storedAttributions(q.body, q.segmentsJson) ?? findAttributions(q.body);
    texts.set(q.id, { body: q.body, attributions });
    for (const a of attributions) {
      if (a.depth !== 0) continue;
      if (a.name) names.add(a.name.toLowerCase());
      if (a.address) addresses.add(a.address.toLowerCase());
    }
  }
  const text = db.prepare<[number], { body: string; segmentsJson: string }>('SELECT body, segmentsJson FROM "MessageText" WHERE messageId = ?');
  for (const r of rows) {
    if (texts.has(r.id)) continue;
    if ((r.fromAddress && addresses.has(r.fromAddress.toLowerCase())) || (r.fromName && names.has(r.fromName.toLowerCase()))) {
      const t = text.get(r.id);
      const body = t?.body ?? '';
      // A candidate parent is itself inferred only when it has no reply headers either.
      const headerless = r.inReplyTo === null && r.referencesJson === '[]';
      texts.set(r.id, { body, attributions: t && headerless ? storedAttributions(body, t.segmentsJson) : undefined });
    }
  }
  return texts;
}
