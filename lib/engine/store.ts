// The visited set: states stored back to back in fixed-size chunks of Int32Array, found again
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
