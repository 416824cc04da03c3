// Finding the message a claim names, in the store.

import type { Database } from '../db/client';
import type { MessageRef } from './types';

export interface MessageRow {
  id: number;
  archiveId: string;
  isGhost: boolean;
  body: string;
  segmentsJson: string;
}

export type Located = { ok: true; message: MessageRow } | { ok: false; message: string };

/** How far a { list, from, date } reference's date may be from the stored one (archives round differently). */
const DATE_SLACK_MS = 60_000;

const WITH_TEXT = { id: true, archiveId: true, isGhost: true, date: true, text: { select: { body: true, segmentsJson: true } } } as const;
const rowOf = (m: { id: number; archiveId: string; isGhost: boolean; text: { body: string; segmentsJson: string } | null }): MessageRow => ({
  id: m.id, archiveId: m.archiveId, isGhost: m.isGhost, body: m.text?.body ?? '', segmentsJson: m.text?.segmentsJson ?? '[]',
});
const dateOf = (d: Date | null) => d?.toISOString() ?? 'no date';

export function describeRef(ref: MessageRef): string {
  if ('mid' in ref) return `<${ref.mid}>`;
  if ('archiveId' in ref) return `archive id ${ref.archiveId}`;
  return `the message from ${ref.from} on ${ref.list} at ${ref.date}${ref.subject ? ` ("${ref.subject}")` : ''}`;
}

/** Through the Prisma client: the same on SQLite and PostgreSQL. */
export async function locateMessage(db: Database, ref: MessageRef): Promise<Located> {
  if ('mid' in ref || 'archiveId' in ref) {
    const id = 'mid' in ref ? ref.mid : ref.archiveId;
    const m = await db.message.findUnique({ where: { archiveId: id }, select: WITH_TEXT });
    if (!m) return { ok: false, message: `${describeRef(ref)} is not in the archive` };
    const row = rowOf(m);
    if (row.isGhost && !row.body) return { ok: false, message: `${describeRef(ref)} is only known from replies to it (a ghost with no text)` };
    return { ok: true, message: row };
  }
  const at = Date.parse(ref.date);
  // On the list as any of the lists the message was delivered to; the sender by address or name, in any case.
  const from = ref.from.toLowerCase();
  const subject = ref.subject?.toLowerCase();
  const candidates = (await db.message.findMany({
    where: { isGhost: false, lists: { some: { list: { name: ref.list } } }, date: { not: null } },
    select: { ...WITH_TEXT, fromAddress: true, fromName: true, subject: true },
  })).filter((m) => (m.fromAddress?.toLowerCase() === from || m.fromName?.toLowerCase() === from) && (!subject || m.subject.toLowerCase().includes(subject)));
  const distance = (m: { date: Date | null }) => Math.abs(m.date!.getTime() - at);
  const rows = candidates.filter((m) => distance(m) <= DATE_SLACK_MS);
  if (rows.length === 1) return { ok: true, message: rowOf(rows[0]!) };
  if (rows.length > 1) {
    return { ok: false, message: `${describeRef(ref)} is ambiguous: ${rows.map((r) => `${r.archiveId} (${dateOf(r.date)})`).join(', ')}; add "subject" or name it by mid/archiveId` };
  }
  const near = candidates.sort((a, b) => distance(a) - distance(b)).slice(0, 3);
  return {
    ok: false,
    message: `${describeRef(ref)} is not in the archive${near.length ? `; nearest from that sender on that list: ${near.map((r) => `${r.archiveId} (${dateOf(r.date)})`).join(', ')}` : ''}`,
  };
}
