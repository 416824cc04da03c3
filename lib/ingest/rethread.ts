import type { Database } from '../db/client';
import { insertRows, sqlDateTime, updateRowsById } from '../db/bulk';
import { threadMessages } from '../thread';
import type { ThreadInput, Ghost } from '../thread/types';
import { findAttributions } from '../thread/attribution';

/**
 * Threads the whole archive again and stores the result: each message's
 * thread, parent and position; ghosts for parents never seen; one Thread row
 * per tree, keyed by its root so that ids survive re-threading. Threading is
 * global, not per list, as a cross-posted reply belongs with its parent.
 */
interface MessageRow {
  id: number;
  archiveId: string;
  idKind: string;
  inReplyTo: string | null;
  referencesJson: string;
  subject: string;
  date: Date | null;
  fromName: string | null;
  fromAddress: string | null;
  listId: number | null;
}

export async function rethread(db: Database): Promise<number> {
  // Raw SQL: Prisma's row mapping costs more than the threading itself at 50k messages.
  const rows = (await db.$queryRawUnsafe<MessageRow[]>(
    'SELECT id, archiveId, idKind, inReplyTo, referencesJson, subject, date, fromName, fromAddress, listId FROM "Message" WHERE isGhost = 0',
  )).map((r) => ({ ...r, id: Number(r.id), listId: r.listId === null ? null : Number(r.listId), date: r.date ? new Date(r.date) : null }));
  const bodies = await bodiesForInference(db, rows);
  const inputs: ThreadInput[] = rows.map((r) => ({
    key: r.archiveId,
    messageId: r.idKind === 'header' ? r.archiveId : null,
    inReplyTo: r.inReplyTo,
    references: JSON.parse(r.referencesJson) as string[],
    subject: r.subject,
    date: r.date?.toISOString() ?? null,
    fromName: r.fromName,
    fromAddress: r.fromAddress,
    body: bodies.get(r.id) ?? '',
  }));
  const { threads, ghosts } = threadMessages(inputs);

  const byKey = new Map(rows.map((r) => [r.archiveId, r]));
  await db.$transaction(
    async (tx) => {
      const ghostIds = await storeGhosts(tx as unknown as Database, ghosts);
      const idOf = (key: string) => byKey.get(key)?.id ?? ghostIds.get(key)!;

      const summaries = threads.map((t) => {
        const real = t.nodes.map((n) => byKey.get(n.key)).filter((r) => r !== undefined);
        const dates = real.map((r) => r.date).filter((d): d is Date => d !== null).sort((a, b) => a.getTime() - b.getTime());
        const first = real[0];
        return {
          rootArchiveId: t.rootKey,
          listId: byKey.get(t.rootKey)?.listId ?? first?.listId ?? null,
          subject: byKey.get(t.rootKey)?.subject || first?.subject || '',
          messageCount: real.length,
          firstDate: dates[0] ?? null,
          lastDate: dates[dates.length - 1] ?? null,
        };
      });
      const before = new Map((await tx.$queryRawUnsafe<{ id: number | bigint; rootArchiveId: string }[]>('SELECT id, rootArchiveId FROM "Thread"'))
        .map((t) => [t.rootArchiveId, Number(t.id)]));
      const keep = new Set(summaries.map((s) => s.rootArchiveId));
      const gone = [...before].filter(([k]) => !keep.has(k)).map(([, id]) => id);
      if (gone.length) await tx.$executeRawUnsafe('DELETE FROM "Thread" WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(gone));
      const columns = ['rootArchiveId', 'listId', 'subject', 'messageCount', 'firstDate', 'lastDate'];
      const row = (s: (typeof summaries)[number]) => [s.rootArchiveId, s.listId, s.subject, s.messageCount, sqlDateTime(s.firstDate), sqlDateTime(s.lastDate)];
      const made = await insertRows(tx, 'Thread', columns, summaries.filter((s) => !before.has(s.rootArchiveId)).map(row), 'rootArchiveId');
      await updateRowsById(tx, 'Thread', columns.slice(1), summaries.filter((s) => before.has(s.rootArchiveId)).map((s) => [before.get(s.rootArchiveId), ...row(s).slice(1)]));
      const threadIdOf = new Map([...before, ...made.map((t) => [t.key, t.id] as const)]);

      const placed = threads.flatMap((t, ti) =>
        t.nodes.map((n, order) => [idOf(n.key), threadIdOf.get(summaries[ti].rootArchiveId), n.parentKey ? idOf(n.parentKey) : null, n.parentBy, n.depth, order]),
      );
      await updateRowsById(tx, 'Message', ['threadId', 'parentId', 'parentBy', 'depth', 'threadOrder'], placed);
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
  return threads.length;
}

/** Ghost rows for this threading; ghosts no longer needed are dropped. Returns key -> row id. */
async function storeGhosts(tx: Database, ghosts: Ghost[]): Promise<Map<string, number>> {
  const old = new Map((await tx.$queryRawUnsafe<{ id: number | bigint; archiveId: string }[]>('SELECT id, archiveId FROM "Message" WHERE isGhost = 1'))
    .map((g) => [g.archiveId, Number(g.id)]));
  const wanted = new Set(ghosts.map((g) => g.key));
  const gone = [...old].filter(([k]) => !wanted.has(k)).map(([, id]) => id);
  if (gone.length) await tx.$executeRawUnsafe('DELETE FROM "Message" WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(gone));
  const columns = ['archiveId', 'idKind', 'isGhost', 'fromName', 'fromAddress', 'dateText', 'date'];
  const row = (g: Ghost) => [g.key, 'ghost', true, g.authorName, g.authorAddress, g.dateText, sqlDateTime(g.date ? new Date(g.date) : null)];
  const made = await insertRows(tx, 'Message', columns, ghosts.filter((g) => !old.has(g.key)).map(row), 'archiveId');
  await updateRowsById(tx, 'Message', columns.slice(3), ghosts.filter((g) => old.has(g.key)).map((g) => [old.get(g.key), ...row(g).slice(3)]));
  return new Map([...old].filter(([k]) => wanted.has(k)).concat(made.map((m) => [m.key, m.id])));
}

/**
 * Bodies are needed only to infer parents of mail without reply headers
 * (pipermail pages): those messages when they quote something, and the
 * messages of the authors they might quote. Loading every body would cost
 * hundreds of MB on a large archive for nothing.
 */
async function bodiesForInference(
  db: Database,
  rows: { id: number; inReplyTo: string | null; referencesJson: string }[],
): Promise<Map<number, string>> {
  const headerless = rows.filter((r) => !r.inReplyTo && r.referencesJson === '[]').map((r) => r.id);
  const quoting = await db.message.findMany({
    where: { id: { in: headerless }, OR: [{ body: { startsWith: '>' } }, { body: { contains: '\n>' } }] },
    select: { id: true, body: true },
  });
  if (quoting.length === 0) return new Map();
  const authors = attributedAuthors(quoting.map((q) => q.body));
  const candidates = authors.names.length + authors.addresses.length === 0 ? [] : await db.message.findMany({
    where: { isGhost: false, OR: [{ fromAddress: { in: authors.addresses } }, { fromName: { in: authors.names } }] },
    select: { id: true, body: true },
  });
  return new Map([...quoting, ...candidates].map((m) => [m.id, m.body]));
}

/** Who the quoting messages say they quote: the authors whose mail might be the parent. */
function attributedAuthors(bodies: string[]): { names: string[]; addresses: string[] } {
  const names = new Set<string>();
  const addresses = new Set<string>();
  for (const body of bodies) {
    for (const a of findAttributions(body)) {
      if (a.depth !== 0) continue;
      if (a.name) names.add(a.name);
      if (a.address) addresses.add(a.address);
    }
  }
  return { names: [...names], addresses: [...addresses] };
}
