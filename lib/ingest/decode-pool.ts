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

/**
 * A message decoded and ready to store. Its bytes are in the stored form only: the
 * pool hands them to a worker, and this thread keeps no copy of some 750 messages
 * in flight and in the batch being stored.
 */
export interface Prepared {
  parsed: Omit<ParsedMessage, 'raw'>;
  stored: StoredForm;
  /** The archive removed this message (RawMessage.removal): it is taken out, not stored. */
  removal?: true;
}

export interface DecodePool {
  /** Resolves to the message or rejects with MalformedMessage. Takes the bytes: `raw.raw` is not to be used after. */
  decode(raw: RawMessage): Promise<Prepared>;
  /** Stops the workers; pending decodes are rejected. */
  close(): Promise<void>;
}

type Reply = { id: number; parsed: Omit<ParsedMessage, 'raw'>; stored: StoredForm } | { id: number; error: string; malformed: boolean };

interface Pending {
  /** Where the message came from, for a MalformedMessage. */
  from: { source: string; offset: number };
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
    worker.on('message', (replies: Reply[]) => {
      for (const msg of replies) {
        const p = slot.pending.get(msg.id);
        if (!p) continue;
        slot.pending.delete(msg.id);
        if ('error' in msg) p.reject(msg.malformed ? new MalformedMessage(p.from.source, p.from.offset, msg.error) : new Error(msg.error));
        else p.resolve({ parsed: msg.parsed, stored: msg.stored });
      }
      if (slot.pending.size === 0) worker.unref();
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
        const { raw: bytes, ...parsed } = await decode(raw);
        return { parsed, stored: storedForm({ ...parsed, raw: bytes }) };
      }
      // The least busy worker: messages differ a lot in size.
      let slot = slots[0];
      for (const s of slots) if (s.pending.size < slot.pending.size) slot = s;
      const id = nextId++;
      return new Promise<Prepared>((resolve, reject) => {
        if (slot.pending.size === 0) slot.worker.ref();
        slot.pending.set(id, { from: { source: raw.source, offset: raw.offset }, resolve, reject });
        // The bytes move to the worker: the caller's buffer itself when it holds just this
        // message (a file read whole), else a copy of the message (cloning a view would
        // copy its whole backing buffer). Either way the caller's view is not to be used again.
        const own = raw.raw.byteOffset === 0 && raw.raw.byteLength === raw.raw.buffer.byteLength && raw.raw.buffer instanceof ArrayBuffer;
        const bytes = own ? raw.raw : new Uint8Array(raw.raw);
        slot.worker.postMessage({ id, raw: { ...raw, raw: bytes } }, [bytes.buffer as ArrayBuffer]);
      });
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}

/**
 * What decodeInOrder keeps in flight at most, in message bytes. A message is held
 * several times over while it is decoded (its bytes, its parts, the stored form), so
 * a count alone let 30 messages of 45 MB take 7.3 GB; mailing-list mail, a few KB a
 * message, never reaches this before the count.
 */
export const BYTES_IN_FLIGHT = 64 << 20;

/**
 * Decodes a stream of messages on the pool with up to `window` in flight and no more
 * than `bytes` of them (a message larger than that goes alone), yielding results in
 * input order; a message that fails comes out as MalformedMessage (with its source
 * and offset) in its place, and the stream goes on. A message is in flight from its
 * decode's start until it is yielded.
 *
 * The window must hold more work than the workers do while the consumer stores
 * a batch (some 60 ms for 500 messages), or they wait: 64 left them idle a fifth
 * of the time; 256 took about a second off the 50k bench for some 10 MB of RSS,
 * and still left each worker idle 0.7-1.0 s in all; 512, 0.25-0.45 s (peak RSS
 * 276-283 MB); 1024, 0.1 s, but 304 MB. Since the heaps' growth is capped (see
 * `npm run ingest`), 1024 costs less memory but still gains nothing measurable.
 */
export async function* decodeInOrder(
  messages: AsyncIterable<RawMessage>,
  pool: DecodePool,
  { window = 512, bytes = BYTES_IN_FLIGHT }: { window?: number; bytes?: number } = {},
): AsyncGenerator<Prepared | MalformedMessage> {
  const inFlight: Array<{ size: number; result: Promise<Prepared | MalformedMessage> }> = [];
  let bytesInFlight = 0;
  const settle = (raw: RawMessage): Promise<Prepared | MalformedMessage> =>
    pool.decode(raw).then((p): Prepared => (raw.removal ? { ...p, removal: true } : p)).catch((err: unknown) =>
      err instanceof MalformedMessage ? err : new MalformedMessage(raw.source, raw.offset, err instanceof Error ? err.message : String(err)),
    );
  const oldest = async () => {
    const { size, result } = inFlight.shift()!;
    const done = await result;
    bytesInFlight -= size;
    return done;
  };
  for await (const raw of messages) {
    const size = raw.raw.byteLength;
    while (inFlight.length && (inFlight.length >= window || bytesInFlight + size > bytes)) yield await oldest();
    bytesInFlight += size;
    inFlight.push({ size, result: settle(raw) });
  }
  while (inFlight.length) yield await oldest();
}

/** The bytes a decoded message holds, for a consumer that bounds its batches by bytes as decodeInOrder does. */
export const preparedBytes = (p: Prepared): number => p.stored.raw.length + p.parsed.attachments.reduce((n, a) => n + a.content.byteLength, 0);
