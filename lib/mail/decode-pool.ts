/**
 * Decoding on worker threads, for bulk ingest. Each worker runs postal-mime (see
 * decode-worker.mjs for why it is faster there); this thread does the light
 * normalisation. Results are the same as decode()'s.
 *
 * Node only (worker_threads): import it from 'lib/mail/decode-pool', not from the
 * lib/mail index, so code bundled for pages never sees `new Worker(...)`.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Email } from 'postal-mime';
import { decodeWith, POSTAL_MIME_OPTIONS, USED_HEADERS, type MimeParser } from './decode';
import { MalformedMessage, type PackedRaw, type ParsedMessage, type RawMessage } from './types';

export interface DecodePool {
  /** Like decode(): resolves to the message or rejects with MalformedMessage. */
  decode(raw: RawMessage): Promise<ParsedMessage>;
  /** Stops the workers; pending decodes are rejected. */
  close(): Promise<void>;
}

interface Parsed {
  email: Email;
  packed?: PackedRaw;
}

interface Pending {
  resolve: (parsed: Parsed) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** `pack`: also make each message's stored form (ParsedMessage.packed) in the workers. */
export function createDecodePool(options: { threads?: number; pack?: boolean } = {}): DecodePool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  let nextId = 0;
  let closed = false;

  const start = (slot: Slot): void => {
    const worker = new Worker(new URL('./decode-worker.mjs', import.meta.url), {
      workerData: { keepHeaders: USED_HEADERS, pack: options.pack ?? false },
      // A small young generation: these threads keep little alive, and the default (several
      // times this) added some 25 MB of peak RSS over two workers without saving time.
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    slot.worker = worker;
    worker.unref(); // an idle pool must not keep the process alive; ref'd while busy
    worker.on('message', (msg: { id: number; email?: Email; packed?: PackedRaw; error?: string }) => {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      if (slot.pending.size === 0) worker.unref();
      if (msg.email) p.resolve({ email: msg.email, packed: msg.packed });
      else p.reject(new Error(msg.error ?? 'worker failed'));
    });
    const failAll = (error: Error): void => {
      for (const p of slot.pending.values()) p.reject(error);
      slot.pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => {
      failAll(new Error(`decode worker exited with code ${code}`));
      if (!closed) start(slot); // a crashed worker is replaced, later decodes go on
    });
  };

  const slots: Slot[] = Array.from({ length: threads }, () => {
    const slot = { pending: new Map() } as Slot;
    start(slot);
    return slot;
  });

  const post = (bytes: Uint8Array): Promise<Parsed> => {
    if (closed) return Promise.reject(new Error('decode pool is closed'));
    // The least busy worker: messages differ a lot in size.
    let slot = slots[0];
    for (const s of slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = nextId++;
    return new Promise<Parsed>((resolve, reject) => {
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve, reject });
      // A copy of just this message: cloning a view would copy its whole backing
      // buffer. The copy is transferred, not cloned again.
      const copy = new Uint8Array(bytes);
      slot.worker.postMessage({ id, bytes: copy, options: POSTAL_MIME_OPTIONS }, [copy.buffer]);
    });
  };

  return {
    async decode(raw) {
      let packed: PackedRaw | undefined;
      const parse: MimeParser = async (bytes) => {
        const got = await post(bytes);
        // The first parse sees the original bytes; a retry (wrong charset) sends altered ones.
        packed ??= got.packed;
        return got.email;
      };
      const message = await decodeWith(raw, parse);
      return packed ? { ...message, packed } : message;
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

/**
 * Decodes a stream of messages on the pool with up to `window` in flight, yielding
 * results in input order; a message that fails comes out as MalformedMessage (with
 * its source and offset) in its place, and the stream goes on.
 */
export async function* decodeInOrder(
  messages: AsyncIterable<RawMessage>,
  pool: DecodePool,
  window = 64,
): AsyncGenerator<ParsedMessage | MalformedMessage> {
  const inFlight: Promise<ParsedMessage | MalformedMessage>[] = [];
  const settle = (raw: RawMessage): Promise<ParsedMessage | MalformedMessage> =>
    pool.decode(raw).catch((err: unknown) =>
      err instanceof MalformedMessage ? err : new MalformedMessage(raw.source, raw.offset, err instanceof Error ? err.message : String(err)),
    );
  for await (const raw of messages) {
    inFlight.push(settle(raw));
    if (inFlight.length >= window) yield await inFlight.shift()!;
  }
  while (inFlight.length) yield await inFlight.shift()!;
}
