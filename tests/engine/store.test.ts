// The compact store keeps 64-bit fingerprints and only the frontier's vectors: a search with it
// must find what the full store finds, in the same order (the same traces), holding less memory.
import { describe, expect, it } from 'vitest';
import { COMPACT_ABOVE, ERA_IDS, HANDLER_IDS, compileScenario, explore, mulberry32 } from '../../lib/engine/index';
import { DONE } from '../../lib/engine/state';
import { targetOf } from '../../lib/engine/steps';
import { CompactStore, StateStore } from '../../lib/engine/store';
import { Workspace } from '../../lib/engine/slots';
import type { ExploreResult, Scenario } from '../../lib/engine/index';
import { bundled, randomScenario, scenario, tracesReplay } from './helpers';
import type { CompiledModel } from '../../lib/engine/index';

/** A result without its stats, which differ by store. */
const findings = ({ stats: _stats, ...rest }: ExploreResult) => rest;

describe('compact store', () => {
  it('finds what the full store finds, trace for trace, for every bundled scenario', () => {
    for (const sc of bundled()) {
      const full = explore(sc, { store: 'full' }), compact = explore(sc, { store: 'compact' });
      expect(compact.stats.store).toBe('compact');
      expect(compact.stats.states, sc.id).toBe(full.stats.states);
      expect(findings(compact), sc.id).toEqual(findings(full));
    }
  });

  it('so it does for random scenarios, with symmetry on and off, and its traces replay', () => {
    for (let seed = 101; seed <= 112; seed++) {
      const sc: Scenario = { ...randomScenario(seed), actors: randomScenario(seed).actors.slice(0, 4) };
      for (const symmetry of [true, false]) {
        const opts = { symmetry, maxStates: 100_000, maxMillis: 20_000 };
        const full = explore(sc, { ...opts, store: 'full' }), compact = explore(sc, { ...opts, store: 'compact' });
        expect(findings(compact), sc.id).toEqual(findings(full));
        expect(tracesReplay(sc, compact), sc.id).toEqual([]);
      }
    }
  });

  it('holds less memory, says how likely a collision left a state out, and is chosen for large limits', () => {
    const sc = scenario('ocfs2-mmap-truncate');
    const big: Scenario = { ...sc, actors: [...sc.actors, { kind: 'downconvert', level: 'EX' }, { kind: 'writeback' }, { kind: 'reclaim', index: 0 }] };
    const full = explore(big, { reduction: false, store: 'full' }), compact = explore(big, { reduction: false, store: 'compact' });
    expect(compact.stats.states).toBe(full.stats.states);
    expect(compact.stats.states).toBeGreaterThan(20_000);
    expect(compact.stats.bytes).toBeLessThan(full.stats.bytes / 2);
    expect(compact.stats.collisionProbability).toBeCloseTo(compact.stats.states ** 2 / 2 ** 65, 20);
    expect(full.stats.collisionProbability).toBeUndefined();
    expect(explore(sc).stats.store).toBe('full');
    expect(explore(sc, { maxStates: COMPACT_ABOVE + 1 }).stats.store).toBe('compact');
  });
});

describe('both stores', () => {
  it('tell a successor that differs in one slot from one that does not', () => {
    for (const Store of [StateStore, CompactStore]) {
      const work = new Workspace(8, 3), parent = work.take(), child = work.take(), next = work.take();
      const store = new Store(work);
      parent.v.set([0, 0, 0, -1, 3, 0xfff, -22, 0]);
      work.hash(parent);
      expect(store.insert(parent)).toBe(true);
      store.load(0, parent);
      for (const [slot, value] of [[3, 0], [2, -1], [6, -5], [0, 1]] as const) {
        child.v.set(parent.v);
        child.v[slot] = value;
        work.hashSuccessor(parent, child, next);
        expect(store.insert(child), `slot ${slot} = ${value}`).toBe(true);
        child.v.set(parent.v);
        work.hashSuccessor(parent, child, next);
        expect(store.insert(child)).toBe(false);
      }
      expect(store.count).toBe(5);
    }
  });
});

describe('the state vector', () => {
  /** Slot values outside -4095..4095 met walking m's states on 32-bit copies (a 16-bit vector would wrap them silently). */
  function outOfRange(m: CompiledModel, most = 20_000): string[] {
    const { programs, pcIndex } = m;
    const seen = new Set<string>(), queue = [Int32Array.from(m.init)], found: string[] = [];
    for (let q = 0; q < queue.length && q < most; q++) {
      const v = queue[q]!;
      for (let a = 0; a < programs.length; a++) {
        const pc = v[pcIndex[a]!]!;
        const step = pc === DONE ? undefined : programs[a]!.steps[pc]!;
        if (!step || step.blocked?.(v as never)) continue;
        const next = v.slice();
        next[pcIndex[a]!] = targetOf(step, step.run(next as never))!;
        const bad = next.findIndex((x) => x < -4095 || x > 4095);
        if (bad >= 0) found.push(`slot ${bad} = ${next[bad]} after ${programs[a]!.name} "${step.desc}"`);
        const key = next.join();
        if (!seen.has(key)) { seen.add(key); queue.push(next); }
      }
    }
    return found;
  }

  it('holds every value of every bundled scenario, in every era and with every handler, in 16 bits', () => {
    for (const sc of bundled()) {
      for (const era of ERA_IDS) for (const handler of HANDLER_IDS) {
        expect(outOfRange(compileScenario(sc, { era, handler }), 3_000), `${sc.id} ${era} ${handler}`).toEqual([]);
      }
    }
    for (let seed = 1; seed <= 20; seed++) expect(outOfRange(compileScenario(randomScenario(seed))), `random ${seed}`).toEqual([]);
  });
});
