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
import type { RawMessage } from '../mail/types';
import { storedForm } from './stored-form';

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
// reader, which stores results in order, never waits long for one.
const REPLIES_PER_POST = 16;
const replies: unknown[] = [];
const moving: ArrayBuffer[] = [];
let flushQueued = false;
const flush = () => {
  flushQueued = false;
  if (replies.length) parentPort!.postMessage(replies.splice(0), moving.splice(0));
};
const reply = (message: unknown, transfer: ArrayBuffer[] = []) => {
  replies.push(message);
  moving.push(...transfer);
  if (replies.length >= REPLIES_PER_POST) flush();
  else if (!flushQueued) {
    flushQueued = true;
    setImmediate(flush);
  }
};

parentPort!.on('message', async ({ id, raw }: { id: number; raw: RawMessage }) => {
  try {
    const parsed = await decode(raw);
    const stored = storedForm(parsed);
    // Attachments and the packed bytes move; an attachment that is a view of the message's bytes is copied.
    const transfer = parsed.attachments.map((a) => a.content.buffer).filter((b) => b !== raw.raw.buffer);
    const packed = new Uint8Array(stored.raw); // zlib's output may share a pooled buffer, which must not move
    transfer.push(packed.buffer);
    reply({ id, parsed: { ...parsed, raw: undefined }, stored: { ...stored, raw: packed } }, [...new Set(transfer)] as ArrayBuffer[]);
  } catch (err) {
    const malformed = err as { name?: string; reason?: string; message?: string };
    reply({ id, error: malformed.name === 'MalformedMessage' ? malformed.reason : malformed.message ?? String(err), malformed: malformed.name === 'MalformedMessage' });
  }
});
