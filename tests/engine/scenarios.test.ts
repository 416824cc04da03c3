// Every bundled scenario's expectations, computed by exploring it; and partial-order reduction
// never changes the set of reachable outcomes while exploring no more states.

import { describe, expect, it } from 'vitest';
import { OUTCOME_NAMES, explore } from '../../lib/engine/index';
import { bundled } from './helpers';

const all = bundled();

describe('bundled scenarios', () => {
  it('there are scenarios for the seed claims and the kernel-fault-path sections', () => {
    expect(all.length).toBeGreaterThanOrEqual(20);
  });

  for (const sc of all) {
    it(`${sc.id}: every expectation holds`, () => {
      const r = explore(sc);
      expect(r.complete).toBe(true);
      const failed = r.expectations.filter((e) => e.verdict !== 'pass').map((e) => `${e.kind} ${e.outcomes.join(',')}: ${e.detail} ${e.trace ?? ''}`);
      expect(failed).toEqual([]);
      expect(r.expectations.length).toBeGreaterThan(0);
    });

    it(`${sc.id}: reduction keeps the outcome set and explores no more states`, () => {
      const por = explore(sc, { reduction: true });
      const full = explore(sc, { reduction: false });
      const reach = (r: typeof por) => OUTCOME_NAMES.filter((o) => r.outcomes[o].reachable);
      expect(reach(por)).toEqual(reach(full));
      expect(por.stats.states).toBeLessThanOrEqual(full.stats.states);
      expect(por.classes.map((c) => c.outcomes.join('+')).sort()).toEqual(full.classes.map((c) => c.outcomes.join('+')).sort());
    });
  }
});
