// What the runner asks the engine, answered in its Web Worker. A run: explore (the engine's
// outcomes, statistics and expectation results), the claim verdict from those results, and one
// trace replayed step by step; other traces are replayed when the reader picks them.
// Pure and JSON-serialisable both ways, so tests call it directly.

import { OUTCOME_NAMES, allowedBy, describePrograms, explore, replay } from '@/lib/engine/index';
import type { EraId, ExpectationResult, ExploreResult, HandlerSpec, ReplayStep, StateView } from '@/lib/engine/index';
import type { RunnableScenario } from '@/lib/scenarios/runnable';
import { ScenarioVerdict, verdictOf } from '@/lib/scenarios/verdict';
import type { Selection } from './url-state';

interface Configuration {
  scenario: RunnableScenario;
  era: EraId;
  handler: string | HandlerSpec;
}

export interface RunRequest extends Configuration {
  kind: 'run';
  /** The trace to replay with the result, if it exists; else defaultSelection's. */
  selection?: Selection;
}

export interface ReplayRequest extends Configuration {
  kind: 'replay';
  trace: string;
}

export interface TraceReplay {
  trace: string;
  steps: ReplayStep[];
  states: StateView[]; // states[k] = after k steps
}

export interface RunnerResult {
  explore: ExploreResult;
  verdict: ScenarioVerdict;
  actors: string[]; // one swimlane each
  selection?: Selection; // undefined when the search reached no terminal state
  replay?: TraceReplay; // of `selection`
}

export type RunResponse = { ok: true; result: RunnerResult } | { ok: false; error: string };
export type ReplayResponse = { ok: true; replay: TraceReplay } | { ok: false; error: string };

/** Search limits for a reader's run, unless the scenario sets its own: the page must answer, whatever handler was composed (and a long run can be cancelled). */
const LIMITS = { maxMillis: 5_000, maxStates: 500_000 };

/** The shortest trace to an outcome, whoever it concerns or one actor's, or to where an order expectation holds. */
export function traceFor(r: ExploreResult, sel: Selection): string | undefined {
  return (r.labels[sel] ?? r.outcomes[sel as keyof ExploreResult['outcomes']] ?? r.orders[sel])?.trace ?? undefined;
}

function replayOf(c: Configuration, trace: string): TraceReplay {
  const { steps, states, error } = replay(c.scenario, trace, { era: c.era, handler: c.handler });
  if (error) throw new Error(`replaying trace ${trace}: ${error}`);
  return { trace, steps, states };
}

/** `onProgress`: the states explored so far and the time taken, now and then during a long run (the runner's progress line). */
export function computeRun(req: RunRequest, onProgress?: (states: number, millis: number) => void): RunResponse {
  try {
    const own = req.scenario.limits;
    const limits = { maxMillis: own?.millis ?? LIMITS.maxMillis, maxStates: own?.states ?? LIMITS.maxStates };
    const r = explore(req.scenario, { era: req.era, handler: req.handler, ...limits, measureUnreduced: true, onProgress });
    const selection = req.selection && traceFor(r, req.selection) ? req.selection : defaultSelection(r);
    const shown = selection ? replayOf(req, traceFor(r, selection)!) : undefined;
    const actors = shown
      ? shown.states[0].actors.map((a) => a.name)
      : describePrograms(req.scenario, { era: req.era, handler: req.handler }).map((p) => p.name);
    return { ok: true, result: { explore: r, verdict: verdictOf(r.expectations), actors, selection, replay: shown } };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export function computeReplay(req: ReplayRequest): ReplayResponse {
  try {
    return { ok: true, replay: replayOf(req, req.trace) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/** The trace that shows why an expectation holds or fails (its witness or counterexample). */
export function selectionFor(r: ExploreResult, e: ExpectationResult): Selection | undefined {
  if (!e.trace) return undefined;
  if (e.kind !== 'always') return e.outcomes[0];
  // always: the counterexample is a terminal class showing an outcome outside the list
  const allowed = allowedBy(e.outcomes);
  return r.classes.find((x) => x.trace === e.trace)?.outcomes.find((o) => !allowed(o));
}

/**
 * The trace to open after a run: the first failing expectation's counterexample, else the first
 * expectation's witness, else the first reachable outcome.
 */
export function defaultSelection(r: ExploreResult): Selection | undefined {
  const first = (list: ExpectationResult[]) => list.map((e) => selectionFor(r, e)).find((x) => x !== undefined);
  return first(r.expectations.filter((e) => e.verdict === 'fail')) ?? first(r.expectations) ?? OUTCOME_NAMES.find((o) => r.outcomes[o].reachable);
}
