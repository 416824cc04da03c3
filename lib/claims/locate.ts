// Finding the message a claim names, in the store.

import type { SqliteConnection } from '../db/sqlite';
import { sqlDateTime } from '../db/sqlite';
import type { MessageRef } from './types';

export interface MessageRow {
  id: number;
  archiveId: string;
  isGhost: number;
  body: string;
  segmentsJson: string;
}

export type Located = { ok: true; message: MessageRow } | { ok: false; message: string };

/** How far a { list, from, date } reference's date may be from the stored one (archives round differently). */
const DATE_SLACK_MS = 60_000;

const COLUMNS = `m.id, m.archiveId, m.isGhost, coalesce(t.body, '') AS body, coalesce(t.segmentsJson, '[]') AS segmentsJson`;
const WITH_TEXT = 'LEFT JOIN "MessageText" t ON t.messageId = m.id';

export function describeRef(ref: MessageRef): string {
  if ('mid' in ref) return `<${ref.mid}>`;
  if ('archiveId' in ref) return `archive id ${ref.archiveId}`;
  return `the message from ${ref.from} on ${ref.list} at ${ref.date}${ref.subject ? ` ("${ref.subject}")` : ''}`;
}

export function locateMessage(db: SqliteConnection, ref: MessageRef): Located {
  if ('mid' in ref || 'archiveId' in ref) {
    const id = 'mid' in ref ? ref.mid : ref.archiveId;
    const row = db.prepare<[string], MessageRow>(`SELECT ${COLUMNS} FROM "Message" m ${WITH_TEXT} WHERE m.archiveId = ?`).get(id);
    if (!row) return { ok: false, message: `${describeRef(ref)} is not in the archive` };
    if (row.isGhost && !row.body) return { ok: false, message: `${describeRef(ref)} is only known from replies to it (a ghost with no text)` };
    return { ok: true, message: row };
  }
  const at = Date.parse(ref.date);
  // On the list as any of the lists the message was delivered to.
  const where = `FROM "Message" m ${WITH_TEXT}
    WHERE m.id IN (SELECT ml.messageId FROM "MessageList" ml JOIN "List" l ON l.id = ml.listId WHERE l.name = @list) AND m.isGhost = 0 AND (lower(m.fromAddress) = lower(@from) OR lower(m.fromName) = lower(@from))
      AND (@subject IS NULL OR instr(lower(m.subject), lower(@subject)) > 0)`;
  const params = { list: ref.list, from: ref.from, subject: ref.subject ?? null, lo: sqlDateTime(new Date(at - DATE_SLACK_MS)), hi: sqlDateTime(new Date(at + DATE_SLACK_MS)), at: sqlDateTime(new Date(at)) };
  const rows = db.prepare<[typeof params], MessageRow & { date: string }>(`SELECT ${COLUMNS}, m.date ${where} AND m.date BETWEEN @lo AND @hi`).all(params);
  if (rows.length === 1) return { ok: true, message: rows[0]! };
  if (rows.length > 1) {
    return { ok: false, message: `${describeRef(ref)} is ambiguous: ${rows.map((r) => `${r.archiveId} (${r.date})`).join(', ')}; add "subject" or name it by mid/archiveId` };
  }
  const near = db.prepare<[typeof params], { archiveId: string; date: string }>(
    `SELECT m.archiveId, m.date ${where} AND m.date IS NOT NULL ORDER BY abs(julianday(m.date) - julianday(@at)) LIMIT 3`,
  ).all(params);
  return {
    ok: false,
    message: `${describeRef(ref)} is not in the archive${near.length ? `; nearest from that sender on that list: ${near.map((r) => `${r.archiveId} (${r.date})`).join(', ')}` : ''}`,
  };
}
