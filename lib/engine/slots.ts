// The memory of a search: the vectors it works on (the state it expands, the successors it
// builds), the vectors its visited store keeps (store.ts), their hash and their copies.
//
// The hash is Zobrist-style: over the slots, the sum of a mix of (slot, value), in two
// independent 32-bit lanes. A successor differs from its parent in a few slots, so its hash is
// the parent's plus those slots' change: a transition hashes a handful of slots, not the whole
// vector. Finding those slots is most of the work; where the runtime compiles WebAssembly with
// SIMD (Node, and the page's worker) it compares eight slots an instruction
// (successor-hash.wat), else four at a time here, read as doubles. All vectors are in one
// memory so that the module copies them too: a search copies a vector three or four times a
// state (the state loaded from the store, a successor from its parent, a new state stored).

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
  v!: Vec;
  words!: Int32Array;
  quads!: Float64Array;
  a = 0;
  b = 0;
  constructor(buffer: ArrayBuffer | SharedArrayBuffer, readonly at: number, private readonly n: number) { this.bind(buffer); }
  /** Views of `buffer`: again when the workspace's memory grew (an unshared one's old views are then empty). */
  bind(buffer: ArrayBuffer | SharedArrayBuffer): void {
    this.v = new Int16Array(buffer, this.at, this.n);
    this.words = new Int32Array(buffer, this.at, this.n >> 1);
    this.quads = new Float64Array(buffer, this.at, this.n >> 2);
  }
}

interface SuccessorHashModule {
  hashSuccessor(parent: number, x: number, bytes: number, a: number, b: number, next: number): number;
  copy(from: number, to: number, bytes: number): void;
}

/** Bytes 0..15 of a workspace: lane b out of the WebAssembly hash. Vectors follow. */
const RESERVED = 16;
const PAGE = 65536;
/** WebAssembly's 32-bit memories end at 4 GiB. */
const MAX_PAGES = 65536;

type Sharing = keyof typeof SUCCESSOR_HASH_WASM;
const compiled: Partial<Record<Sharing, WebAssembly.Module | null>> = {}; // null: this runtime cannot have it
function successorHashModule(sharing: Sharing): WebAssembly.Module | null {
  if (compiled[sharing] === undefined) {
    try {
      const bytes = Uint8Array.from(atob(SUCCESSOR_HASH_WASM[sharing]), (c) => c.charCodeAt(0));
      compiled[sharing] = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled[sharing] = null; // a page whose Content-Security-Policy forbids compiling WebAssembly
    }
  }
  return compiled[sharing]!;
}

/** A finished search's memory, by the kind of workspace it was (Workspace.release). */
const released = new Map<string, { memory: WebAssembly.Memory | undefined; exports: SuccessorHashModule | undefined; buffer: ArrayBuffer | SharedArrayBuffer }>();
/** Kept only up to this size: a large search's memory is left to the garbage collector (a WebAssembly memory never shrinks). */
const KEEP_BYTES = 8 * 2 ** 20;

/** The module and a memory of `pages` for it: shared where the runtime allows it (successor-hash.wat says why), else not. */
function instantiate(pages: number, shared: boolean): { memory: WebAssembly.Memory; exports: SuccessorHashModule } | undefined {
  for (const sharing of shared ? (['shared', 'unshared'] as const) : (['unshared'] as const)) {
    const module = successorHashModule(sharing);
    if (!module) continue;
    try {
      const memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: sharing === 'shared' });
      return { memory, exports: new WebAssembly.Instance(module, { engine: { memory } }).exports as unknown as SuccessorHashModule };
    } catch {
      // a page that is not cross-origin isolated has no shared memory
    }
  }
  return undefined;
}

/**
 * The vectors of one search, in one memory (a WebAssembly memory where the runtime compiles the
 * module, else an ArrayBuffer), and the hashing and copying of them. It grows as a store asks
 * for room; its views are then remade, so a vector's `v` is read again after a store grew.
 */
export class Workspace {
  /** Whether successors are hashed, and vectors copied, by the WebAssembly module. */
  readonly simd: boolean;
  /** Whether its memory is shared: growing it then detaches no buffer. */
  readonly sharedMemory: boolean;
  /** The whole memory, a word at a time: remade when it grows. */
  words!: Int32Array;
  private buffer: ArrayBuffer | SharedArrayBuffer;
  private laneOut!: Int32Array;
  private readonly memory: WebAssembly.Memory | undefined;
  private readonly wasm: SuccessorHashModule | undefined;
  private readonly taken: StateSlots[] = [];
  /** Grows the memory had, as V8 counts memory (grow). */
  private readonly counted: ArrayBuffer[] = [];
  private next = RESERVED;
  /** Its options, as the key of the memory it may keep for the next (release). */
  private readonly kind: string;

  /**
   * Room for `vectors` vectors of n slots (a multiple of VEC_ALIGN) to begin with. `simd: false`
   * works in JavaScript only, `shared: false` in an unshared memory (as on a page that is not
   * cross-origin isolated).
   */
  constructor(readonly n: number, vectors: number, opts: { simd?: boolean; shared?: boolean } = {}) {
    if (n % VEC_ALIGN !== 0) throw new Error(`state vectors of ${n} slots: pad them to a multiple of ${VEC_ALIGN}`);
    this.kind = `${opts.simd ?? true}/${opts.shared ?? true}`;
    const pages = Math.ceil((RESERVED + vectors * 2 * n) / PAGE);
    const kept = released.get(this.kind);
    released.delete(this.kind);
    const wasm = kept ?? (opts.simd === false ? undefined : instantiate(pages, opts.shared ?? true));
    this.memory = wasm?.memory;
    this.wasm = wasm?.exports;
    this.buffer = this.memory?.buffer ?? kept?.buffer ?? new ArrayBuffer(pages * PAGE);
    this.simd = this.wasm !== undefined;
    this.sharedMemory = typeof SharedArrayBuffer === 'function' && this.buffer instanceof SharedArrayBuffer;
    this.bind();
  }

  /**
   * Done with: a memory of at most KEEP_BYTES is kept for the next workspace of the same kind,
   * which then neither makes a memory (a shared one costs more than a small search) nor grows
   * one. Its vectors must not be used again.
   */
  release(): void {
    if (this.buffer.byteLength <= KEEP_BYTES) released.set(this.kind, { memory: this.memory, exports: this.wasm, buffer: this.buffer });
  }

  /** The bytes of memory in use. */
  get bytes(): number { return this.next; }

  /** Byte offset of `bytes` more bytes (a multiple of 4), growing the memory, at least two-fold, if need be. */
  alloc(bytes: number): number {
    const at = this.next;
    if (at + bytes > this.buffer.byteLength) this.grow(at + bytes);
    this.next = at + bytes;
    return at;
  }

  private grow(least: number) {
    const had = this.buffer.byteLength;
    if (this.memory) {
      const pages = Math.ceil(least / PAGE);
      if (pages > MAX_PAGES) throw new RangeError(`the search needs ${Math.round(least / 2 ** 20)} MB for its state vectors, past WebAssembly's 4 GiB`);
      this.memory.grow(Math.min(MAX_PAGES, Math.max(pages, 2 * had / PAGE)) - had / PAGE);
      this.buffer = this.memory.buffer;
      // V8 counts a memory's growth as nothing allocated, so a finished search's memory waited for
      // a collection nothing asked for: a process that ran several large searches held several.
      // An ArrayBuffer of the growth's size, never touched (address space, no page), is counted.
      this.counted.push(new ArrayBuffer(this.buffer.byteLength - had));
    } else {
      const grown = new ArrayBuffer(Math.max(least, 2 * had));
      new Uint8Array(grown).set(new Uint8Array(this.buffer));
      this.buffer = grown;
    }
    this.bind();
  }

  private bind() {
    this.words = new Int32Array(this.buffer);
    this.laneOut = new Int32Array(this.buffer, 0, 1);
    for (const x of this.taken) x.bind(this.buffer);
  }

  /** Copy the vector at byte `from` to byte `to` (lanes not included). */
  copyVector(from: number, to: number): void {
    if (this.wasm !== undefined) this.wasm.copy(from, to, 2 * this.n);
    else this.words.copyWithin(to >> 2, from >> 2, (from >> 2) + (this.n >> 1));
  }

  /** Copy a vector and its lanes. */
  copy(from: StateSlots, to: StateSlots): void {
    this.copyVector(from.at, to.at);
    to.a = from.a;
    to.b = from.b;
  }

  /** One more vector, zeroed. */
  take(): StateSlots {
    const at = this.alloc(2 * this.n);
    const x = new StateSlots(this.buffer, at, this.n);
    x.v.fill(0); // a kept memory holds what the last search left
    this.taken.push(x);
    return x;
  }

  /** Hash x from scratch. */
  hash(x: StateSlots): void {
    const v = x.v;
    let a = 0, b = 0;
    for (let k = 0; k < this.n; k++) { a = (a + laneA(k, v[k])) | 0; b = (b + laneB(k, v[k])) | 0; }
    x.a = a; x.b = b;
  }

  /**
   * Hash x, a successor of `parent` (hashed): only the slots that differ are hashed. And copy
   * parent's vector to `next`, the successor the explorer builds after x.
   */
  hashSuccessor(parent: StateSlots, x: StateSlots, next: StateSlots): void {
    if (this.wasm !== undefined) {
      x.a = this.wasm.hashSuccessor(parent.at, x.at, 2 * this.n, parent.a, parent.b, next.at);
      x.b = this.laneOut[0];
      return;
    }
    this.copyVector(parent.at, next.at);
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
