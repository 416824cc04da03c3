// The compact store keeps 64-bit fingerprints and only the frontier's vectors: a search with it
// must find what the full store finds, in the same order (the same traces), holding less memory.
import { describe, expect, it } from 'vitest';
import { COMPACT_ABOVE, explore } from '../../lib/engine/index';
import type { ExploreResult, Scenario } from '../../lib/engine/index';
import { bundled, randomScenario, scenario, tracesReplay } from './helpers';

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
