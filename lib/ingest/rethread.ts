import { later, writing, type Connection } from '../db/connection';
import { threadingStatements, type HeaderRow, type Scope, type ThreadingRow as MessageRow } from '../db/threading';
import { sqlDateTime } from '../db/sqlite';
import { queueForLinking } from '../db/link-queue';
import { threadMessages } from '../thread';
import { attributionKeys, authorKeys, inCandidateWindow } from '../thread/infer-parent';
import { findAttributions, type AttributionLine } from '../quote/find-attributions';
import { attributionsOfSegments } from '../quote/segment-attributions';
import { readSegments } from '../quote/stored';
import type { ThreadInput, Ghost } from '../thread/types';

/**
 * Threads the whole archive again and stores the result: each message's
 * thread, parent and position; ghosts for parents never seen; one Thread row
 * per tree, keyed by its root so that ids survive re-threading. Threading is
 * global, not per list, as a cross-posted reply belongs with its parent.
 */
export function rethread(db: Connection, owed?: OwedThreading): boolean {
  const rows = threadingStatements(db).messages.all();
  return storeThreading(db, rows, textsForInference(db, rows), null, owed);
}

/**
 * Threading done as owed (lib/db/owed-work.ts): checked in the transaction that
 * stores it, as the rows were read before. `stale`: another writer stored mail since;
 * nothing is stored then. `settled`: done, in that transaction.
 */
export interface OwedThreading {
  stale(): boolean;
  settled(): void;
}

/**
 * Re-threads only what the messages stored since the last threading (LinkQueue) can
 * change, for a sync that adds a few to a large archive: the threads they join are
 * those holding a message or ghost they name (their ids, In-Reply-To, References) or
 * a message naming one of their ids or references (a ghost JWZ pruned has no row).
 * Threads are the connected parts of that graph, so those threads and the new mail
 * thread exactly as they would in the whole archive; replies whose parents are inferred
 * bring the threads of every message that could be their parent. Returns null when the
 * scope turns out not to be closed after all (see below): the whole archive must be
 * threaded then.
 */
export function rethreadQueued(db: Connection, owed?: OwedThreading): boolean | null {
  const sql = threadingStatements(db);
  const queued = new Set(sql.queued.all().map((r) => r.id));
  if (queued.size === 0) {
    // Nothing to thread: done as owed, unless another writer has stored mail since.
    return writing(db, () => {
      if (owed?.stale()) return false;
      owed?.settled();
      return true;
    });
  }
  // One narrow pass over the archive's reply headers and authors: a ghost pruned from a
  // thread leaves no row to find it by.
  const all = sql.headers.all();
  const named = new Set<string>();
  for (const r of all) {
    if (!queued.has(r.id)) continue;
    named.add(r.archiveId);
    if (r.inReplyTo) named.add(r.inReplyTo);
    for (const ref of JSON.parse(r.referencesJson) as string[]) named.add(ref);
  }
  const threads = new Set<number>();
  for (const r of all) {
    if (r.threadId === null) continue;
    if (named.has(r.archiveId) || (r.inReplyTo !== null && named.has(r.inReplyTo)) || (r.referencesJson !== '[]' && (JSON.parse(r.referencesJson) as string[]).some((ref) => named.has(ref)))) {
      threads.add(r.threadId);
    }
  }
  // Replies without reply headers have their parents inferred among the whole archive's mail,
  // by author and date (lib/thread/infer-parent.ts). Such a reply in scope, or one that new
  // mail may be the parent of, brings its thread and the threads of all its candidates; until
  // nothing more comes in.
  const replies = inferredReplies(db);
  const inScope = (r: HeaderRow) => queued.has(r.id) || (r.threadId !== null && threads.has(r.threadId));
  if (replies.length > 0) {
    const byId = new Map(all.map((r) => [r.id, r]));
    // Only the authors the replies name are indexed.
    const byAuthor = new Map<string, HeaderRow[]>();
    for (const reply of replies) for (const a of reply.attributions) for (const key of attributionKeys(a)) byAuthor.set(key, []);
    for (const r of all) {
      if (r.isGhost === 1) continue;
      for (const key of authorKeys(r)) byAuthor.get(key)?.push(r);
    }
    const candidates = new Map(
      replies.map((reply) => [reply.id, reply.attributions.flatMap((a) => attributionKeys(a).flatMap((key) => byAuthor.get(key)!.filter((r) => inCandidateWindow(a, reply, r.date))))]),
    );
    const done = new Set<number>();
    for (let grew = true; grew; ) {
      grew = false;
      for (const reply of replies) {
        const own = byId.get(reply.id);
        if (done.has(reply.id) || !own) continue;
        const could = candidates.get(reply.id)!;
        if (!inScope(own) && !could.some((r) => queued.has(r.id))) continue;
        done.add(reply.id);
        grew = true;
        for (const r of [own, ...could]) if (r.threadId !== null) threads.add(r.threadId);
      }
    }
  }
  const ids = all.filter((r) => r.isGhost === 0 && inScope(r)).map((r) => r.id);
  const rows = sql.messagesIn.all(JSON.stringify(ids));
  const texts = textsForInference(db, rows, replies);
  try {
    return storeThreading(db, rows, texts, [...threads], owed);
  } catch {
    // A ghost or root key held outside the scope (which the reasoning above rules out) rolls the
    // transaction back: threading the whole archive is then the exact answer.
    return null;
  }
}

/**
 * Threads `rows` and stores the result in place of `scope`'s threads (null: all of
 * them). A message whose parent changed is queued to have its quotes linked again.
 */
function storeThreading(db: Connection, rows: MessageRow[], texts: Map<number, InferenceText>, scope: number[] | null, owed?: OwedThreading): boolean {
  // Where headers disagree (a cycle, an id claimed twice), JWZ keeps the first claim: inputs go in
  // by date, then id, so that the threads do not depend on the order mail was ingested in.
  rows.sort((a, b) => (a.date ?? '').localeCompare(b.date ?? '') || (a.archiveId < b.archiveId ? -1 : a.archiveId > b.archiveId ? 1 : 0));
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
  const sql = threadingStatements(db);

  return writing(db, () => {
    if (owed?.stale()) return false;
    const ghostIds = storeGhosts(db, ghosts, scope);
    const idOf = (key: string) => byKey.get(key)?.id ?? ghostIds.get(key)!;
    const before = new Map(sql.threads(scope).map((t) => [t.rootArchiveId, t.id]));
    const parents = new Map(sql.parents(scope).map((m) => [m.id, m.parentId]));
    const kept = new Set<number>();
    for (const t of threads) {
      const real = t.nodes.map((n) => byKey.get(n.key)).filter((r) => r !== undefined);
      const dates = real.map((r) => r.date).filter((d): d is string => d !== null).sort();
      const root = byKey.get(t.rootKey);
      const summary = [root?.listId ?? real[0]?.listId ?? null, root?.subject || real[0]?.subject || '', real.length, dates[0] ?? null, dates[dates.length - 1] ?? null] as const;
      // Out of scope only when a new message's thread takes a root key a thread had before it was merged away.
      let threadId = before.get(t.rootKey) ?? (scope === null ? undefined : sql.threadByRoot.get(t.rootKey)?.id);
      if (threadId === undefined) threadId = sql.insertThread.insert(t.rootKey, ...summary);
      else later(sql.updateThread, ...summary, threadId);
      kept.add(threadId);
      t.nodes.forEach((n, order) => {
        const id = idOf(n.key);
        const parentId = n.parentKey ? idOf(n.parentKey) : null;
        later(sql.place, threadId, parentId, n.parentBy, n.depth, order, id);
        if (parents.has(id) && parents.get(id) !== parentId) queueForLinking(db, id);
      });
    }
    for (const id of before.values()) if (!kept.has(id)) later(sql.dropThread, id);
    // A thread is in every list one of its messages is in (MessageList), so that a list's page shows the cross-posted threads it had a part in, whole.
    sql.refileThreads(scope === null ? null : [...new Set([...scope, ...kept])]);
    owed?.settled();
    return true;
  });
}

/** The lists of every thread again: after mail already stored was filed under another list, or taken out of one. */
export function refreshThreadLists(db: Connection, settled?: () => void): void {
  writing(db, () => {
    threadingStatements(db).refileThreads(null);
    settled?.();
  });
}

/** Ghost rows for this threading (of the scope's threads); ghosts no longer needed are dropped. Returns key -> row id. */
function storeGhosts(db: Connection, ghosts: Ghost[], scope: Scope): Map<string, number> {
  const sql = threadingStatements(db);
  const old = new Map(sql.ghosts(scope).map((g) => [g.archiveId, g.id]));
  const ids = new Map<string, number>();
  for (const g of ghosts) {
    // A ghost's date may be the quoting writer's local time with no zone; it is kept as written in dateText too.
    const fields = [g.authorName, g.authorAddress, g.dateText, g.date ? sqlDateTime(g.date) : null] as const;
    const id = old.get(g.key);
    if (id === undefined) ids.set(g.key, sql.insertGhost.insert(g.key, ...fields));
    else {
      later(sql.updateGhost, ...fields, id);
      ids.set(g.key, id);
    }
  }
  for (const [key, id] of old) {
    if (ids.has(key)) continue;
    later(sql.dropText, id);
    later(sql.dropMessage, id);
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


/** A reply without reply headers that quotes: its parent is inferred from its attributions. */
interface InferredReply {
  id: number;
  date: string | null;
  body: string;
  attributions: readonly AttributionLine[];
}

function inferredReplies(db: Connection): InferredReply[] {
  return threadingStatements(db).inferred.all().map((q) => ({ id: q.id, date: q.date, body: q.body, attributions: storedAttributions(q.body, q.segmentsJson) ?? findAttributions(q.body) }));
}

/**
 * Bodies are needed only to infer parents of mail without reply headers
 * (pipermail pages): those messages when they quote something, and the
 * messages of the authors they may quote. Loading every body would cost
 * hundreds of MB on a large archive for nothing. Their attributions are
 * read from the segments ingest stored, not parsed from the bodies again.
 */
function textsForInference(db: Connection, rows: MessageRow[], replies: InferredReply[] = inferredReplies(db)): Map<number, InferenceText> {
  const texts = new Map<number, InferenceText>();
  if (replies.length === 0) return texts;
  const names = new Set<string>();
  const addresses = new Set<string>();
  for (const q of replies) {
    texts.set(q.id, { body: q.body, attributions: q.attributions });
    for (const a of q.attributions) {
      if (a.depth !== 0) continue;
      if (a.name) names.add(a.name.toLowerCase());
      if (a.address) addresses.add(a.address.toLowerCase());
    }
  }
  const text = threadingStatements(db).text;
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
