import type { Database } from '../db/client';
import { appendRows, insertRows, rowsWhereIn, sqlDateTime, updateRowsById } from '../db/bulk';
import type { ParsedMessage } from '../mail/types';
import { archiveIdOf, sha256Hex } from './archive-id';

export interface Incoming {
  parsed: ParsedMessage;
  list: string;
}

export interface BatchCounts {
  /** New messages (including ghosts that became real). */
  added: number;
  /** New copies of messages already stored (same Message-ID, another file or place). */
  duplicates: number;
  /** Copies already recorded by an earlier ingest of the same file. */
  unchanged: number;
}

type Tx = Parameters<Parameters<Database['$transaction']>[0]>[0];

const MESSAGE_COLUMNS = [
  'archiveId', 'idKind', 'isGhost', 'listId', 'subject', 'fromName', 'fromAddress', 'toJson', 'ccJson', 'date', 'dateText',
  'inReplyTo', 'referencesJson', 'body', 'bodyFromHtml', { name: 'raw', bytes: true }, 'rawSha256', 'warningsJson',
] as const;

function messageRow(archiveId: string, idKind: string, listId: number, p: ParsedMessage, rawSha256: string): unknown[] {
  return [
    archiveId, idKind, false, listId, p.subject, p.from.name, p.from.address, JSON.stringify(p.to), JSON.stringify(p.cc),
    sqlDateTime(p.date ? new Date(p.date) : null), null, p.inReplyTo, JSON.stringify(p.references), p.body, p.bodyFromHtml,
    p.raw, rawSha256, JSON.stringify(p.warnings),
  ];
}

/**
 * Stores one batch in one transaction: a crash leaves either the whole batch
 * or none of it, and a re-run skips what is already there. A copy is keyed
 * by (file, byte offset), so re-ingesting a file adds nothing.
 */
export async function storeBatch(db: Database, batch: Incoming[]): Promise<BatchCounts> {
  const counts: BatchCounts = { added: 0, duplicates: 0, unchanged: 0 };
  if (batch.length === 0) return counts;
  const keyed = batch.map((item) => ({ ...item, ...archiveIdOf(item.parsed.messageId, item.parsed.raw), rawSha256: sha256Hex(item.parsed.raw) }));
  await db.$transaction(
    async (tx) => {
      const lists = await listIds(tx, [...new Set(keyed.map((k) => k.list))]);
      const existing = new Map(
        (await rowsWhereIn<{ id: number | bigint; archiveId: string; isGhost: number | boolean }>(tx, 'id, archiveId, isGhost', 'Message', 'archiveId', [...new Set(keyed.map((k) => k.archiveId))]))
          .map((m) => [m.archiveId, { id: Number(m.id), isGhost: Boolean(m.isGhost) }]),
      );
      const seenCopies = new Set(
        (await tx.$queryRawUnsafe<{ source: string; offset: number }[]>(
          'SELECT c.source, c.offset FROM json_each(?) AS j JOIN "MessageCopy" c ON c.source = j.value ->> 0 AND c.offset = j.value ->> 1',
          JSON.stringify(keyed.map((k) => [k.parsed.source, k.parsed.offset])),
        )).map((c) => `${c.offset}\0${c.source}`),
      );

      const creates: unknown[][] = [];
      const promoted: unknown[][] = [];
      const copies: { archiveId: string; row: unknown[] }[] = [];
      const withAttachments: { archiveId: string; parsed: ParsedMessage }[] = [];
      const fresh = new Set<string>();
      for (const k of keyed) {
        const copyKey = `${k.parsed.offset}\0${k.parsed.source}`;
        if (seenCopies.has(copyKey)) {
          counts.unchanged++;
          continue;
        }
        seenCopies.add(copyKey);
        copies.push({ archiveId: k.archiveId, row: [k.parsed.source, k.parsed.offset, k.rawSha256] });
        const known = existing.get(k.archiveId);
        if ((known && !known.isGhost) || fresh.has(k.archiveId)) {
          counts.duplicates++;
          continue;
        }
        counts.added++;
        fresh.add(k.archiveId);
        if (k.parsed.attachments.length) withAttachments.push({ archiveId: k.archiveId, parsed: k.parsed });
        const row = messageRow(k.archiveId, k.idKind, lists.get(k.list)!, k.parsed, k.rawSha256);
        // A ghost met its mail: the row becomes the message in place.
        if (known) promoted.push([known.id, ...row.slice(1)]);
        else creates.push(row);
      }
      const made = await insertRows(tx, 'Message', MESSAGE_COLUMNS, creates, 'archiveId');
      await updateRowsById(tx, 'Message', MESSAGE_COLUMNS.slice(1), promoted);
      const idOf = new Map<string, number>([...[...existing].map(([k, v]) => [k, v.id] as const), ...made.map((m) => [m.key, m.id] as const)]);
      await appendRows(tx, 'MessageCopy', ['messageId', 'source', 'offset', 'rawSha256'], copies.map((c) => [idOf.get(c.archiveId), ...c.row]));
      await appendRows(tx, 'Attachment', ['messageId', 'filename', 'contentType', 'size', 'sha256', { name: 'content', bytes: true }],
        withAttachments.flatMap(({ archiveId, parsed }) => parsed.attachments.map((a) => [idOf.get(archiveId), a.filename, a.contentType, a.size, a.sha256, a.content])));
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return counts;
}

async function listIds(tx: Tx, names: string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const name of names) {
    ids.set(name, (await tx.list.upsert({ where: { name }, create: { name }, update: {}, select: { id: true } })).id);
  }
  return ids;
}
