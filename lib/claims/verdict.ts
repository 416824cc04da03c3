// A claim's verdict is computed by running the scenarios that test it, never typed in. Each run
// gives "supported" when the scenario's expectations hold (or "refuted" for a counterexample
// scenario), and the claim's overall verdict says whether its runs agree.

import { explore, type ExploreResult, type Scenario } from '../engine/index';
import { verdictOf } from '../scenarios/verdict';
import type { ClaimSpec, ClaimVerdict, LinkResult, LinkVerdict, TestLink } from './types';

/**
 * The overall verdict of a claim's runs: the same verdict when they all agree,
 * "depends" when some support it and some refute it (at other eras, with other
 * filesystems), "undecided" when any run could not decide, "untested" for none.
 */
export function combineVerdicts(verdicts: readonly LinkVerdict[]): ClaimVerdict {
  if (verdicts.length === 0) return 'untested';
  if (verdicts.includes('undecided')) return 'undecided';
  if (verdicts.every((v) => v === 'supported')) return 'supported';
  if (verdicts.every((v) => v === 'refuted')) return 'refuted';
  return 'depends';
}

/** Runs scenarios by id, each (scenario, era, handler) once however many claims link it. */
export class ScenarioRunner {
  private readonly byId: Map<string, Scenario>;
  private readonly runs = new Map<string, ExploreResult | Error>();

  constructor(scenarios: Iterable<Scenario>) {
    this.byId = new Map([...scenarios].map((s) => [s.id, s]));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  run(t: Pick<TestLink, 'scenario' | 'era' | 'handler'>): ExploreResult | Error {
    const k = `${t.scenario}\n${t.era ?? ''}\n${t.handler ?? ''}`;
    let r = this.runs.get(k);
    if (!r) {
      const s = this.byId.get(t.scenario);
      if (!s) r = new Error(`no scenario "${t.scenario}" in content/scenarios`);
      else {
        try {
          r = explore(s, { era: t.era, handler: t.handler });
        } catch (e) {
          r = new Error(`scenario "${t.scenario}" failed to run: ${(e as Error).message}`);
        }
      }
      this.runs.set(k, r);
    }
    return r;
  }
}

/** Runs one test link. An Error means the link is broken (unknown scenario, engine error). */
export function runLink(t: TestLink, runner: ScenarioRunner): LinkResult | Error {
  const r = runner.run(t);
  if (r instanceof Error) return r;
  const holds = verdictOf(r.expectations);
  const computed: LinkVerdict = holds === 'undecided' ? 'undecided' : (holds === 'supported') !== t.counterexample ? 'supported' : 'refuted';
  return {
    scenario: t.scenario,
    title: r.scenario.title,
    era: r.scenario.era,
    handler: r.scenario.handler,
    counterexample: t.counterexample,
    expected: t.expect,
    computed,
    failed: r.expectations.filter((e) => e.verdict !== 'pass').map((e) => `${e.kind} ${e.outcomes.join(', ')}: ${e.detail}`),
  };
}

export interface ClaimVerdicts {
  links: LinkResult[];
  /** Computed from the runs: what the badge shows. */
  verdict: ClaimVerdict;
  /** What the annotation expects, from its links' `expect`. */
  expected: ClaimVerdict;
  /** Runs whose computed verdict is not the expected one. */
  disagreements: LinkResult[];
}

/** Runs every test of a claim; a broken link makes the whole claim an Error. */
export function computeVerdicts(claim: Pick<ClaimSpec, 'tests'>, runner: ScenarioRunner): ClaimVerdicts | Error {
  const links: LinkResult[] = [];
  for (const t of claim.tests) {
    const r = runLink(t, runner);
    if (r instanceof Error) return r;
    links.push(r);
  }
  return {
    links,
    verdict: combineVerdicts(links.map((l) => l.computed)),
    expected: combineVerdicts(claim.tests.map((t) => t.expect)),
    disagreements: links.filter((l) => l.computed !== l.expected),
  };
}
