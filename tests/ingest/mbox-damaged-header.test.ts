import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/db';
import { scratchFolder } from '../support/scratch';
import { corpus, hasShared } from '../support/shared';
import { ingestPaths, type IngestSummary } from '../../lib/ingest';
import { readMbox } from '../../lib/mail/mbox';
import type { MalformedMessage, RawMessage } from '../../lib/mail/types';

const scratch = scratchFolder('threadlab-damaged-');

/** Two real messages, the second's first header line (`Return-Path:`) with a byte gone bad. */
function damagedMbox(): { file: string; ids: [string, string]; secondOffset: number } {
  const dir = corpus('notmuch-lkml', 'cur');
  const [a, b] = fs.readdirSync(dir).sort().slice(0, 2).map((f) => fs.readFileSync(`${dir}/${f}`));
  const idOf = (m: Buffer) => /^Message-Id:\s*<([^>]+)>/im.exec(m.toString('latin1'))![1]!;
  expect(b!.subarray(0, 12).toString('latin1')).toBe('Return-Path:');
  const damaged = Buffer.from(b!);
  damaged[6] = 0xad; // Return\xadPath:
  const first = Buffer.concat([Buffer.from('From stefan@datenfreihafen.org Sat Nov 21 16:11:31 2009\n'), a!, Buffer.from('\n')]);
  const second = Buffer.concat([Buffer.from('From stefan@datenfreihafen.org Sat Nov 21 16:40:00 2009\n'), damaged, Buffer.from('\n')]);
  return { file: scratch.write('damaged.mbox', Buffer.concat([first, second])), ids: [idOf(a!), idOf(b!)], secondOffset: first.length };
}

describe.skipIf(!hasShared)('an mbox message whose first header line is damaged', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  let summary: IngestSummary;
  let mbox: ReturnType<typeof damagedMbox>;
  beforeAll(async () => {
    mbox = damagedMbox();
    store = await freshDatabase();
    summary = await ingestPaths(store.writer, [mbox.file], { list: 'notmuch' });
  });
  afterAll(() => store.close());

  it('starts a message of its own, stored with its Message-ID, not glued to the one before', async () => {
    expect(summary.skipped).toEqual([]);
    expect(summary.added).toBe(2);
    const rows = await store.db.message.findMany({ where: { isGhost: false }, select: { archiveId: true, warningsJson: true, copies: { select: { offset: true } } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => r.archiveId)).toEqual(mbox.ids);
    expect(rows.map((r) => r.copies[0]!.offset)).toEqual([0, mbox.secondOffset]);
    expect(JSON.parse(rows[1]!.warningsJson)).toContain('first header line is no "Name: value" field, not read: "Return\\xadPath: <stefan@datenfreihafen.org>"');
    expect(JSON.parse(rows[0]!.warningsJson).join('\n')).not.toMatch(/first header line/);
  });

  it('keeps the first message\'s text free of the second', async () => {
    const [first] = await store.db.message.findMany({ where: { archiveId: mbox.ids[0] }, select: { text: { select: { body: true } } } });
    expect(first!.text!.body).not.toContain(mbox.ids[1]);
  });
});

describe('a body line "From ..." that is no separator (mboxo left it unquoted)', () => {
  it('stays text, though a line like a damaged field follows it', async () => {
    const file = scratch.write(
      'prose.mbox',
      'From a@example.org Mon Jan  3 10:00:00 2011\nMessage-ID: <one@example.org>\nSubject: rules\n\nThe old rules.\nFrom here on the rules change.\nSee below: nothing stays\n\nFrom b@example.org Mon Jan  3 11:00:00 2011\nMessage-ID: <two@example.org>\n\nsecond\n',
    );
    const errors: MalformedMessage[] = [];
    const messages: RawMessage[] = [];
    for await (const m of readMbox(file, { onError: (e) => errors.push(e), mboxVariant: 'mboxo' })) messages.push(m);
    expect(messages).toHaveLength(2);
    expect(Buffer.from(messages[0]!.raw).toString()).toContain('From here on the rules change.\nSee below: nothing stays\n');
    expect(errors.map((e) => e.reason)).toEqual(['"From " line not followed by a header block; kept as message text']);
  });
});
