// Verdicts are computed by running scenarios: how one run becomes supported/refuted, how runs
// combine into the badge, and that a wrong expectation in an annotation is caught.

import { describe, expect, it } from 'vitest';
import { combineVerdicts, computeVerdicts, runLink, ScenarioRunner } from '../../lib/claims/verdict';
import { loadAnnotations } from '../../lib/claims/load';
import type { TestLink } from '../../lib/claims/types';
import { bundledScenarios } from './support';

const runner = new ScenarioRunner(bundledScenarios());
const link = (t: Partial<TestLink> & { scenario: string }): TestLink => ({ counterexample: false, expect: 'supported', ...t });

describe('claim verdicts', () => {
  it('combine: agreement gives that verdict, disagreement "depends", nothing "untested"', () => {
    expect(combineVerdicts(['supported', 'supported'])).toBe('supported');
    expect(combineVerdicts(['refuted'])).toBe('refuted');
    expect(combineVerdicts(['supported', 'refuted'])).toBe('depends');
    expect(combineVerdicts(['supported', 'undecided', 'refuted'])).toBe('undecided');
    expect(combineVerdicts([])).toBe('untested');
  });

  it('a run supports the claim when the scenario\'s expectations hold, and refutes it as a counterexample', () => {
    const plain = runLink(link({ scenario: 'nick-sigbus-if-mapping-wrong' }), runner);
    const counter = runLink(link({ scenario: 'nick-sigbus-if-mapping-wrong', counterexample: true }), runner);
    if (plain instanceof Error || counter instanceof Error) throw new Error('broken link');
    expect(plain).toMatchObject({ computed: 'supported', failed: [], era: '2.6.37', handler: 'lock-check-sigbus' });
    expect(counter).toMatchObject({ computed: 'refuted', counterexample: true });
  });

  it('another era or filesystem can turn the verdict, and the run says which it used', () => {
    const now = runLink(link({ scenario: 'block-enomem-oom' }), runner);
    const before = runLink(link({ scenario: 'block-enomem-oom', era: '2.6.29', handler: 'block@2.6.29' }), runner);
    if (now instanceof Error || before instanceof Error) throw new Error('broken link');
    expect(now).toMatchObject({ computed: 'supported', era: '2.6.37', handler: 'block@2.6.37' });
    expect(before).toMatchObject({ computed: 'refuted', era: '2.6.29', handler: 'block@2.6.29' });
    expect(before.failed).toEqual([expect.stringMatching(/^always Oom: a terminal state shows \{Sigbus\(fault\[0\]\)\}/)]);
  });

  it('a claim whose runs disagree, as its annotation expects, is "depends"', () => {
    const v = computeVerdicts({ tests: [link({ scenario: 'writeback-race-before-b827e496' }), link({ scenario: 'writeback-race-closed-b827e496', counterexample: true, expect: 'refuted' })] }, runner);
    if (v instanceof Error) throw v;
    expect([v.verdict, v.expected, v.disagreements]).toEqual(['depends', 'depends', []]);
  });

  it('a deliberately wrong expectation is caught: the run and the claim disagree with the annotation', () => {
    const claim = loadAnnotations().flatMap((f) => f.claims).find((c) => c.key === 'ocfs2-devel/2010-12-31-nick-piggin.md#sigbus-if-mapping-wrong')!;
    const right = computeVerdicts(claim, runner);
    if (right instanceof Error) throw right;
    expect(right.disagreements).toEqual([]);
    const wrong = computeVerdicts({ tests: claim.tests.map((t) => ({ ...t, expect: 'supported' as const })) }, runner);
    if (wrong instanceof Error) throw wrong;
    expect(wrong.expected).toBe('supported');
    expect(wrong.verdict).toBe('refuted');
    expect(wrong.disagreements.map((d) => [d.scenario, d.expected, d.computed])).toEqual([['nick-sigbus-if-mapping-wrong', 'supported', 'refuted']]);
  });

  it('an unknown scenario breaks the claim with an error naming it', () => {
    const v = computeVerdicts({ tests: [link({ scenario: 'no-such-scenario' })] }, runner);
    expect(v).toBeInstanceOf(Error);
    expect((v as Error).message).toBe('no scenario "no-such-scenario" in content/scenarios');
  });
});
