// The SPIN peer model transcribed into the engine explores exactly as many states as
// `spin -o2` (dead-variable elimination off) with -DNOREDUCE: 163764 stored states and
// 417567 matched for NP = NF = 2, measured with SPIN 6.5.2 on ../shared/bench-peers/fault.pml.

import { describe, expect, it } from 'vitest';
import { exploreModel } from '../../lib/engine/explore';
import { compileFaultPml } from '../../lib/engine/toy/fault-pml';

describe('fault.pml toy model', () => {
  it('matches SPIN state and transition counts with reduction off', () => {
    const r = exploreModel(compileFaultPml(2, 2), { reduction: false });
    expect(r.complete).toBe(true);
    expect(r.stats.states).toBe(163764);
    expect(r.stats.transitions).toBe(163764 - 1 + 417567);
    expect(r.outcomes.AssertionViolated.reachable).toBe(false);
    expect(r.outcomes.InvalidEndState.reachable).toBe(false);
  });
  it('reduction keeps the terminal states and explores fewer states', () => {
    const full = exploreModel(compileFaultPml(2, 2), { reduction: false });
    const por = exploreModel(compileFaultPml(2, 2), { reduction: true });
    expect(por.stats.states).toBeLessThan(full.stats.states);
    expect(por.classes.map((c) => c.outcomes)).toEqual(full.classes.map((c) => c.outcomes));
    expect(por.stats.terminals).toBe(full.stats.terminals);
  });
  it('smaller instances match too', () => {
    expect(exploreModel(compileFaultPml(1, 1), { reduction: false }).stats.states).toBe(4949);
    expect(exploreModel(compileFaultPml(2, 1), { reduction: false }).stats.states).toBe(21286);
  });
});
