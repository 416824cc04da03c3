// The SPIN peer model transcribed into the engine explores exactly as many states as
// `spin -o2` (dead-variable elimination off) with -DNOREDUCE: 163764 stored states and
// 417567 matched for NP = NF = 2, measured with SPIN 6.5.2 on ../shared/bench-peers/fault.pml.
// SPIN's partial-order reduction (default pan.c) stores 36982 there; the engine's may store no more.

import { describe, expect, it } from 'vitest';
import { exploreModel } from '../../lib/engine/explore';
import { compileFaultPml } from '../../lib/engine/toy/fault-pml';
import { independenceViolations } from './helpers';

describe('fault.pml toy model', () => {
  it('matches SPIN state and transition counts with reduction off', () => {
    const r = exploreModel(compileFaultPml(2, 2), { reduction: false });
    expect(r.complete).toBe(true);
    expect(r.stats.states).toBe(163764);
    expect(r.stats.transitions).toBe(163764 - 1 + 417567);
    expect(r.outcomes.AssertionViolated.reachable).toBe(false);
    expect(r.outcomes.InvalidEndState.reachable).toBe(false);
  });
  it('reduction stores no more states than SPIN\'s and keeps the terminal states', () => {
    const full = exploreModel(compileFaultPml(2, 2), { reduction: false });
    const por = exploreModel(compileFaultPml(2, 2), { reduction: true });
    expect(por.complete).toBe(true);
    expect(por.stats.states).toBeLessThanOrEqual(36982);
    expect(por.stats.states).toBe(36434);
    // The retry count is all the terminal states differ in: one class each, the same with and without.
    const classes = (r: typeof por) => r.classes.map((c) => `${c.outcomes.join('+')} x${c.count}`).sort();
    expect(classes(por)).toEqual(['Retries=0 x1', 'Retries=1 x1', 'Retries=2 x1']);
    expect(classes(por)).toEqual(classes(full));
    expect(por.stats.terminals).toBe(full.stats.terminals);
  });
  // The terminal states alone would not show a wrong footprint: with truncate's `!wb[i]` declaring
  // no read, the reduction still reaches the same three. Smaller instances keep this quick.
  it('steps the per-variable footprints call independent commute at every reachable state', () => {
    expect(independenceViolations(compileFaultPml(2, 1))).toEqual([]);
    expect(independenceViolations(compileFaultPml(1, 2))).toEqual([]);
  });
  it('smaller instances match too', () => {
    expect(exploreModel(compileFaultPml(1, 1), { reduction: false }).stats.states).toBe(4949);
    expect(exploreModel(compileFaultPml(2, 1), { reduction: false }).stats.states).toBe(21286);
  });
});
