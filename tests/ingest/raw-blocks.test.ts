// Raw bytes are stored a block of messages at a time (lib/db/raw.ts): each
// message must read back verbatim, a block must go in once and only with a
// message that needs it, and a failed batch must not leave a block id behind.
import fs from 'node:fs';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/db';
import { bundledMailDir } from '../../lib/ingest/bundled';
import { storedForms } from '../../lib/ingest/stored-form';
import { storeBatch, type Incoming } from '../../lib/ingest/store';
import { rawMessage } from '../../lib/archive/read';
import { rawBytes, unpackBlock } from '../../lib/db/raw';
import { prepare } from '../../lib/db/connection';
import { textFor } from '../../lib/db/dialect';
import { decode } from '../../lib/mail/decode';
import type { ParsedMessage } from '../../lib/mail/types';

const files = ['01-nick-piggin.eml', '02-nick-piggin.eml', '03-trond-myklebust.eml', '04-sage-weil.eml'].map((f) => path.join(bundledMailDir, 'linux-mm', f));
const bytesOf = (file: string) => fs.readFileSync(file);

describe('raw blocks', () => {
  let parsed: ParsedMessage[];
  beforeAll(async () => {
    parsed = await Promise.all(files.map((file) => decode({ source: file, offset: 0, raw: new Uint8Array(bytesOf(file)), format: 'eml' })));
  });
  const incoming = (): Incoming[] => {
    const stored = storedForms(parsed);
    return parsed.map(({ raw: _raw, ...p }, i) => ({ parsed: p, stored: stored[i]!, list: 'linux-mm' }));
  };
  let store: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  const blocks = () => prepare<[], { n: number }>(store!.writer, 'SELECT count(*) AS n FROM "RawBlock"').get()!.n;
  const readBack = async () => Promise.all(parsed.map(async (p) => (await rawMessage(store!.db, 'linux-mm', p.messageId!))?.bytes()));

  it('packs messages decoded together into one block, from which each reads back verbatim', () => {
    const stored = storedForms(parsed);
    expect(new Set(stored.map((s) => s.raw.block)).size).toBe(1);
    stored.forEach((s, i) => expect(rawBytes(s.raw).equals(bytesOf(files[i]!))).toBe(true));
    const alone = parsed.reduce((n, p) => n + storedForms([p])[0]!.raw.block.bytes.byteLength, 0);
    expect(stored[0]!.raw.block.bytes.byteLength).toBeLessThan(alone);
  });

  it('stores a block once, with the first of its messages, across batches; not at all when none is new', async () => {
    store = await freshDatabase();
    const batch = incoming();
    storeBatch(store.writer, batch.slice(0, 2));
    storeBatch(store.writer, batch.slice(2));
    expect(blocks()).toBe(1);
    for (const [i, raw] of (await readBack()).entries()) expect(raw?.equals(bytesOf(files[i]!))).toBe(true);
    // The same files again, decoded into a new block: nothing new, so no block.
    expect(storeBatch(store.writer, incoming()).unchanged).toBe(4);
    expect(blocks()).toBe(1);
  });

  it('leaves no block id behind when a batch fails', async () => {
    store = await freshDatabase();
    const batch = incoming();
    store.writer.exec(textFor(store.writer, {
      sqlite: `CREATE TEMP TRIGGER fail BEFORE INSERT ON "MessageCopy" WHEN NEW.source = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END`,
      postgresql: `CREATE FUNCTION fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$;
        CREATE TRIGGER fail BEFORE INSERT ON "MessageCopy" FOR EACH ROW WHEN (NEW.source = 'boom') EXECUTE FUNCTION fail()`,
    }));
    const doomed = { ...batch[1]!, parsed: { ...batch[1]!.parsed, source: 'boom' } };
    expect(() => storeBatch(store!.writer, [batch[0]!, doomed])).toThrow(/boom/);
    expect(blocks()).toBe(0);
    storeBatch(store.writer, batch);
    expect(blocks()).toBe(1);
    for (const [i, raw] of (await readBack()).entries()) expect(raw?.equals(bytesOf(files[i]!))).toBe(true);
  });

  it('reads rows from before blocks, a message to a block, in their old encodings', () => {
    const bytes = bytesOf(files[0]!);
    expect(rawBytes({ start: 0, length: null, block: { bytes: deflateRawSync(bytes), encoding: 'deflate-raw' } }).equals(bytes)).toBe(true);
    expect(rawBytes({ start: 0, length: null, block: { bytes, encoding: 'identity' } }).equals(bytes)).toBe(true);
    expect(() => unpackBlock({ bytes, encoding: 'zstd' })).toThrow(/unknown raw encoding "zstd"/);
  });
});
