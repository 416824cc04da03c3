// The visited set, full or compact.
//
// The full one: states stored back to back in fixed-size chunks of Int32Array, found again
// through an open-addressing table keyed by a hash of the vector (and confirmed by comparing the
// stored copy), so exploring allocates nothing per state.
//
// Where the time goes is memory, not arithmetic: a lookup touches the table and, on a hash match,
// the stored state, both at random. So the table keeps each entry's hash beside its state number
// (one cache line answers most probes), and the pool grows by adding chunks rather than by
// copying everything into a bigger array.

import type { Vec } from './state';

const CHUNK_BITS = 12; // 4,096 states a chunk
const CHUNK = 1 << CHUNK_BITS;

export class StateStore {
  count = 0;
  private readonly chunks: Int32Array[] = [];
  /** Pairs: [2e] = hash, [2e+1] = state number + 1 (0 = empty). */
  private table = new Int32Array(2 << 14);
  private mask = (1 << 14) - 1;

  constructor(private readonly n: number) {}

  /** Store v unless an equal vector is stored already; returns true if it was new. */
  add(v: Vec): boolean {
    const n = this.n;
    // Four independent lanes, so the multiplies overlap instead of forming one long chain.
    let h0 = 0x811c9dc5 | 0, h1 = 0x01000193 | 0, h2 = 0x2545f491 | 0, h3 = 0x9e3779b9 | 0;
    let k = 0;
    for (; k + 3 < n; k += 4) {
      h0 = Math.imul(h0 ^ v[k], 0x01000193);
      h1 = Math.imul(h1 ^ v[k + 1], 0x01000193);
      h2 = Math.imul(h2 ^ v[k + 2], 0x01000193);
      h3 = Math.imul(h3 ^ v[k + 3], 0x01000193);
    }
    for (; k < n; k++) h0 = Math.imul(h0 ^ v[k], 0x01000193);
    let h = Math.imul(h0 ^ (h1 >>> 7), 0x85ebca6b) ^ Math.imul(h2 ^ (h3 >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    const table = this.table, mask = this.mask;
    let i = h & mask;
    for (let e = table[2 * i + 1]; e !== 0; e = table[2 * i + 1]) {
      if (table[2 * i] === h && this.equals(e - 1, v)) return false;
      i = (i + 1) & mask;
    }
    const s = this.count;
    const c = s >>> CHUNK_BITS;
    if (c === this.chunks.length) this.chunks.push(new Int32Array(CHUNK * n));
    const chunk = this.chunks[c];
    for (let k = 0, o = (s & (CHUNK - 1)) * n; k < n; k++) chunk[o + k] = v[k];
    table[2 * i] = h;
    table[2 * i + 1] = s + 1;
    this.count = s + 1;
    if (this.count * 2 > mask) this.rehash();
    return true;
  }

  /** Bytes the stored states and the table take. */
  get bytes(): number {
    return this.chunks.length * CHUNK * this.n * 4 + this.table.byteLength;
  }

  /** This store only grows: what it holds at the end is the most it held. */
  get peakBytes(): number {
    return this.bytes;
  }

  /** Copy state s into out. */
  load(s: number, out: Vec): void {
    const n = this.n, chunk = this.chunks[s >>> CHUNK_BITS];
    for (let k = 0, o = (s & (CHUNK - 1)) * n; k < n; k++) out[k] = chunk[o + k];
  }

  private equals(s: number, v: Vec): boolean {
    const n = this.n, chunk = this.chunks[s >>> CHUNK_BITS];
    for (let k = 0, o = (s & (CHUNK - 1)) * n; k < n; k++) if (chunk[o + k] !== v[k]) return false;
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
 * The compact visited set: a 64-bit fingerprint per state in an open-addressing table, and full
 * vectors only for the states not yet expanded. Breadth-first search loads states in the order it
 * stored them, so once it moves past a chunk that chunk is dropped: memory is the table (8 bytes a
 * slot, at most 70% full) plus the frontier. Two states with one fingerprint count as one, so a
 * state may be missed with probability about n^2 / 2^65 (collisionProbability).
 */
export class CompactStore {
  count = 0;
  /** The largest number of bytes held at once (the table and the live chunks). */
  peakBytes = 0;
  private readonly chunks: Array<Int32Array | null> = [];
  private liveChunks = 0;
  /** Chunks before this one were dropped: every state in them was loaded. */
  private firstLive = 0;
  /** Pairs [2e] = fingerprint low word (the probe index), [2e+1] = high word; (0, 0) = empty. */
  private table = new Int32Array(2 << 14);
  private mask = (1 << 14) - 1;

  constructor(private readonly n: number) { this.note(); }

  add(v: Vec): boolean {
    const n = this.n;
    // Two murmur3-style streams with their own constants, so the 64 bits are not 32 twice over.
    let a = 0x9747b28c | 0, b = 0x3c6ef372 | 0;
    for (let k = 0; k < n; k++) {
      const x = v[k];
      let p = Math.imul(x, 0xcc9e2d51);
      p = Math.imul((p << 15) | (p >>> 17), 0x1b873593);
      a ^= p;
      a = Math.imul((a << 13) | (a >>> 19), 5) + 0xe6546b64 | 0;
      let q = Math.imul(x ^ k, 0x85ebca6b);
      q = Math.imul((q << 16) | (q >>> 16), 0xc2b2ae35);
      b ^= q;
      b = Math.imul((b << 11) | (b >>> 21), 9) + 0x7f4a7c15 | 0;
    }
    a = fmix(a ^ n);
    b = fmix(b + a);
    if (a === 0 && b === 0) b = 1; // (0, 0) marks an empty slot
    const table = this.table, mask = this.mask;
    let i = a & mask;
    for (let lo = table[2 * i], hi = table[2 * i + 1]; lo !== 0 || hi !== 0; lo = table[2 * i], hi = table[2 * i + 1]) {
      if (lo === a && hi === b) return false;
      i = (i + 1) & mask;
    }
    table[2 * i] = a;
    table[2 * i + 1] = b;
    const s = this.count;
    const c = s >>> CHUNK_BITS;
    if (c === this.chunks.length) { this.chunks.push(new Int32Array(CHUNK * n)); this.liveChunks++; this.note(); }
    const chunk = this.chunks[c]!;
    for (let k = 0, o = (s & (CHUNK - 1)) * n; k < n; k++) chunk[o + k] = v[k];
    this.count = s + 1;
    if (this.count * 10 > (mask + 1) * 7) this.grow();
    return true;
  }

  /** Copy state s into out. Loads go in the order states were stored: earlier chunks are dropped. */
  load(s: number, out: Vec): void {
    const c = s >>> CHUNK_BITS;
    for (; this.firstLive < c; this.firstLive++) { this.chunks[this.firstLive] = null; this.liveChunks--; }
    const n = this.n, chunk = this.chunks[c]!;
    for (let k = 0, o = (s & (CHUNK - 1)) * n; k < n; k++) out[k] = chunk[o + k];
  }

  get bytes(): number {
    return this.liveChunks * CHUNK * this.n * 4 + this.table.byteLength;
  }

  /** The chance that some state was taken for another and left out: n^2 / 2^65 for n states and 64-bit fingerprints. */
  get collisionProbability(): number {
    return Math.min(1, (this.count * this.count) / 2 ** 65);
  }

  private note() { this.peakBytes = Math.max(this.peakBytes, this.bytes); }

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
    this.peakBytes = Math.max(this.peakBytes, this.bytes + table.byteLength);
    this.table = table;
    this.mask = mask;
    this.note();
  }
}

/** murmur3's finaliser: every input bit reaches every output bit. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
