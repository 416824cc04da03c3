// What the pages read. Each function is one question a reader asks of the
// archive; the pages render the answers and hold no queries of their own.
import { readSegments } from '../quote/stored';
import type { Database } from '../db/client';
import { rawBytes } from '../db/raw';
import type { LinkResult } from '../claims/types';
import { blocksOf, type QuoteOf, type QuotedBy } from './reading';

export const THREADS_PER_PAGE = 50;

const messageFields = {
  id: true, archiveId: true, idKind: true, claimedId: true, isGhost: true, subject: true, fromName: true, fromAddress: true,
  date: true, dateText: true, parentId: true, depth: true, threadOrder: true, threadId: true,
  list: { select: { name: true } },
  lists: { select: { list: { select: { name: true } } }, orderBy: { listId: 'asc' } },
} as const;

const newestFirst = [{ lastDate: { sort: 'desc', nulls: 'last' } }, { threadId: 'desc' }] as const;

/** The names of the lists a message is in (MessageList), first stored under first. */
export function listNames(m: { list: { name: string } | null; lists: Array<{ list: { name: string } }> }): string[] {
  const names = m.lists.map((l) => l.list.name);
  const home = m.list?.name;
  return home && names.includes(home) ? [home, ...names.filter((n) => n !== home)] : names;
}

/**
 * Whether a message is served under `listName`: it is when it was delivered to
 * that list (any of its lists: a cross-posted message's permalink works under
 * each); a ghost, which has none, is in its thread's lists.
 */
async function servedUnder(db: Database, listName: string, m: { id: number; threadId: number | null }): Promise<boolean> {
  const list = await db.list.findUnique({ where: { name: listName }, select: { id: true } });
  if (!list) return false;
  if (await db.messageList.findUnique({ where: { messageId_listId: { messageId: m.id, listId: list.id } }, select: { listId: true } })) return true;
  if (m.threadId === null || (await db.messageList.count({ where: { messageId: m.id } })) > 0) return false;
  return (await db.threadList.findUnique({ where: { threadId_listId: { threadId: m.threadId, listId: list.id } }, select: { listId: true } })) !== null;
}

export async function listsWithLatestThreads(db: Database, perList = 5) {
  // Counted for all lists at once: two counts per list were two thirds of the home page's queries.
  const [lists, messages, threads] = await Promise.all([
    db.list.findMany({ orderBy: { name: 'asc' } }),
    db.messageList.groupBy({ by: ['listId'], _count: { _all: true } }),
    db.threadList.groupBy({ by: ['listId'], _count: { _all: true } }),
  ]);
  const messageCount = new Map(messages.map((r) => [r.listId, r._count._all]));
  const threadCount = new Map(threads.map((r) => [r.listId, r._count._all]));
  return Promise.all(
    lists.map(async (list) => ({
      name: list.name,
      messageCount: messageCount.get(list.id) ?? 0,
      threadCount: threadCount.get(list.id) ?? 0,
      latest: (await db.threadList.findMany({ where: { listId: list.id }, orderBy: [...newestFirst], take: perList, select: { thread: true } })).map((t) => t.thread),
    })),
  );
}

/**
 * The threads with the most claims, each with its verdicts counted and the
 * message holding most of them (a real message: its permalink is stable).
 */
export async function annotatedThreads(db: Database, take = 3) {
  const claims = await db.claim.findMany({
    select: { verdict: true, message: { select: { archiveId: true, threadId: true, list: { select: { name: true } } } } },
  });
  const byThread = new Map<number, { verdicts: Record<string, number>; claims: number; messages: Map<string, { list: string; n: number }> }>();
  for (const c of claims) {
    const { threadId, archiveId, list } = c.message;
    if (threadId === null || !list) continue;
    const t = byThread.get(threadId) ?? { verdicts: {} as Record<string, number>, claims: 0, messages: new Map<string, { list: string; n: number }>() };
    t.claims++;
    t.verdicts[c.verdict] = (t.verdicts[c.verdict] ?? 0) + 1;
    const m = t.messages.get(archiveId) ?? { list: list.name, n: 0 };
    m.n++;
    t.messages.set(archiveId, m);
    byThread.set(threadId, t);
  }
  const top = [...byThread].sort((a, b) => b[1].claims - a[1].claims).slice(0, take);
  const threads = await db.thread.findMany({ where: { id: { in: top.map(([id]) => id) } } });
  return top.flatMap(([id, t]) => {
    const thread = threads.find((x) => x.id === id);
    const [archiveId, m] = [...t.messages].sort((a, b) => b[1].n - a[1].n)[0]!;
    return thread ? [{ thread, claims: t.claims, verdicts: t.verdicts, list: m.list, archiveId }] : [];
  });
}

export async function threadsOfList(db: Database, listName: string, page: number) {
  const list = await db.list.findUnique({ where: { name: listName } });
  if (!list) return null;
  const total = await db.threadList.count({ where: { listId: list.id } });
  const pages = Math.max(1, Math.ceil(total / THREADS_PER_PAGE));
  const current = Math.min(Math.max(1, page), pages);
  const threads = (
    await db.threadList.findMany({
      where: { listId: list.id },
      orderBy: [...newestFirst],
      skip: (current - 1) * THREADS_PER_PAGE,
      take: THREADS_PER_PAGE,
      select: { thread: true },
    })
  ).map((t) => t.thread);
  return { list: list.name, total, page: current, pages, threads };
}

/** A message (or ghost) by its archive id, if it belongs to `listName`. */
export async function messageInList(db: Database, listName: string, archiveId: string) {
  const message = await db.message.findUnique({
    where: { archiveId },
    include: {
      list: true,
      lists: { select: { list: { select: { name: true } } }, orderBy: { listId: 'asc' } },
      attachments: { select: { id: true, filename: true, contentType: true, size: true, sha256: true } },
      _count: { select: { copies: true } },
    },
  });
  return message && (await servedUnder(db, listName, message)) ? message : null;
}

/** Every node of a thread in thread order, without bodies: the reply tree. */
export async function threadMessages(db: Database, threadId: number) {
  return db.message.findMany({ where: { threadId }, orderBy: { threadOrder: 'asc' }, select: messageFields });
}

/** A message's thread, in one query, if the message belongs to `listName` (a ghost belongs to its thread's list). */
export async function threadOfMessage(db: Database, listName: string, archiveId: string) {
  const m = await db.message.findUnique({
    where: { archiveId },
    select: { id: true, archiveId: true, threadId: true, thread: { include: { list: true } } },
  });
  if (!m?.thread || !(await servedUnder(db, listName, m))) return null;
  return { message: { id: m.id, archiveId: m.archiveId }, thread: m.thread };
}

export async function threadById(db: Database, threadId: number) {
  return db.thread.findUnique({ where: { id: threadId }, include: { list: true } });
}

/** The original bytes of a message, or null for an unknown id or a ghost. */
export async function rawMessage(db: Database, listName: string, archiveId: string) {
  const m = await messageInList(db, listName, archiveId);
  const raw = m && (await db.messageRaw.findUnique({ where: { messageId: m.id }, select: { blockId: true, start: true, length: true } }));
  if (!raw) return null;
  return {
    /** The SHA-256 of the bytes, stored with them (null on rows from before it was): names them without reading them. */
    sha256: m.rawSha256,
    bytes: async () => rawBytes({ ...raw, block: await db.rawBlock.findUniqueOrThrow({ where: { id: raw.blockId } }) }),
  };
}

/**
 * Messages as the pages read them: each body split into blocks, where its
 * quotes come from and who quotes it; `directory` names every message a
 * link points at, inside or outside the set, so pages can link to it.
 */
async function readingOf(db: Database, where: { threadId: number } | { id: number }) {
  const messages = await db.message.findMany({
    where,
    orderBy: { threadOrder: 'asc' },
    select: { ...messageFields, text: { select: { body: true, segmentsJson: true } } },
  });
  const ids = messages.map((m) => m.id);
  const links = await db.quoteLink.findMany({
    where: { OR: [{ messageId: { in: ids } }, { sourceId: { in: ids } }] },
    select: { id: true, messageId: true, segment: true, sourceId: true, sourceStart: true, sourceEnd: true, match: true, score: true },
  });
  const claims = await db.claim.findMany({
    where: { messageId: { in: ids } },
    orderBy: { start: 'asc' },
    select: { id: true, key: true, messageId: true, start: true, end: true, exact: true, claimant: true, statement: true, kind: true, verdict: true, scenariosJson: true },
  });
  const shown = new Set(ids);
  const outside = [...new Set(links.flatMap((l) => [l.messageId, l.sourceId]).filter((id): id is number => id !== null && !shown.has(id)))];
  const others = outside.length
    ? await db.message.findMany({ where: { id: { in: outside } }, select: { id: true, fromName: true, fromAddress: true, archiveId: true, threadId: true, list: { select: { name: true } } } })
    : [];
  const directory = new Map([...messages, ...others].map((m) => [m.id, { author: authorOf(m), archiveId: m.archiveId, list: m.list?.name ?? null, threadId: m.threadId }]));
  // Grouped once: filtering every link for every message was quadratic in a long thread.
  const linksOf = groupBy(links, (l) => l.messageId);
  const linksTo = groupBy(links, (l) => l.sourceId);
  const claimsOf = groupBy(claims, (c) => c.messageId);
  const read = messages.map(({ text, ...m }) => {
    const quotes: QuoteOf[] = (linksOf.get(m.id) ?? [])
      .map((l) => ({ linkId: l.id, segment: l.segment, sourceId: l.sourceId, sourceAuthor: l.sourceId === null ? null : directory.get(l.sourceId)?.author ?? null, match: l.match as QuoteOf['match'], score: l.score }));
    const quotedBy: QuotedBy[] = (linksTo.get(m.id) ?? [])
      .filter((l) => l.sourceStart !== null && l.sourceEnd !== null)
      .map((l) => ({ linkId: l.id, start: l.sourceStart!, end: l.sourceEnd!, messageId: l.messageId, segment: l.segment, author: directory.get(l.messageId)?.author ?? 'someone' }));
    const own = (claimsOf.get(m.id) ?? []).map(({ scenariosJson, ...c }) => ({ ...c, links: JSON.parse(scenariosJson) as LinkResult[] }));
    return { ...m, inLists: listNames(m), quotes, quotedBy, claims: own, blocks: blocksOf(text?.body ?? '', readSegments(text?.segmentsJson ?? '[]'), quotes, quotedBy, own) };
  });
  return { messages: read, directory };
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** The claims shown on a thread's page (or a message's), in the page's order: by message, then by where their words start. */
export async function claimsOnPage(db: Database, where: { threadId: number } | { id: number }) {
  const claims = await db.claim.findMany({
    where: { message: where },
    orderBy: [{ message: { threadOrder: 'asc' } }, { start: 'asc' }],
    select: { id: true, key: true, claimant: true, statement: true, kind: true, verdict: true, scenariosJson: true },
  });
  return claims.map(({ scenariosJson, ...c }) => ({ ...c, links: JSON.parse(scenariosJson) as LinkResult[] }));
}

/** A whole thread, in thread order, as its page reads it. */
export const threadReading = (db: Database, threadId: number) => readingOf(db, { threadId });
/** One message as its permalink page reads it. */
export const messageReading = (db: Database, id: number) => readingOf(db, { id });

export type Reading = Awaited<ReturnType<typeof readingOf>>;

export function authorOf(m: { fromName: string | null; fromAddress: string | null }): string {
  return m.fromName ?? m.fromAddress ?? 'someone';
}
