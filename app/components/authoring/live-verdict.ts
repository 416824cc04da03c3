'use client';
// A test's verdict on the claim, computed in the page's engine worker as the form changes: the
// scenario (bundled, fetched once; or composed in the form) at the era and handler the test
// names, its expectations' verdict turned round for a counterexample.

import { useEffect, useState } from 'react';
import type { EraId } from '@/lib/engine/index';
import { withSettings, type RunnableScenario } from '@/lib/scenarios/runnable';
import { verdictOnClaim, type ScenarioVerdict } from '@/lib/scenarios/verdict';
import { scenarioHref } from '@/app/scenarios/href';
import { askEngine } from '@/app/components/runner/engine-client';
import type { RunnerResult } from '@/app/components/runner/compute';

const fetched = new Map<string, Promise<RunnableScenario>>();

/** A bundled scenario as the runner takes it, fetched once per page. */
export function bundledRunnable(id: string): Promise<RunnableScenario> {
  let p = fetched.get(id);
  if (!p) {
    p = fetch(`${scenarioHref(id)}/runnable.json`).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`scenario ${id}: ${r.status} ${r.statusText}`))));
    fetched.set(id, p);
    p.catch(() => fetched.delete(id));
  }
  return p;
}

export type LiveVerdict =
  | { status: 'idle' | 'running' }
  | { status: 'done'; verdict: ScenarioVerdict; result: RunnerResult; scenario: RunnableScenario; failed: string[] }
  | { status: 'error'; error: string };

/** Waits this long after the last change before running: typing in the composer runs once. */
const SETTLE_MS = 200;

export function useLiveVerdict(scenario: Promise<RunnableScenario> | RunnableScenario | null, settings: { era?: EraId; handler?: string }, counterexample: boolean): LiveVerdict {
  const [v, setV] = useState<LiveVerdict>({ status: 'idle' });
  const { era, handler } = settings;
  useEffect(() => {
    if (!scenario) {
      setV({ status: 'idle' });
      return;
    }
    let live = true;
    setV({ status: 'running' });
    const timer = setTimeout(async () => {
      try {
        const s = withSettings(await scenario, { era, handler });
        const res = await askEngine({ kind: 'run', scenario: s, era: s.era, handler: s.handler });
        if (!live) return;
        if (!res.ok) return setV({ status: 'error', error: res.error });
        const failed = res.result.explore.expectations.filter((e) => e.verdict !== 'pass').map((e) => `${e.kind} ${e.outcomes.join(", ")}: ${e.detail}`);
        setV({ status: 'done', verdict: verdictOnClaim(res.result.verdict, counterexample), result: res.result, scenario: s, failed });
      } catch (e) {
        if (live) setV({ status: 'error', error: (e as Error).message });
      }
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [scenario, era, handler, counterexample]);
  return v;
}
