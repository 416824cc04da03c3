// The visited set: states stored back to back in one growing Int32Array, found again through an
// open-addressing table keyed by a hash of the vector (and confirmed by comparing the stored copy),
// so exploring allocates nothing per state.

import type { Vec } from './state';

export class StateStore {
  count = 0;
  private pool: Int32Array;
  private hashes: Int32Array;
  private table: Int32Array; // state number + 1, 0 = empty
  private mask: number;
  private readonly n: number;

  constructor(n: number) {
    this.n = n;
    this.pool = new Int32Array(n * 8192);
    this.hashes = new Int32Array(8192);
    this.table = new Int32Array(1 << 14);
    this.mask = this.table.length - 1;
  }

  /** Store v unless an equal vector is stored already; returns true if it was new. */
  add(v: Vec): boolean {
    const n = this.n;
    let h = 0x811c9dc5 | 0;
    for (let k = 0; k < n; k++) h = Math.imul(h ^ v[k], 0x01000193);
    h ^= h >>> 15;
    const table = this.table, pool = this.pool, hashes = this.hashes, mask = this.mask;
    let i = h & mask;
    for (let e = table[i]; e !== 0; e = table[i]) {
      const s = e - 1;
      if (hashes[s] === h) {
        let k = 0;
        for (let o = s * n; k < n; k++) if (pool[o + k] !== v[k]) break;
        if (k === n) return false;
      }
      i = (i + 1) & mask;
    }
    const s = this.count;
    if (s >= this.hashes.length) this.grow();
    const p = this.pool;
    for (let k = 0, o = s * n; k < n; k++) p[o + k] = v[k];
    this.hashes[s] = h;
    table[i] = s + 1;
    this.count = s + 1;
    if (this.count * 2 > table.length) this.rehash();
    return true;
  }

  /** Copy state s into out. */
  load(s: number, out: Vec): void {
    const n = this.n, pool = this.pool;
    for (let k = 0, o = s * n; k < n; k++) out[k] = pool[o + k];
  }

  // Grown four-fold: each growth copies every stored state, and doubling from 8k states
  // took five rounds of copies on a 160k-state model.
  private grow() {
    const pool = new Int32Array(this.pool.length * 4);
    pool.set(this.pool);
    this.pool = pool;
    const hashes = new Int32Array(this.hashes.length * 4);
    hashes.set(this.hashes);
    this.hashes = hashes;
  }

  private rehash() {
    const table = new Int32Array(this.table.length * 2);
    const mask = table.length - 1;
    for (let s = 0; s < this.count; s++) {
      let i = this.hashes[s] & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = s + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}
