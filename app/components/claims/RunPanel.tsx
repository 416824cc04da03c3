'use client';
// A claim's runner, loaded on demand (ClaimSlot imports it lazily). The scenario comes with the
// page when a link opened it, else from its JSON route, and runs with the settings the claim's
// test names.

import { useEffect, useState } from 'react';
import { ScenarioRunner } from '@/app/components/runner/ScenarioRunner';
import type { RunnerResult } from '@/app/components/runner/compute';
import type { RunnerView } from '@/app/components/runner/url-state';
import { withSettings, type RunnableScenario } from '@/lib/scenarios/runnable';
import { scenarioHref } from '@/app/scenarios/href';
import type { NoteTest } from './notes';

export default function RunPanel({ test, heading, runKey, initial }: {
  test: NoteTest;
  heading: string;
  runKey: string;
  initial?: { scenario: RunnableScenario; view: RunnerView; result: RunnerResult };
}) {
  const [scenario, setScenario] = useState<RunnableScenario | string | null>(initial?.scenario ?? null);
  useEffect(() => {
    if (initial) return;
    let live = true;
    fetch(`${scenarioHref(test.scenario)}/runnable.json`)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${r.status} ${r.statusText}`))))
      .then((s: RunnableScenario) => live && setScenario(withSettings(s, test.settings)))
      .catch((e: Error) => live && setScenario(`could not load scenario ${test.scenario}: ${e.message}`));
    return () => { live = false; };
  }, [initial, test]);
  if (typeof scenario === 'string') return <p className="error" role="alert">{scenario}</p>;
  if (!scenario) return <p className="muted">Loading the scenario…</p>;
  return (
    <ScenarioRunner scenario={scenario} runKey={runKey} counterexample={test.counterexample} headingLevel={3} heading={heading}
      initial={initial && { view: initial.view, result: initial.result }} />
  );
}
