// The visited set, full or compact, and the hash both use.
//
// The hash is Zobrist-style: over the slots, the sum of a mix of (slot, value), in two
// independent 32-bit lanes. A successor differs from its parent in a few slots, so its hash is
// the parent's plus those slots' change: a transition hashes a handful of slots, not the whole
// vector. Each stored vector keeps its hash after it for its own successors.
//
// Where the rest of the time goes is memory, not arithmetic: a lookup touches the table at
// random, and in the full store, on a hash match, the stored state too. So the full store's
// table keeps each entry's hash beside its state number (one cache line answers most probes),
// and vectors go in chunks added as needed rather than one array copied into a bigger one.

import type { Vec } from './state';

const CHUNK_BITS = 12; // 4,096 states a chunk
const CHUNK = 1 << CHUNK_BITS;

/** murmur3's finaliser: every input bit reaches every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Another finaliser (lowbias32), so that the two lanes are not one lane twice. */
function lowbias(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  return h ^ (h >>> 16);
}

// Slot k's part of each lane: for one slot a bijection of the value (values are small and
// the slot's multiple differs in its high bits), mixed.
const laneA = (k: number, x: number) => fmix(Math.imul(k + 1, 0x9e3779b1) ^ x);
const laneB = (k: number, x: number) => lowbias(Math.imul(k + 1, 0x632be5ab) ^ x);

abstract class HashedStates {
  count = 0;
  /** A stored vector's slots, then its two hash lanes. */
  protected readonly stride: number;
  /** The lanes of the state being looked up. */
  protected a = 0;
  protected b = 0;
  /** The lanes of the state last loaded. */
  private loadedA = 0;
  private loadedB = 0;

  constructor(protected readonly n: number) { this.stride = n + 2; }

  /** Store v unless an equal state is stored already; returns true if it was new. */
  add(v: Vec): boolean {
    let a = 0, b = 0;
    for (let k = 0; k < this.n; k++) { a = (a + laneA(k, v[k])) | 0; b = (b + laneB(k, v[k])) | 0; }
    this.a = a; this.b = b;
    return this.insert(v);
  }

  /** add(v) for v a successor of `parent`, the state last loaded: only the slots that differ are hashed. */
  addSuccessor(parent: Vec, v: Vec): boolean {
    const n = this.n;
    let a = this.loadedA, b = this.loadedB;
    for (let k = 0; k < n; k++) {
      const x = v[k], y = parent[k];
      if (x !== y) { a = (a + laneA(k, x) - laneA(k, y)) | 0; b = (b + laneB(k, x) - laneB(k, y)) | 0; }
    }
    this.a = a; this.b = b;
    return this.insert(v);
  }

  /** Copy state s into out. */
  load(s: number, out: Vec): void {
    const n = this.n, chunk = this.chunk(s);
    const o = (s & (CHUNK - 1)) * this.stride;
    out.set(chunk.subarray(o, o + n)); // a view per state, a native copy: cheaper than a loop
    this.loadedA = chunk[o + n];
    this.loadedB = chunk[o + n + 1];
  }

  /** The most bytes held at once. */
  abstract readonly peakBytes: number;
  protected abstract insert(v: Vec): boolean;
  protected abstract chunk(s: number): Int32Array;

  /** Put v and its lanes at state s's place in chunk. */
  protected put(chunk: Int32Array, s: number, v: Vec) {
    const n = this.n, o = (s & (CHUNK - 1)) * this.stride;
    chunk.set(v, o);
    chunk[o + n] = this.a;
    chunk[o + n + 1] = this.b;
  }
}

/** Every state's vector, looked up by hash and confirmed by comparing vectors: exact. */
export class StateStore extends HashedStates {
  private readonly chunks: Int32Array[] = [];
  /** Pairs: [2e] = lane a of the hash, [2e+1] = state number + 1 (0 = empty). */
  private table = new Int32Array(2 << 14);
  private mask = (1 << 14) - 1;

  protected insert(v: Vec): boolean {
    const h = this.a, table = this.table, mask = this.mask;
    let i = h & mask;
    for (let e = table[2 * i + 1]; e !== 0; e = table[2 * i + 1]) {
      if (table[2 * i] === h && this.equals(e - 1, v)) return false;
      i = (i + 1) & mask;
    }
    const s = this.count;
    if (s >>> CHUNK_BITS === this.chunks.length) this.chunks.push(new Int32Array(CHUNK * this.stride));
    this.put(this.chunks[s >>> CHUNK_BITS]!, s, v);
    table[2 * i] = h;
    table[2 * i + 1] = s + 1;
    this.count = s + 1;
    if (this.count * 2 > mask) this.rehash();
    return true;
  }

  /** This store only grows: what it holds at the end is the most it held. */
  get peakBytes(): number {
    return this.chunks.length * CHUNK * this.stride * 4 + this.table.byteLength;
  }

  protected chunk(s: number) { return this.chunks[s >>> CHUNK_BITS]!; }

  private equals(s: number, v: Vec): boolean {
    const n = this.n, chunk = this.chunks[s >>> CHUNK_BITS]!;
    for (let k = 0, o = (s & (CHUNK - 1)) * this.stride; k < n; k++) if (chunk[o + k] !== v[k]) return false;
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
  private readonly chunks: Array<Int32Array | null> = [];
  private liveChunks = 0;
  /** Dropped chunks, reused for new states: the garbage collector need not return them first. */
  private readonly spare: Int32Array[] = [];
  /** Chunks before this one were dropped: every state in them was loaded. */
  private firstLive = 0;
  /** Pairs [2e] = lane a (the probe index), [2e+1] = lane b; (0, 0) = empty. */
  private table = new Int32Array(2 << 14);
  private mask = (1 << 14) - 1;

  constructor(n: number) { super(n); this.note(); }

  protected insert(v: Vec): boolean {
    const a = this.a, b = this.a === 0 && this.b === 0 ? 1 : this.b; // (0, 0) marks an empty slot
    const table = this.table, mask = this.mask;
    let i = a & mask;
    for (let x = table[2 * i], y = table[2 * i + 1]; x !== 0 || y !== 0; x = table[2 * i], y = table[2 * i + 1]) {
      if (x === a && y === b) return false;
      i = (i + 1) & mask;
    }
    table[2 * i] = a;
    table[2 * i + 1] = b;
    const s = this.count;
    if (s >>> CHUNK_BITS === this.chunks.length) { this.chunks.push(this.spare.pop() ?? new Int32Array(CHUNK * this.stride)); this.liveChunks++; this.note(); }
    this.put(this.chunks[s >>> CHUNK_BITS]!, s, v);
    this.count = s + 1;
    if (this.count * 10 > (mask + 1) * 7) this.grow();
    return true;
  }

  /** Loads go in the order states were stored: the chunks before s's are dropped. */
  protected chunk(s: number) {
    const c = s >>> CHUNK_BITS;
    for (; this.firstLive < c; this.firstLive++) { this.spare.push(this.chunks[this.firstLive]!); this.chunks[this.firstLive] = null; this.liveChunks--; }
    return this.chunks[c]!;
  }

  /** The chance that some state was taken for another and left out: n^2 / 2^65 for n states and 64-bit fingerprints. */
  get collisionProbability(): number {
    return Math.min(1, (this.count * this.count) / 2 ** 65);
  }

  private bytes(): number {
    return (this.liveChunks + this.spare.length) * CHUNK * this.stride * 4 + this.table.byteLength;
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
