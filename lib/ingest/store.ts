import { insertNewLater, later, writing, type Connection } from '../db/connection';
import { messageStatements, type StoredRow } from '../db/messages';
import { sqlDateTime } from '../db/sqlite';
import { queueForLinking } from '../db/link-queue';
import { owe } from '../db/owed-work';
import type { ParsedMessage } from '../mail/types';
import { archiveIdOf } from './archive-id';
import { contentKey } from './same-content';
import { removeFromList } from './removal';
import { compareCopies, incomingContent, replaceBytes, storedContent } from './replacement';
import type { StoredForm } from './stored-form';
import type { PackedBlock } from '../db/raw';
import { readSegments } from '../quote/stored';

export interface Incoming {
  /** Without its bytes: the stored form has them, packed. */
  parsed: Omit<ParsedMessage, 'raw'>;
  stored: StoredForm;
  list: string;
  /** The archive removed this message from `list` (public-inbox): taken out, not stored. */
  removal?: true;
}

/** A stored copy cut short (or without text) that a complete copy, from `source` at `offset`, replaced. */
export interface Replaced {
  archiveId: string;
  source: string;
  offset: number;
}

/** A message stored under a derived id: another message with other content had its Message-ID already. */
export interface ReusedId {
  claimedId: string;
  storedAs: string;
  source: string;
  offset: number;
}

export interface BatchCounts {
  /** New messages (including ghosts that became real). */
  added: number;
  /** New copies of messages already stored (same Message-ID and content, another file or place). */
  duplicates: number;
  /** Copies already recorded by an earlier ingest of the same file. */
  unchanged: number;
  /** Messages already stored that are now in one more list (a cross-posted copy from another list). */
  listed: number;
  reused: ReusedId[];
  replaced: Replaced[];
  /** Removals: messages taken out of the archive, out of one list only (still in others), and removals of nothing stored. */
  removed: number;
  unlisted: number;
  removalsUnmatched: Array<{ source: string; offset: number; reason: string }>;
}

export const noCounts = (): BatchCounts => ({ added: 0, duplicates: 0, unchanged: 0, listed: 0, reused: [], replaced: [], removed: 0, unlisted: 0, removalsUnmatched: [] });

/**
 * The RawBlock row of each block stored, by connection: a block's messages may be
 * stored by two batches. Only rows of batches whose transaction went through are here.
 */
const storedBlocks = new WeakMap<Connection, WeakMap<PackedBlock, number>>();

/**
 * Stores one batch in one transaction: a crash leaves either the whole batch
 * or none of it, and a re-run skips what is already there. A copy is keyed
 * by (file, byte offset), so re-ingesting a file adds nothing. Every copy
 * files its message under its list too.
 *
 * A Message-ID already stored with other content (contentKey) does not make a
 * duplicate: the message is stored under an id derived from its bytes, idKind
 * "reused", with claimedId the id it carried, and reported (public-inbox keeps
 * both too). Its replies still thread under the first. Unless one of the two is the
 * other cut short (replacement.ts): a complete copy takes the place of a truncated
 * one stored before it, and a truncated copy met after the complete one is a duplicate.
 */
export function storeBatch(db: Connection, batch: Incoming[]): BatchCounts {
  const counts = noCounts();
  if (batch.length === 0) return counts;
  const sql = messageStatements(db);
  const keyed = batch.map((item) => ({ ...item, ...archiveIdOf(item.parsed.messageId, item.stored.rawSha256) }));
  const committed = storedBlocks.get(db) ?? new WeakMap<PackedBlock, number>();
  storedBlocks.set(db, committed);
  // A block goes in with the first of its messages stored: none of them new, none of it.
  const fresh = new Map<PackedBlock, number>();
  const blockId = (block: PackedBlock) => {
    let id = committed.get(block) ?? fresh.get(block);
    if (id === undefined) fresh.set(block, (id = sql.insertBlock.insert(block.bytes, block.encoding)));
    return id;
  };

  writing(db, () => {
    const listIds = new Map<string, number>();
    const listId = (name: string) => {
      let id = listIds.get(name);
      if (id === undefined) {
        sql.insertList.run(name);
        listIds.set(name, (id = sql.list.get(name)!.id));
      }
      return id;
    };
    // Stored before the batch, read at once; what the batch itself stores is read from the store as it goes.
    const before = new Map(sql.messages.all(JSON.stringify([...new Set(keyed.map((k) => k.archiveId))])).map((m) => [m.archiveId, m]));
    const copiesBefore = new Map(sql.copies.all(JSON.stringify(keyed.map((k) => [k.parsed.source, k.parsed.offset]))).map((c) => [`${c.offset} ${c.source}`, c]));
    const touched = new Set<string>();
    const copiesTouched = new Set<string>();
    const storedMessage = (archiveId: string) => (touched.has(archiveId) ? sql.message.get(archiveId) : before.get(archiveId));
    const storedCopy = (source: string, offset: number) => {
      const key = `${offset} ${source}`;
      if (copiesTouched.has(key)) return sql.copy.get(source, offset);
      copiesTouched.add(key);
      return copiesBefore.get(key);
    };
    const keyOf = (k: (typeof keyed)[number]) => contentKey(k.parsed.from.address, k.parsed.body, readSegments(k.stored.segmentsJson));
    const storedKeyOf = (id: number) => {
      const c = sql.content.get(id)!;
      return contentKey(c.fromAddress, c.body ?? '', readSegments(c.segmentsJson ?? '[]'));
    };
    /** The stored message this one is a copy of: same id and bytes, or same id and content; a reused id's earlier claimant too. */
    const sameAs = (k: (typeof keyed)[number], known: StoredRow | undefined): StoredRow | undefined => {
      if (!known || known.isGhost) return undefined;
      const candidates = [known, ...sql.claiming.all(k.archiveId)];
      const bytes = candidates.find((c) => c.rawSha256 === k.stored.rawSha256);
      if (bytes) return bytes;
      const key = keyOf(k);
      return candidates.find((c) => storedKeyOf(c.id) === key);
    };
    // The lists first: each lookup answers, and so sends what is queued; the batch's rows go best as one script.
    for (const name of new Set(keyed.map((k) => k.list))) listId(name);
    for (const k of keyed) {
      const p = k.parsed;
      const list = listId(k.list);
      const known = storedMessage(k.archiveId);
      touched.add(k.archiveId);
      if (k.removal) {
        const target = sameAs(k, known);
        if (!target) {
          counts.removalsUnmatched.push({ source: p.source, offset: p.offset, reason: `removal of <${k.archiveId}>, which the archive does not hold (or holds with other content); nothing removed` });
        } else if (removeFromList(db, target, list, p.source) === 'removed') counts.removed++;
        else counts.unlisted++;
        continue;
      }
      const copied = storedCopy(p.source, p.offset);
      if (copied) {
        counts.unchanged++;
        if (sql.inList.run(copied.messageId, list).changes) counts.listed++; // the same file ingested under another --list
        continue;
      }
      let messageId: number;
      const same = sameAs(k, known);
      const row = {
        isGhost: 0, listId: list, subject: p.subject, fromName: p.from.name, fromAddress: p.from.address,
        toJson: JSON.stringify(p.to), ccJson: JSON.stringify(p.cc), date: sqlDateTime(p.date), dateText: null,
        inReplyTo: p.inReplyTo, referencesJson: JSON.stringify(p.references), bodyFromHtml: p.bodyFromHtml ? 1 : 0,
        rawSha256: k.stored.rawSha256, warningsJson: JSON.stringify(p.warnings),
      };
      const { block, start, length } = k.stored.raw;
      const attach = (id: number) => {
        for (const a of p.attachments) later(sql.insertAttachment, id, a.filename, a.contentType, a.size, a.sha256, a.content); // bound as it is: a copy of a large attachment costs its size again
      };
      // Other content under a Message-ID taken: perhaps one of the two is the other cut short.
      const stored = !same && known && !known.isGhost ? storedContent(db, known.id) : null;
      const copyOf = stored ? compareCopies(stored, incomingContent(k.stored.raw, p.from.address, p.body)) : null;
      if (same || copyOf === 'truncated') {
        counts.duplicates++;
        messageId = (same ?? known)!.id;
        if (sql.inList.run(messageId, list).changes) counts.listed++;
      } else if (copyOf === 'complete') {
        counts.replaced.push({ archiveId: k.archiveId, source: p.source, offset: p.offset });
        messageId = known!.id;
        later(sql.replaceMessage, { ...row, id: messageId });
        later(sql.replaceText, messageId, p.body, k.stored.segmentsJson);
        replaceBytes(db, messageId, known!.rawSha256, { blockId: blockId(block), start, length });
        attach(messageId);
        if (sql.inList.run(messageId, list).changes) counts.listed++;
      } else {
        counts.added++;
        // Its id taken by another message: stored under one derived from its bytes, as mail without an id is.
        const reused = known && !known.isGhost;
        const key = reused ? { ...archiveIdOf(null, k.stored.rawSha256), idKind: 'reused' as const } : k;
        if (reused) counts.reused.push({ claimedId: k.archiveId, storedAs: key.archiveId, source: p.source, offset: p.offset });
        touched.add(key.archiveId);
        const fields = { ...row, idKind: key.idKind, claimedId: reused ? k.archiveId : null };
        if (known && !reused) {
          later(sql.promoteGhost, { ...fields, id: known.id });
          messageId = known.id;
          later(sql.replaceText, messageId, p.body, k.stored.segmentsJson);
        } else {
          messageId = sql.insertMessage.insert({ ...fields, archiveId: key.archiveId });
          insertNewLater(sql.insertText, messageId, p.body, k.stored.segmentsJson);
        }
        later(sql.inList, messageId, list);
        queueForLinking(db, messageId); // its thread is linked after threading (deriveStored)
        later(sql.insertRaw, messageId, blockId(block), start, length);
        attach(messageId);
      }
      later(sql.insertCopy, messageId, p.source, p.offset, k.stored.rawSha256);
    }
    // Owed in the same transaction: a crash after it leaves the work for the next process.
    if (counts.added + counts.replaced.length > 0) owe(db, 'thread'); // a replaced copy may carry other reply headers
    if (counts.removed > 0) owe(db, 'thread-all');
    if (counts.listed + counts.unlisted > 0) owe(db, 'thread-lists');
  });
  for (const [block, id] of fresh) committed.set(block, id);
  return counts;
}
