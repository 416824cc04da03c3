import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/db';
import { scratchFolder } from '../support/scratch';
import { corpus, hasShared } from '../support/shared';
import { hitIds } from '../search/support';
import { ingestPaths, type IngestSummary } from '../../lib/ingest';
import { rawBytes } from '../../lib/db/raw';

const scratch = scratchFolder('threadlab-replaced-');
const SOURCE = '1382298805.004619:2,'; // a patch, and a reply quoting its second half
const QUOTER = '1382298805.004639:2,';
const TAIL_WORD = 'free_ioapic_entries'; // in the second half of the patch only

describe.skipIf(!hasShared)('a truncated copy met first, then the complete one', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  let whole: Buffer;
  let cut: Buffer;
  let files: { cut: string; whole: string; quoter: string };
  let first: IngestSummary;
  let second: IngestSummary;
  let id: string;
  let linksBefore: Array<{ sourceStart: number | null; sourceEnd: number | null }>;
  const message = () => store.db.message.findUniqueOrThrow({ where: { archiveId: id }, include: { text: true, raw: { include: { block: true } }, copies: { orderBy: { id: 'asc' } } } });
  const linksToSource = async () => {
    const m = await message();
    return store.db.quoteLink.findMany({ where: { sourceId: m.id }, select: { sourceStart: true, sourceEnd: true }, orderBy: { segment: 'asc' } });
  };
  const state = async () => JSON.stringify({ m: await message(), links: await linksToSource(), n: await store.db.message.count(), copies: await store.db.messageCopy.count() });

  beforeAll(async () => {
    const dir = corpus('notmuch-lkml', 'cur');
    whole = fs.readFileSync(`${dir}/${SOURCE}`);
    id = /^Message-Id:\s*<([^>]+)>/im.exec(whole.toString('latin1'))![1]!;
    const bodyStart = whole.indexOf('\n\n') + 2;
    cut = whole.subarray(0, bodyStart + Math.floor((whole.length - bodyStart) * 0.4)); // mid-body, mid-line
    expect(cut.toString('latin1')).not.toContain(TAIL_WORD);
    files = {
      cut: scratch.write('first/cut.eml', cut),
      quoter: scratch.write('first/reply.eml', fs.readFileSync(`${dir}/${QUOTER}`)),
      whole: scratch.write('later/whole.eml', whole),
    };
    store = await freshDatabase();
    first = await ingestPaths(store.writer, [files.cut, files.quoter], { list: 'lkml' });
    linksBefore = await linksToSource();
    second = await ingestPaths(store.writer, [files.whole], { list: 'lkml' });
  });
  afterAll(() => store.close());

  it('serves the complete copy in its place, and says so', async () => {
    expect(first).toMatchObject({ added: 2, replaced: [] });
    expect(second).toMatchObject({ added: 0, duplicates: 0, reused: [], replaced: [{ archiveId: id, source: files.whole, offset: 0 }] });
    const m = await message();
    expect(Buffer.from(rawBytes(m.raw!)).equals(whole)).toBe(true);
    expect(m.text!.body).toContain(TAIL_WORD);
    expect(await store.db.message.count({ where: { isGhost: false } })).toBe(2);
    expect(await hitIds(store, `b:${TAIL_WORD}`)).toContain(id);
    expect(store.danglingReferences()).toEqual([]);
  });

  it('keeps the truncated bytes with the copy they came from', async () => {
    const m = await message();
    expect(m.copies.map((c) => c.source)).toEqual([files.cut, files.whole]);
    const [kept, current] = m.copies;
    const block = await store.db.rawBlock.findUniqueOrThrow({ where: { id: kept!.blockId! } });
    expect(Buffer.from(rawBytes({ start: kept!.start!, length: kept!.length, block })).equals(cut)).toBe(true);
    expect(current!.blockId).toBeNull(); // the message's own bytes
  });

  it('links the reply\'s quotes of the second half, which the truncated copy lacked', async () => {
    const after = await linksToSource();
    const reach = (links: typeof after) => Math.max(0, ...links.map((l) => l.sourceEnd ?? 0));
    expect(reach(after)).toBeGreaterThan(cut.length - whole.indexOf('\n\n'));
    expect(reach(after)).toBeGreaterThan(reach(linksBefore));
  });

  it('changes nothing when either copy is ingested again', async () => {
    const before = await state();
    for (const file of [files.cut, files.whole]) {
      const again = await ingestPaths(store.writer, [file], { list: 'lkml', resume: false });
      expect(again).toMatchObject({ added: 0, duplicates: 0, unchanged: 1, replaced: [] });
    }
    expect(await state()).toBe(before);
  });

  it('counts a truncated copy met after the complete one as a duplicate', async () => {
    const again = await ingestPaths(store.writer, [scratch.write('elsewhere/cut.eml', cut)], { list: 'lkml' });
    expect(again).toMatchObject({ added: 0, duplicates: 1, replaced: [], reused: [] });
    expect(Buffer.from(rawBytes((await message()).raw!)).equals(whole)).toBe(true);
  });
});
