// The vectors a search works on (the state it expands, the successors it builds) and their hash.
//
// The hash is Zobrist-style: over the slots, the sum of a mix of (slot, value), in two
// independent 32-bit lanes. A successor differs from its parent in a few slots, so its hash is
// the parent's plus those slots' change: a transition hashes a handful of slots, not the whole
// vector. Finding those slots is most of the work; where the runtime compiles WebAssembly with
// SIMD (Node, and the page's worker) it compares eight slots an instruction
// (successor-hash.wat), else four at a time here, read as doubles.

import { VEC_ALIGN, type Vec } from './state';
import { SUCCESSOR_HASH_WASM } from './successor-hash';

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
// the slot's multiple differs in its high bits), mixed. successor-hash.wat mixes alike.
function laneA(k: number, x: number) { return fmix(Math.imul(k + 1, 0x9e3779b1) ^ x); }
function laneB(k: number, x: number) { return lowbias(Math.imul(k + 1, 0x632be5ab) ^ x); }

/**
 * A state vector at byte `at` of its workspace's memory, with views of its slots two at a time
 * (Int32, exact: copies and comparisons) and four at a time (Float64: finding changed slots
 * without WebAssembly), and its hash lanes. Four slots compared as a double miss no change: a
 * NaN compares unequal to itself, so those four are compared one by one, and -0 === +0 would
 * hide a slot at -32768 beside three zeros, a value no slot holds (state.ts).
 */
export class StateSlots {
  readonly v: Vec;
  readonly words: Int32Array;
  readonly quads: Float64Array;
  a = 0;
  b = 0;
  constructor(buffer: ArrayBuffer, readonly at: number, n: number) {
    this.v = new Int16Array(buffer, at, n);
    this.words = new Int32Array(buffer, at, n >> 1);
    this.quads = new Float64Array(buffer, at, n >> 2);
  }
}

type SuccessorHash = (parent: number, x: number, bytes: number, a: number, b: number) => number;

/** Bytes 0..15 of a workspace: lane b out of the WebAssembly hash. Vectors follow. */
const RESERVED = 16;

let compiled: WebAssembly.Module | null | undefined; // null: this runtime cannot have it
function successorHashModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      const bytes = Uint8Array.from(atob(SUCCESSOR_HASH_WASM), (c) => c.charCodeAt(0));
      compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null; // a page whose Content-Security-Policy forbids compiling WebAssembly
    }
  }
  return compiled;
}

/** The vectors of one search, in one memory, and the hashing of them. */
export class Workspace {
  /** Whether successors are hashed by the WebAssembly module. */
  readonly simd: boolean;
  private readonly buffer: ArrayBuffer;
  private readonly laneOut: Int32Array;
  private readonly wasmHash: SuccessorHash | undefined;
  private next = RESERVED;

  /** Room for `vectors` vectors of n slots (a multiple of VEC_ALIGN); `simd: false` hashes in JavaScript only. */
  constructor(private readonly n: number, vectors: number, opts: { simd?: boolean } = {}) {
    if (n % VEC_ALIGN !== 0) throw new Error(`state vectors of ${n} slots: pad them to a multiple of ${VEC_ALIGN}`);
    const bytes = RESERVED + vectors * 2 * n;
    const module = opts.simd === false ? null : successorHashModule();
    if (module) {
      const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
      this.wasmHash = new WebAssembly.Instance(module, { engine: { memory } }).exports.hashSuccessor as SuccessorHash;
      this.buffer = memory.buffer;
    } else {
      this.buffer = new ArrayBuffer(bytes);
    }
    this.simd = this.wasmHash !== undefined;
    this.laneOut = new Int32Array(this.buffer, 0, 1);
  }

  /** One more vector, zeroed. */
  take(): StateSlots {
    if (this.next + 2 * this.n > this.buffer.byteLength) throw new Error('workspace: no room for another vector');
    const x = new StateSlots(this.buffer, this.next, this.n);
    this.next += 2 * this.n;
    return x;
  }

  /** Hash x from scratch. */
  hash(x: StateSlots): void {
    const v = x.v;
    let a = 0, b = 0;
    for (let k = 0; k < this.n; k++) { a = (a + laneA(k, v[k])) | 0; b = (b + laneB(k, v[k])) | 0; }
    x.a = a; x.b = b;
  }

  /** Hash x, a successor of `parent` (hashed): only the slots that differ are hashed. */
  hashSuccessor(parent: StateSlots, x: StateSlots): void {
    if (this.wasmHash !== undefined) {
      x.a = this.wasmHash(parent.at, x.at, 2 * this.n, parent.a, parent.b);
      x.b = this.laneOut[0];
      return;
    }
    const quads = this.n >> 2, xq = x.quads, pq = parent.quads, v = x.v, p = parent.v;
    let a = parent.a, b = parent.b;
    for (let q = 0; q < quads; q++) {
      if (xq[q] === pq[q]) continue;
      for (let k = 4 * q; k < 4 * q + 4; k++) {
        const y = v[k], z = p[k];
        if (y !== z) { a = (a + laneA(k, y) - laneA(k, z)) | 0; b = (b + laneB(k, y) - laneB(k, z)) | 0; }
      }
    }
    x.a = a; x.b = b;
  }
}
