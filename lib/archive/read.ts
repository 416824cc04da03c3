// What the pages read. Each function is one question a reader asks of the
// archive; the pages render the answers and hold no queries of their own.
import type { Database } from '../db/client';
import { unpackRaw } from '../db/raw';

export const THREADS_PER_PAGE = 50;

const messageFields = {
  id: true, archiveId: true, idKind: true, isGhost: true, subject: true, fromName: true, fromAddress: true,
  date: true, dateText: true, parentId: true, depth: true, threadOrder: true, threadId: true,
  list: { select: { name: true } },
} as const;

export async function listsWithLatestThreads(db: Database, perList = 5) {
  const lists = await db.list.findMany({ orderBy: { name: 'asc' } });
  return Promise.all(
    lists.map(async (list) => ({
      name: list.name,
      messageCount: await db.message.count({ where: { listId: list.id, isGhost: false } }),
      threadCount: await db.thread.count({ where: { listId: list.id } }),
      latest: await db.thread.findMany({
        where: { listId: list.id },
        orderBy: [{ lastDate: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }],
        take: perList,
      }),
    })),
  );
}

export async function threadsOfList(db: Database, listName: string, page: number) {
  const list = await db.list.findUnique({ where: { name: listName } });
  if (!list) return null;
  const total = await db.thread.count({ where: { listId: list.id } });
  const pages = Math.max(1, Math.ceil(total / THREADS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  const threads = await db.thread.findMany({
    where: { listId: list.id },
    orderBy: [{ lastDate: { sort: 'desc', nulls: 'last' } }, { id: 'desc' }],
    skip: (current - 1) * THREADS_PER_PAGE,
    take: THREADS_PER_PAGE,
  });
  return { list: list.name, total, page: current, pages, threads };
}

/** A message (or ghost) by its archive id, if it belongs to `listName`. */
export async function messageInList(db: Database, listName: string, archiveId: string) {
  const message = await db.message.findUnique({
    where: { archiveId },
    include: { list: true, attachments: { select: { id: true, filename: true, contentType: true, size: true, sha256: true } }, _count: { select: { copies: true } } },
  });
  if (!message) return null;
  // Ghosts have no list of their own; they are shown in their thread's.
  const listOf = message.list?.name ?? (message.threadId ? (await db.thread.findUnique({ where: { id: message.threadId }, include: { list: true } }))?.list?.name : null);
  return listOf === listName ? message : null;
}

/** Every node of a thread in thread order, bodies included when asked. */
export async function threadMessages(db: Database, threadId: number, withBodies: boolean) {
  return db.message.findMany({
    where: { threadId },
    orderBy: { threadOrder: 'asc' },
    select: { ...messageFields, ...(withBodies ? { body: true, toJson: true, ccJson: true } : {}) },
  });
}

export async function threadById(db: Database, threadId: number) {
  return db.thread.findUnique({ where: { id: threadId }, include: { list: true } });
}

/** The original bytes of a message, or null for an unknown id or a ghost. */
export async function rawMessage(db: Database, listName: string, archiveId: string) {
  const m = await messageInList(db, listName, archiveId);
  const raw = m && (await db.messageRaw.findUnique({ where: { messageId: m.id } }));
  return raw ? unpackRaw(raw.bytes, raw.encoding) : null;
}
