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
  it('runs the WebAssembly module under Node', () => {
    expect(new Workspace(8, 1).simd).toBe(true);
    expect(new Workspace(8, 1, { simd: false }).simd).toBe(false);
  });

  for (const simd of [true, false]) {
    it(`gives the hash computed from scratch, whatever slots differ from the parent (${simd ? 'WebAssembly' : 'JavaScript'})`, () => {
      const rand = mulberry32(7);
      const pick = () => VALUES[Math.floor(rand() * VALUES.length)]!;
      for (const n of [8, 24, 88]) {
        const work = new Workspace(n, 3, { simd }), parent = work.take(), child = work.take(), fresh = work.take();
        for (let round = 0; round < 2000; round++) {
          for (let k = 0; k < n; k++) parent.v[k] = pick();
          work.hash(parent);
          child.v.set(parent.v);
          for (let c = Math.floor(rand() * 5); c > 0; c--) child.v[Math.floor(rand() * n)] = pick();
          work.hashSuccessor(parent, child);
          fresh.v.set(child.v);
          work.hash(fresh);
          expect([child.a, child.b], `${n} slots: ${child.v.join()} from ${parent.v.join()}`).toEqual([fresh.a, fresh.b]);
        }
      }
    });
  }

  it('a slot changed anywhere changes the hash, the last of the vector included', () => {
    for (const simd of [true, false]) {
      const work = new Workspace(16, 2, { simd }), parent = work.take(), child = work.take();
      work.hash(parent);
      for (let k = 0; k < 16; k++) {
        child.v.fill(0);
        child.v[k] = 1;
        work.hashSuccessor(parent, child);
        expect([child.a, child.b], `slot ${k}`).not.toEqual([parent.a, parent.b]);
      }
    }
  });

  it('the committed module is successor-hash.wat assembled (npm run build:wasm)', async () => {
    expect(SUCCESSOR_HASH_WASM).toBe(await wasmBase64());
  });
});
