// A successor's hash, updated from its parent's by the slots that differ, must be the hash
// computed from scratch: else one state stored under two hashes is stored twice. It is computed
// by the WebAssembly module where the runtime has it, in JavaScript where not; both are tried.
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../lib/engine/index';
import { Workspace } from '../../lib/engine/slots';
import { SUCCESSOR_HASH_WASM } from '../../lib/engine/successor-hash';
import { wasmBase64 } from '../../lib/cli/build-wasm.mjs';

// Negative values in the top slot of four make NaNs when the JavaScript reads four slots as a
// double (unequal to themselves), so every kind of slot value is tried.
const VALUES = [0, 1, 2, 7, 64, 65, 0x100, 0x200, 0x733, 0xfff, -1, -5, -12, -22, -28, -4095];

describe('hashing a successor', () => {
  it('runs the WebAssembly module under Node, in a shared memory', () => {
    expect(new Workspace(8, 1)).toMatchObject({ simd: true, sharedMemory: true });
    expect(new Workspace(8, 1, { shared: false })).toMatchObject({ simd: true, sharedMemory: false });
    expect(new Workspace(8, 1, { simd: false })).toMatchObject({ simd: false, sharedMemory: false });
  });

  for (const simd of [true, false]) {
    it(`gives the hash computed from scratch, whatever slots differ from the parent (${simd ? 'WebAssembly' : 'JavaScript'})`, () => {
      const rand = mulberry32(7);
      const pick = () => VALUES[Math.floor(rand() * VALUES.length)]!;
      for (const n of [8, 24, 88]) {
        const work = new Workspace(n, 4, { simd }), parent = work.take(), child = work.take(), fresh = work.take(), next = work.take();
        for (let round = 0; round < 2000; round++) {
          for (let k = 0; k < n; k++) parent.v[k] = pick();
          work.hash(parent);
          child.v.set(parent.v);
          for (let c = Math.floor(rand() * 5); c > 0; c--) child.v[Math.floor(rand() * n)] = pick();
          next.v.fill(1);
          work.hashSuccessor(parent, child, next);
          fresh.v.set(child.v);
          work.hash(fresh);
          expect([child.a, child.b], `${n} slots: ${child.v.join()} from ${parent.v.join()}`).toEqual([fresh.a, fresh.b]);
          expect(next.v, 'the next successor starts as a copy of the parent').toEqual(parent.v);
        }
      }
    });
  }

  it('a slot changed anywhere changes the hash, the last of the vector included', () => {
    for (const simd of [true, false]) {
      const work = new Workspace(16, 3, { simd }), parent = work.take(), child = work.take(), next = work.take();
      work.hash(parent);
      for (let k = 0; k < 16; k++) {
        child.v.fill(0);
        child.v[k] = 1;
        work.hashSuccessor(parent, child, next);
        expect([child.a, child.b], `slot ${k}`).not.toEqual([parent.a, parent.b]);
      }
    }
  });

  for (const [kind, opts] of [['WebAssembly, shared memory', {}], ['WebAssembly, unshared memory', { shared: false }], ['JavaScript', { simd: false }]] as const) {
    it(`copies vectors, and keeps them and their views when a store's room grows the memory (${kind})`, () => {
      const work = new Workspace(24, 2, opts), x = work.take(), y = work.take();
      x.v.set(Array.from({ length: 24 }, (_, k) => k * 170 - 4095));
      x.a = 5; x.b = -7;
      work.copy(x, y);
      expect([...y.v]).toEqual([...x.v]);
      expect([y.a, y.b]).toEqual([5, -7]);
      const had = work.words.length;
      const at = work.alloc(3 * 2 ** 20); // past the first page: the memory grows
      expect(work.words.length).toBeGreaterThan(had);
      expect(work.bytes).toBe(at + 3 * 2 ** 20);
      expect([...x.v], 'a vector keeps its slots, read through views made again').toEqual([...y.v]);
      work.copyVector(x.at, at);
      expect([...work.words.subarray(at >> 2, (at >> 2) + 12)]).toEqual([...x.words]);
      y.v.fill(0);
      work.copyVector(at, y.at);
      expect([...y.v]).toEqual([...x.v]);
    });
  }

  it('the committed modules are successor-hash.wat assembled (npm run build:wasm)', async () => {
    expect(SUCCESSOR_HASH_WASM).toEqual(await wasmBase64());
  });
});
