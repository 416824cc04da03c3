import { describe, expect, it } from 'vitest';
import { OUTCOME_NAMES, explore, replay } from '@/lib/engine/index';
import type { HandlerSpec } from '@/lib/engine/index';
import { toRunnable } from '@/lib/scenarios/runnable';
import { precomputeRun, verdictOf, verdictOnClaim } from '@/lib/scenarios/verdict';
import { computeReplay, computeRun, defaultSelection, selectionFor, traceFor } from '@/app/components/runner/compute';
import type { RunnerResult } from '@/app/components/runner/compute';
import { customSpec } from '@/app/components/runner/url-state';
import type { Selection } from '@/app/components/runner/url-state';
import { bundled, scenario } from '../engine/helpers';

function run(id: string, o: { handler?: string | HandlerSpec; selection?: Selection } = {}): RunnerResult {
  const s = toRunnable(scenario(id));
  const r = computeRun({ kind: 'run', scenario: s, era: s.era, handler: o.handler ?? s.handler, selection: o.selection });
  if (!r.ok) throw new Error(r.error);
  return r.result;
}

describe('one runner computation', () => {
  it('the runnable form drops the prose and the server path, nothing else', () => {
    const s = scenario('seed-nopage-retry');
    const { body, source, ...rest } = s;
    expect(body && source).toBeTruthy();
    expect(toRunnable(s)).toEqual(rest);
    expect(JSON.parse(JSON.stringify(toRunnable(s)))).toEqual(rest);
  });

  it('a test link\'s era and handler become the runnable scenario\'s own, and its default run', () => {
    const s = scenario('nick-sigbus-if-mapping-wrong');
    const linked = toRunnable(s, { era: '6.x', handler: 'ocfs2@3.2' });
    expect(linked).toMatchObject({ id: s.id, era: '6.x', handler: 'ocfs2@3.2', actors: s.actors, expect: s.expect });
    const pre = precomputeRun(linked);
    const engine = explore(s, { era: '6.x', handler: 'ocfs2@3.2' });
    expect(pre).toMatchObject({ ok: true, era: '6.x', handler: 'ocfs2@3.2', expectations: engine.expectations });
    expect(toRunnable(s, {}).handler).toEqual(s.handler);
  });

  it('gives every bundled scenario the verdict its expectations compute, as npm run scenarios does', () => {
    for (const s of bundled()) {
      const r = run(s.id);
      const cli = explore(s, { measureUnreduced: true });
      expect(r.explore.expectations, s.id).toEqual(cli.expectations);
      expect(r.verdict, s.id).toBe(cli.passed ? 'supported' : 'refuted');
      expect(precomputeRun(toRunnable(s))).toMatchObject({ ok: true, verdict: r.verdict, expectations: cli.expectations });
      expect(r.explore.stats.statesWithoutReduction, s.id).toBeGreaterThanOrEqual(r.explore.stats.states);
    }
  });

  it('replays the chosen outcome\'s shortest trace to a state that shows it; any other on request', () => {
    const s = toRunnable(scenario('ext4-sigbus-on-invalidation'));
    const reachable = OUTCOME_NAMES.filter((o) => run(s.id).explore.outcomes[o].reachable);
    expect(reachable.length).toBeGreaterThan(1);
    for (const o of reachable) {
      const r = run(s.id, { selection: o });
      expect(r.selection).toBe(o);
      const t = r.replay!;
      expect(t.trace).toBe(r.explore.outcomes[o].trace);
      expect(t.steps).toHaveLength(r.explore.outcomes[o].length!);
      expect(t.states).toHaveLength(t.steps.length + 1);
      expect(replay(s, t.trace).outcomes).toContain(o);
      expect(computeReplay({ kind: 'replay', scenario: s, era: s.era, handler: s.handler, trace: t.trace })).toEqual({ ok: true, replay: t });
      expect(r.actors).toEqual(t.states[0].actors.map((a) => a.name));
    }
    // an unreachable selection falls back to the default one
    const unreachable = OUTCOME_NAMES.find((o) => !reachable.includes(o))!;
    const r = run(s.id, { selection: unreachable });
    expect(traceFor(r.explore, unreachable)).toBeUndefined();
    expect(r.selection).toBe(defaultSelection(r.explore));
  });

  it('a switched handler changes the verdict: the 3.2 ocfs2 fix never raises SIGBUS where Nick\'s aside does', () => {
    const own = run('nick-sigbus-if-mapping-wrong');
    expect(own.verdict).toBe('supported');
    const fixed = run('nick-sigbus-if-mapping-wrong', { handler: 'ocfs2@3.2' });
    expect(fixed.explore.scenario.handler).toBe('ocfs2@3.2');
    expect(fixed.explore.outcomes.Sigbus.reachable).toBe(false);
    expect(fixed.verdict).toBe('refuted');
    // the failed "exists Sigbus" has no trace; the view opens the first expectation with one
    expect(fixed.selection).toBe('WriteLanded');
  });

  it('opens the counterexample of a failing "never" first', () => {
    // Nick's lock / check mapping / SIGBUS handler against the punch race that the scenario's
    // own handler survives by a retry: "never Sigbus" fails
    const r = run('seed-return-0-mapping-check', {
      handler: customSpec({
        fn: 'fs_page_mkwrite', errno: 'vmf_error',
        ops: [{ op: 'lockPage' }, { op: 'check', mapping: true, fail: 'SIGBUS' }, { op: 'allocate' }, { op: 'return', ret: 'LOCKED' }],
      }),
    });
    expect(r.explore.scenario.handler).toBe('custom');
    const never = r.explore.expectations.find((e) => e.kind === 'never' && e.outcomes[0] === 'Sigbus')!;
    expect(never.verdict).toBe('fail');
    expect(r.verdict).toBe('refuted');
    expect(r.selection).toBe('Sigbus');
    expect(selectionFor(r.explore, never)).toBe('Sigbus');
    expect(r.replay!.trace).toBe(never.trace);
  });

  it('answers a handler the engine cannot compile with its error, not an exception', () => {
    const s = toRunnable(scenario('seed-nopage-retry'));
    const r = computeRun({ kind: 'run', scenario: s, era: s.era, handler: customSpec({ fn: 'f', errno: 'sigbus', ops: [{ op: 'lockPage' }] }) });
    expect(r).toEqual({ ok: false, error: 'handler custom: the last op must be "return"' });
    const bad = computeRun({ kind: 'run', scenario: s, era: s.era, handler: customSpec({ fn: 'f', errno: 'sigbus', ops: [{ op: 'return', ret: 'LOCK' }] }) });
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/unknown VM_FAULT bit "LOCK"/) });
    expect(computeReplay({ kind: 'replay', scenario: s, era: s.era, handler: s.handler, trace: 'z' })).toMatchObject({ ok: false, error: expect.stringMatching(/trace z: step 1: actor 25 cannot move/) });
  });

  it('shows one actor’s outcome when asked: its own shortest trace, to a state that shows it for that actor', () => {
    const r = run('writeback-race-fs-dirties-first');
    const label = Object.keys(r.explore.labels).find((l) => r.explore.labels[l]!.reachable)!;
    expect(label).toMatch(/^\w+\(.+\)$/);
    const shown = run('writeback-race-fs-dirties-first', { selection: label as Selection });
    expect(shown.selection).toBe(label);
    expect(shown.replay!.trace).toBe(r.explore.labels[label]!.trace);
    expect(replay(scenario('writeback-race-fs-dirties-first'), shown.replay!.trace).labels).toContain(label);
  });
});

describe('a long run', () => {
  it('tells its progress as it goes: states and time so far, growing, through both searches', () => {
    const base = toRunnable(scenario('truncate-sigbus-only-beyond-eof'));
    // Two more tasks and a writeback: some hundred thousand states, both searches.
    const big = { ...base, actors: [...base.actors, { kind: 'fault' as const, index: 0 }, { kind: 'fault' as const, index: 1 }, { kind: 'writeback' as const }] };
    const told: Array<[number, number]> = [];
    const r = computeRun({ kind: 'run', scenario: big, era: big.era, handler: big.handler }, (states, millis) => told.push([states, millis]));
    if (!r.ok) throw new Error(r.error);
    const { states, statesWithoutReduction, millis } = r.result.explore.stats;
    expect(told.length).toBeGreaterThan(1);
    for (let i = 1; i < told.length; i++) {
      expect(told[i]![0]).toBeGreaterThan(told[i - 1]![0]);
      expect(told[i]![1]).toBeGreaterThan(told[i - 1]![1]);
    }
    // The last word comes before the end, and counts what both searches had stored.
    expect(told.at(-1)![0]).toBeLessThanOrEqual(states + statesWithoutReduction!);
    expect(told.at(-1)![0]).toBeGreaterThan(states);
    expect(told[0]![1]).toBeGreaterThanOrEqual(100);
    expect(millis).toBeGreaterThan(0);
  });
});

describe('a reader’s run', () => {
  it('keeps to the scenario’s own limits when it sets them', () => {
    const s = { ...toRunnable(scenario('truncate-sigbus-only-beyond-eof')), limits: { states: 50 } };
    const r = computeRun({ kind: 'run', scenario: s, era: s.era, handler: s.handler });
    if (!r.ok) throw new Error(r.error);
    expect(r.result.explore).toMatchObject({ complete: false, reason: 'state limit of 50 reached' });
  });
});

describe('verdictOf', () => {
  const e = (verdict: 'pass' | 'fail' | 'unknown') => ({ kind: 'exists' as const, outcomes: [], verdict, detail: '' });
  it('is supported only when every expectation passes, refuted when one fails', () => {
    expect(verdictOf([e('pass'), e('pass')])).toBe('supported');
    expect(verdictOf([e('pass'), e('fail'), e('unknown')])).toBe('refuted');
    expect(verdictOf([e('pass'), e('unknown')])).toBe('undecided');
  });
  it('a counterexample scenario holding refutes the claim it tests', () => {
    expect(verdictOnClaim('supported', true)).toBe('refuted');
    expect(verdictOnClaim('refuted', true)).toBe('supported');
    expect(verdictOnClaim('undecided', true)).toBe('undecided');
    expect(verdictOnClaim('refuted', false)).toBe('refuted');
  });
});
