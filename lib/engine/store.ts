// The visited set, full or compact, of hashed vectors (slots.ts).
//
// Where the time goes is memory: a lookup touches the table at random, and in the full store,
// on a hash match, the stored state too. So the full store's table keeps each entry's hash
// beside its state number (one cache line answers most probes), and vectors go in chunks added
// as needed rather than one array copied into a bigger one. The explorer reads the table places
// of all of a state's successors (touch) before it stores any, so that those reads wait on
// memory together rather than one after another. Each stored vector keeps its hash after it.
// The chunks are in the search's workspace, beside the vectors the explorer works on, so that
// a vector goes in and out of the store by the WebAssembly module's copy.

import type { StateSlots, Workspace } from './slots';

const CHUNK_BITS = 12; // 4,096 states a chunk
const CHUNK = 1 << CHUNK_BITS;

abstract class HashedStates {
  count = 0;
  /** Int32 words of a vector (two slots each). */
  protected readonly words: number;
  /** Bytes of a stored state: its vector's, then its two hash lanes. */
  protected readonly stride: number;
  /** Bytes of a chunk, CHUNK states. */
  protected readonly chunkBytes: number;

  constructor(protected readonly work: Workspace) {
    this.words = work.n >> 1;
    this.stride = 4 * (this.words + 2);
    this.chunkBytes = CHUNK * this.stride;
  }

  /** Copy state s into out, its lanes included. */
  load(s: number, out: StateSlots): void {
    const at = this.place(this.chunk(s), s);
    this.work.copyVector(at, out.at);
    const lanes = (at >> 2) + this.words, w = this.work.words;
    out.a = w[lanes];
    out.b = w[lanes + 1];
  }

  /** The hash table: pairs of Int32 per entry, probed from lane a (each store says what a pair holds). */
  protected table = new Int32Array(2 << 14);
  protected mask = (1 << 14) - 1;
  /** What touch() read: kept, so that the read is not optimised away. */
  private touched = 0;

  /** Read x's place in the table, so that a later insert finds it in the cache. */
  touch(x: StateSlots): void { this.touched ^= this.table[2 * (x.a & this.mask)]; }

  /** The most bytes held at once. */
  abstract readonly peakBytes: number;
  /** Store x (hashed) unless an equal state is stored already; returns true if it was new. */
  abstract insert(x: StateSlots): boolean;
  /** Byte offset of the chunk holding state s. */
  protected abstract chunk(s: number): number;

  /** Byte offset of state s in the chunk at byte `chunk`. */
  protected place(chunk: number, s: number): number { return chunk + (s & (CHUNK - 1)) * this.stride; }

  /** Put x and its lanes at state s's place in the chunk at byte `chunk`. */
  protected put(chunk: number, s: number, x: StateSlots) {
    const at = this.place(chunk, s);
    this.work.copyVector(x.at, at);
    const lanes = (at >> 2) + this.words, w = this.work.words;
    w[lanes] = x.a;
    w[lanes + 1] = x.b;
  }
}

/** Every state's vector, looked up by hash and confirmed by comparing vectors: exact. */
export class StateStore extends HashedStates {
  private readonly chunks: number[] = [];
  // Table pairs: [2e] = lane a of the hash, [2e+1] = state number + 1 (0 = empty).

  insert(x: StateSlots): boolean {
    const h = x.a, table = this.table, mask = this.mask;
    let i = h & mask;
    for (let e = table[2 * i + 1]; e !== 0; e = table[2 * i + 1]) {
      if (table[2 * i] === h && this.equals(e - 1, x)) return false;
      i = (i + 1) & mask;
    }
    const s = this.count;
    if (s >>> CHUNK_BITS === this.chunks.length) this.chunks.push(this.work.alloc(this.chunkBytes));
    this.put(this.chunks[s >>> CHUNK_BITS]!, s, x);
    table[2 * i] = h;
    table[2 * i + 1] = s + 1;
    this.count = s + 1;
    if (this.count * 2 > mask) this.rehash();
    return true;
  }

  /** This store only grows: what it holds at the end is the most it held. */
  get peakBytes(): number {
    return this.chunks.length * this.chunkBytes + this.table.byteLength;
  }

  protected chunk(s: number) { return this.chunks[s >>> CHUNK_BITS]!; }

  private equals(s: number, x: StateSlots): boolean {
    const words = this.words, w = this.work.words, xw = x.words;
    for (let k = 0, o = this.place(this.chunks[s >>> CHUNK_BITS]!, s) >> 2; k < words; k++) if (w[o + k] !== xw[k]) return false;
    return true;
  }

  private rehash() {
    const old = this.table;
    const size = (this.mask + 1) * 4; // four-fold: fewer rounds of re-inserting every state
    const table = new Int32Array(2 * size);
    const mask = size - 1;
    for (let e = 0; e < old.length; e += 2) {
      if (old[e + 1] === 0) continue;
      let i = old[e] & mask;
      while (table[2 * i + 1] !== 0) i = (i + 1) & mask;
      table[2 * i] = old[e];
      table[2 * i + 1] = old[e + 1];
    }
    this.table = table;
    this.mask = mask;
  }
}

/**
 * A 64-bit fingerprint (the two lanes) per state in an open-addressing table, and vectors only
 * for the states not yet expanded. Breadth-first search loads states in the order it stored
 * them, so once it moves past a chunk that chunk is dropped: memory is the table (8 bytes a slot,
 * at most 70% full) plus the frontier. Two states with one fingerprint count as one, so a state
 * may be missed, with probability about n^2 / 2^65 (collisionProbability).
 */
export class CompactStore extends HashedStates {
  peakBytes = 0;
  /** Byte offsets of chunks, -1 once dropped. */
  private readonly chunks: number[] = [];
  private liveChunks = 0;
  /** Dropped chunks, reused for new states. */
  private readonly spare: number[] = [];
  /** Chunks before this one were dropped: every state in them was loaded. */
  private firstLive = 0;
  // Table pairs: [2e] = lane a (the probe index), [2e+1] = lane b; (0, 0) = empty.

  constructor(work: Workspace) { super(work); this.note(); }

  insert(x: StateSlots): boolean {
    const a = x.a, b = a === 0 && x.b === 0 ? 1 : x.b; // (0, 0) marks an empty slot
    const table = this.table, mask = this.mask;
    let i = a & mask;
    for (let x = table[2 * i], y = table[2 * i + 1]; x !== 0 || y !== 0; x = table[2 * i], y = table[2 * i + 1]) {
      if (x === a && y === b) return false;
      i = (i + 1) & mask;
    }
    table[2 * i] = a;
    table[2 * i + 1] = b;
    const s = this.count;
    if (s >>> CHUNK_BITS === this.chunks.length) { this.chunks.push(this.spare.pop() ?? this.work.alloc(this.chunkBytes)); this.liveChunks++; this.note(); }
    this.put(this.chunks[s >>> CHUNK_BITS]!, s, x);
    this.count = s + 1;
    if (this.count * 10 > (mask + 1) * 7) this.grow();
    return true;
  }

  /** Loads go in the order states were stored: the chunks before s's are dropped. */
  protected chunk(s: number) {
    const c = s >>> CHUNK_BITS;
    for (; this.firstLive < c; this.firstLive++) { this.spare.push(this.chunks[this.firstLive]!); this.chunks[this.firstLive] = -1; this.liveChunks--; }
    return this.chunks[c]!;
  }

  /** The chance that some state was taken for another and left out: n^2 / 2^65 for n states and 64-bit fingerprints. */
  get collisionProbability(): number {
    return Math.min(1, (this.count * this.count) / 2 ** 65);
  }

  private bytes(): number {
    return (this.liveChunks + this.spare.length) * this.chunkBytes + this.table.byteLength;
  }

  private note() { this.peakBytes = Math.max(this.peakBytes, this.bytes()); }

  private grow() {
    const old = this.table;
    const size = (this.mask + 1) * 2; // doubling: the table is most of the memory at scale
    const table = new Int32Array(2 * size);
    const mask = size - 1;
    for (let e = 0; e < old.length; e += 2) {
      if (old[e] === 0 && old[e + 1] === 0) continue;
      let i = old[e] & mask;
      while (table[2 * i] !== 0 || table[2 * i + 1] !== 0) i = (i + 1) & mask;
      table[2 * i] = old[e];
      table[2 * i + 1] = old[e + 1];
    }
    // Old and new tables are both held while re-inserting.
    this.peakBytes = Math.max(this.peakBytes, this.bytes() + table.byteLength);
    this.table = table;
    this.mask = mask;
    this.note();
  }
}
