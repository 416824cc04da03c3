import { createHash } from 'node:crypto';
import type { Database } from '../db/client';
import { rawBytes, unpackBlock } from '../db/raw';

/**
 * mboxrd: a `From ` separator before each message, and every body line that
 * matches /^>*From / gets one more `>`, so a reader can undo it exactly.
 */
export function toMboxrd(messages: { raw: Uint8Array; fromAddress: string | null; date: Date | null }[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of messages) {
    const when = (m.date ?? new Date(0)).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 $4');
    parts.push(Buffer.from(`From ${m.fromAddress || 'MAILER-DAEMON'} ${when}\n`));
    const text = Buffer.from(m.raw).toString('latin1').replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1');
    parts.push(Buffer.from(text.endsWith('\n') ? text : text + '\n', 'latin1'), Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/**
 * What a thread's mbox is made of, as a digest: each message's stored hash, sender and date in
 * thread order. It changes when a re-ingest adds, drops or reorders a message, and is read
 * without a block of raw bytes.
 */
export async function threadMboxVersion(db: Database, threadId: number): Promise<string> {
  const rows = await db.message.findMany({
    where: { threadId, isGhost: false, raw: { isNot: null } },
    orderBy: { threadOrder: 'asc' },
    select: { id: true, rawSha256: true, fromAddress: true, date: true },
  });
  // A row from before rawSha256 was stored is named by its id, whose bytes never change.
  const parts = rows.map((r) => [r.rawSha256 ?? `#${r.id}`, r.fromAddress ?? '', r.date?.toISOString() ?? ''].join('\t'));
  return createHash('sha256').update(parts.join('\n')).digest('base64url').slice(0, 27);
}

export async function threadMbox(db: Database, threadId: number): Promise<Buffer> {
  const rows = await db.message.findMany({
    where: { threadId, isGhost: false },
    orderBy: { threadOrder: 'asc' },
    select: { raw: { include: { block: true } }, fromAddress: true, date: true },
  });
  // Messages stored together share a block: each is unpacked once.
  const blocks = new Map<number, Buffer>();
  const unpacked = (raw: NonNullable<(typeof rows)[number]['raw']>) => {
    let bytes = blocks.get(raw.blockId);
    if (!bytes) blocks.set(raw.blockId, (bytes = unpackBlock(raw.block)));
    return bytes;
  };
  return toMboxrd(rows.flatMap((r) => (r.raw ? [{ ...r, raw: rawBytes(r.raw, unpacked(r.raw)) }] : [])));
}
