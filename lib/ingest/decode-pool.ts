/**
 * Decoding on worker threads, for bulk ingest. Each worker decodes messages
 * (lib/mail decode) and makes their stored form (stored-form.ts); this thread
 * reads the archives and writes the database. Results are the same as
 * decode()'s and storedForm()'s here.
 *
 * Node only (worker_threads): never imported by pages.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { decode } from '../mail/decode';
import { MalformedMessage, type ParsedMessage, type RawMessage } from '../mail/types';
import { bundled } from '../workers/bundle.mjs';
import { storedForm, type StoredForm } from './stored-form';

/** A message decoded and ready to store. */
export interface Prepared {
  parsed: ParsedMessage;
  stored: StoredForm;
}

export interface DecodePool {
  /** Resolves to the message or rejects with MalformedMessage. */
  decode(raw: RawMessage): Promise<Prepared>;
  /** Stops the workers; pending decodes are rejected. */
  close(): Promise<void>;
}

type Reply = { id: number; parsed: Omit<ParsedMessage, 'raw'>; stored: StoredForm } | { id: number; error: string; malformed: boolean };

interface Pending {
  raw: RawMessage;
  resolve: (prepared: Prepared) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

export async function createDecodePool(options: { threads?: number } = {}): Promise<DecodePool> {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const script = await bundled(new URL('./decode-worker.ts', import.meta.url));
  let nextId = 0;
  let closed = false;

  const start = (slot: Slot): void => {
    const worker = new Worker(script, {
      // A small young generation: these threads keep little alive, and the default (several
      // times this) added some 25 MB of peak RSS over two workers without saving time.
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    slot.worker = worker;
    worker.unref(); // an idle pool must not keep the process alive; ref'd while busy
    worker.on('message', (msg: Reply) => {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      if (slot.pending.size === 0) worker.unref();
      if ('error' in msg) p.reject(msg.malformed ? new MalformedMessage(p.raw.source, p.raw.offset, msg.error) : new Error(msg.error));
      else p.resolve({ parsed: { ...msg.parsed, raw: p.raw.raw }, stored: msg.stored });
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

  return {
    async decode(raw) {
      if (closed) throw new Error('decode pool is closed');
      // Pipermail pages come parsed by their reader: nothing for a worker to do.
      if (raw.pipermail) {
        const parsed = await decode(raw);
        return { parsed, stored: storedForm(parsed) };
      }
      // The least busy worker: messages differ a lot in size.
      let slot = slots[0];
      for (const s of slots) if (s.pending.size < slot.pending.size) slot = s;
      const id = nextId++;
      return new Promise<Prepared>((resolve, reject) => {
        if (slot.pending.size === 0) slot.worker.ref();
        slot.pending.set(id, { raw, resolve, reject });
        // A copy of just this message: cloning a view would copy its whole backing
        // buffer. The copy is transferred, not cloned again.
        const bytes = new Uint8Array(raw.raw);
        slot.worker.postMessage({ id, raw: { ...raw, raw: bytes } }, [bytes.buffer]);
      });
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
 *
 * The window must hold more work than the workers do while the consumer stores
 * a batch (some 60 ms for 500 messages), or they wait: 64 left them idle a fifth
 * of the time; 256 took about a second off the 50k bench for some 10 MB of RSS.
 */
export async function* decodeInOrder(
  messages: AsyncIterable<RawMessage>,
  pool: DecodePool,
  window = 256,
): AsyncGenerator<Prepared | MalformedMessage> {
  const inFlight: Promise<Prepared | MalformedMessage>[] = [];
  const settle = (raw: RawMessage): Promise<Prepared | MalformedMessage> =>
    pool.decode(raw).catch((err: unknown) =>
      err instanceof MalformedMessage ? err : new MalformedMessage(raw.source, raw.offset, err instanceof Error ? err.message : String(err)),
    );
  for await (const raw of messages) {
    inFlight.push(settle(raw));
    if (inFlight.length >= window) yield await inFlight.shift()!;
  }
  while (inFlight.length) yield await inFlight.shift()!;
}
