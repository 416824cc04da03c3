// A claim's verdict is its scenario's expectations as the engine computed them (the same
// ExpectationResult list `npm run scenarios` prints): supported when every one passes,
// refuted when one fails, undecided when the search stopped before it could tell.
// Pure: runs on the server (precomputed verdicts) and in the runner's Web Worker.

import { explore } from '../engine/index';
import type { EraId, ExpectationResult, ExploreResult } from '../engine/index';
import type { RunnableScenario } from './runnable';

export type ScenarioVerdict = 'supported' | 'refuted' | 'undecided';

export function verdictOf(expectations: readonly ExpectationResult[]): ScenarioVerdict {
  if (expectations.some((e) => e.verdict === 'fail')) return 'refuted';
  return expectations.every((e) => e.verdict === 'pass') ? 'supported' : 'undecided';
}

/**
 * A run's verdict on a claim it tests. A counterexample scenario exhibits what the claim denies:
 * its expectations holding refute the claim, failing support it.
 */
export function verdictOnClaim(holds: ScenarioVerdict, counterexample: boolean): ScenarioVerdict {
  if (!counterexample || holds === 'undecided') return holds;
  return holds === 'supported' ? 'refuted' : 'supported';
}

/** The scenario's default run (its own era and handler), small enough to send with a page. */
export type PrecomputedRun =
  | {
    ok: true;
    era: EraId;
    handler: string; // handler id as the engine reports it
    verdict: ScenarioVerdict;
    expectations: ExpectationResult[];
    stats: ExploreResult['stats'];
    complete: boolean;
    reason?: string;
  }
  | { ok: false; error: string };

export function precomputeRun(s: RunnableScenario): PrecomputedRun {
  try {
    const r = explore(s, { measureUnreduced: true });
    return {
      ok: true, era: r.scenario.era as EraId, handler: r.scenario.handler, verdict: verdictOf(r.expectations),
      expectations: r.expectations, stats: r.stats, complete: r.complete, reason: r.reason,
    };
  } catch (e) {
    return { ok: false, error: `scenario ${s.id}: ${(e as Error).message}` };
  }
}
