// Symmetry reduction. Actors that run the same program apart from who they are (two tasks
// faulting at one index) are interchangeable: swapping their blocks, and renaming them wherever a
// state names an actor (a lock holder), gives a state that behaves the same up to that renaming.
// So the explorer stores one representative per class of such states, the canonical one.

import { RW_READERS, type Vec } from './state';

export interface Symmetry {
  /** Interchangeable actors, each group ascending and of two or more. */
  groups: number[][];
  /** Per actor: where its block (pc, flags, locals) starts and how long it is. */
  base: number[];
  length: number[];
  /** Slots that name an actor as actor+1 (0 = none; from RW_READERS on, an rwsem's reader count). */
  actorSlots: number[];
}

/**
 * Brings a state to its class's representative in place and tells which actor went where
 * (`to[a]` = a's position now). Within a group the actors are ordered by their blocks, ties by
 * the first actor slot naming them: a key each that renaming does not change, so every state of
 * a class comes out the same. Actors tied on both are named nowhere and have equal blocks:
 * their order does not show.
 */
export type Canonicaliser = (v: Vec, to: Int32Array) => void;

export function canonicaliser(sym: Symmetry, actors: number): Canonicaliser {
  const { groups, base, length } = sym;
  const slots = Int32Array.from(sym.actorSlots);
  const unnamed = slots.length;
  const firstNamed = new Int32Array(actors);
  const order = groups.map((g) => Int32Array.from(g));
  const scratch = new Int32Array(Math.max(0, ...groups.map((g) => g.length * length[g[0]!]!)));
  const before = (v: Vec, a: number, b: number, len: number) => {
    for (let k = 0, x = base[a]!, y = base[b]!; k < len; k++) {
      const d = v[x + k] - v[y + k];
      if (d !== 0) return d < 0;
    }
    return firstNamed[a] < firstNamed[b];
  };
  return (v, to) => {
    for (let a = 0; a < actors; a++) to[a] = a;
    firstNamed.fill(unnamed);
    for (let j = slots.length - 1; j >= 0; j--) {
      const x = v[slots[j]];
      if (x > 0 && x < RW_READERS) firstNamed[x - 1] = j;
    }
    let moved = false;
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi]!, ord = order[gi]!, len = length[g[0]!]!;
      ord.set(g);
      // Insertion sort: groups are a handful of actors.
      for (let i = 1; i < ord.length; i++) {
        const a = ord[i];
        let j = i - 1;
        for (; j >= 0 && before(v, a, ord[j], len); j--) ord[j + 1] = ord[j];
        ord[j + 1] = a;
      }
      let same = true;
      for (let i = 0; i < ord.length; i++) if (ord[i] !== g[i]) { same = false; break; }
      if (same) continue;
      moved = true;
      for (let i = 0; i < ord.length; i++) {
        to[ord[i]] = g[i]!;
        scratch.set(v.subarray(base[ord[i]]!, base[ord[i]]! + len), i * len);
      }
      for (let i = 0; i < ord.length; i++) v.set(scratch.subarray(i * len, (i + 1) * len), base[g[i]!]!);
    }
    if (!moved) return;
    for (let j = 0; j < slots.length; j++) {
      const x = v[slots[j]];
      if (x > 0 && x < RW_READERS) v[slots[j]] = to[x - 1] + 1;
    }
  };
}

/** Every renaming the groups allow (each as `to[a]`), the identity first: for the results of all the states a representative stands for. */
export function* renamings(groups: readonly number[][], actors: number): Generator<Int32Array> {
  const to = Int32Array.from({ length: actors }, (_, a) => a);
  function* within(gi: number): Generator<Int32Array> {
    if (gi === groups.length) { yield to; return; }
    const g = groups[gi]!;
    const perm = g.slice();
    // Heap's algorithm over the group's members, recursing into the next group at each arrangement.
    const c = new Array(g.length).fill(0);
    const place = () => g.forEach((a, i) => { to[a] = perm[i]!; });
    place();
    yield* within(gi + 1);
    for (let i = 1; i < g.length; ) {
      if (c[i] < i) {
        const j = i % 2 === 0 ? 0 : c[i];
        [perm[j], perm[i]] = [perm[i]!, perm[j]!];
        place();
        yield* within(gi + 1);
        c[i]++;
        i = 1;
      } else { c[i] = 0; i++; }
    }
    g.forEach((a) => { to[a] = a; });
  }
  yield* within(0);
}
