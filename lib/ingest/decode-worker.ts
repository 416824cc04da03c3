// Worker thread of DecodePool (decode-pool.ts): decodes message bytes and makes their
// stored form, so that the thread writing the database only writes. Runs as a bundle
// (lib/workers/bundle.mjs).
//
// postal-mime gathers every MIME part's bytes in a Blob and reads them back with
// blob.arrayBuffer(). On Node 20 that round trip is most of the parse time (measured:
// 2,600 msg/s with Node's Blob, 10,600 msg/s with the class below, same output). This
// thread runs nothing else, so its global Blob is swapped for an in-memory one (postal-mime
// looks Blob up when it parses); the rest of the process keeps Node's.
import { parentPort } from 'node:worker_threads';
import { decode } from '../mail/decode';
import type { ParsedMessage, RawMessage } from '../mail/types';
import { storedForm, storedForms, type StoredForm } from './stored-form';

const encoder = new TextEncoder();
// postal-mime's pass-through decoder pushes a '\n' string after every line.
const LF = encoder.encode('\n');

class BytesBlob {
  readonly type: string;
  readonly #parts: Uint8Array[];
  readonly #size: number;
  constructor(parts: Array<string | ArrayBuffer | Uint8Array> = [], options: { type?: string } = {}) {
    this.#parts = parts.map((p) => (typeof p === 'string' ? (p === '\n' ? LF : encoder.encode(p)) : p instanceof Uint8Array ? p : new Uint8Array(p)));
    this.#size = this.#parts.reduce((n, p) => n + p.byteLength, 0);
    this.type = options.type ?? '';
  }
  get size(): number {
    return this.#size;
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const out = new Uint8Array(this.#size);
    let at = 0;
    for (const p of this.#parts) {
      out.set(p, at);
      at += p.byteLength;
    }
    return out.buffer;
  }
  async text(): Promise<string> {
    return new TextDecoder().decode(await this.arrayBuffer());
  }
}
(globalThis as { Blob: unknown }).Blob = BytesBlob;

// Replies go back in batches: each postMessage has a fixed cost (a wake-up of the reading
// thread, about 30 us of wall time here), whatever it carries. The pool alone over the 50k
// bench corpus took 20.2 s of CPU with a post per reply, 18.6 s with 16 (mean of 4 runs).
// A batch is what one turn of the event loop decoded, at most REPLIES_PER_POST, so that the
// reader, which stores results in order, never waits long for one. The messages of a batch
// have their stored forms made together: their bytes are packed as one block.
const REPLIES_PER_POST = 16;
const decoded: Array<{ id: number; parsed: ParsedMessage }> = [];
const failures: Array<{ id: number; error: string; malformed: boolean }> = [];
let flushQueued = false;

const flush = () => {
  flushQueued = false;
  const batch = decoded.splice(0);
  const replies: unknown[] = failures.splice(0);
  const transfer = new Set<ArrayBuffer>();
  const forms = storedFormsOf(batch.map((d) => d.parsed));
  batch.forEach(({ id, parsed }, i) => {
    const stored = forms[i]!;
    if (stored instanceof Error) return replies.push(failure(id, stored));
    // Attachments and the block move; an attachment that is a view of the message's bytes is copied.
    for (const a of parsed.attachments) if (a.content.buffer !== parsed.raw.buffer) transfer.add(a.content.buffer as ArrayBuffer);
    transfer.add(stored.raw.block.bytes.buffer as ArrayBuffer);
    replies.push({ id, parsed: { ...parsed, raw: undefined }, stored });
  });
  if (replies.length) parentPort!.postMessage(replies, [...transfer]);
};

const scheduleFlush = () => {
  if (decoded.length + failures.length >= REPLIES_PER_POST) flush();
  else if (!flushQueued) {
    flushQueued = true;
    setImmediate(flush);
  }
};

/** The stored forms of a batch; should that fail, of each message alone, so that only the one at fault fails. */
function storedFormsOf(batch: ParsedMessage[]): Array<StoredForm | Error> {
  if (batch.length === 0) return [];
  try {
    return storedForms(batch);
  } catch {
    return batch.map((parsed) => {
      try {
        return storedForm(parsed);
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err));
      }
    });
  }
}

function failure(id: number, err: unknown) {
  const e = err as { name?: string; reason?: string; message?: string };
  return { id, error: e.name === 'MalformedMessage' ? e.reason! : e.message ?? String(err), malformed: e.name === 'MalformedMessage' };
}

parentPort!.on('message', async ({ id, raw }: { id: number; raw: RawMessage }) => {
  try {
    decoded.push({ id, parsed: await decode(raw) });
  } catch (err) {
    failures.push(failure(id, err));
  }
  scheduleFlush();
});
