// Every bundled scenario's expectations, computed by exploring it; and partial-order reduction
// never changes a verdict or the reachable outcome labels while exploring no more states.

import { describe, expect, it } from 'vitest';
import { OUTCOME_NAMES, compileScenario, explore } from '../../lib/engine/index';
import { bundled, independenceViolations } from './helpers';

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

    it(`${sc.id}: reduction keeps the verdicts and the outcome labels and explores no more states`, () => {
      const por = explore(sc, { reduction: true });
      const full = explore(sc, { reduction: false });
      expect(por.complete && full.complete).toBe(true);
      expect(por.expectations.map((e) => e.verdict)).toEqual(full.expectations.map((e) => e.verdict));
      const reach = (r: typeof por) => [...OUTCOME_NAMES.filter((o) => r.outcomes[o].reachable), ...Object.keys(r.labels).filter((l) => r.labels[l]!.reachable)];
      expect(reach(por)).toEqual(reach(full));
      expect(por.stats.states).toBeLessThanOrEqual(full.stats.states);
      expect(por.classes.map((c) => c.outcomes.join('+')).sort()).toEqual(full.classes.map((c) => c.outcomes.join('+')).sort());
    });

    it(`${sc.id}: steps the footprints call independent commute at every reachable state`, () => {
      expect(independenceViolations(compileScenario(sc))).toEqual([]);
    });
  }
});
