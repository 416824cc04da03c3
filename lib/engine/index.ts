// Public API of the fault engine. Everything taken and returned is plain JSON-serialisable data,
// so the same calls work in a Web Worker, on the server and in the CLI.

import { compileScenario, KernelModel, ModelOptions } from './model';
import { ExploreOptions, ExploreStats, OutcomeResult, TerminalClass, exploreModel } from './explore';
import { decodeTrace, enabledActors, encodeTrace, stepActor } from './trace';
import { OUTCOME_DESCRIPTIONS, OUTCOME_NAMES, OutcomeName, parseOutcomeLabel } from './outcomes';
import type { StateView, Vec } from './state';
import { parsePattern } from './patterns';
import type { Scenario } from './scenario';

export { Outcome, OUTCOME_NAMES, OUTCOME_DESCRIPTIONS, parseOutcomeLabel, labelOf } from './outcomes';
export { EVENTS, EVENT_NAMES } from './events';
export type { EventName } from './events';
export { parsePattern, namedIn } from './patterns';
export type { Pattern } from './patterns';
export type { OutcomeName } from './outcomes';
export { ERAS, ERA_IDS } from './eras/index';
export type { EraId } from './eras/index';
export { HANDLERS, HANDLER_IDS } from './handlers/index';
export type { HandlerOp, HandlerSpec } from './handlers/index';
export { COMPOSED_DEFAULTS, ERRNO_MODES } from './handlers/composable';
export type { ErrnoMode } from './handlers/composable';
export { OPS, OP_NAMES, freshOp, opFields } from './handlers/ops';
export type { OpField, OpName } from './handlers/ops';
export type { ActorSpec, Expectations, OutcomeRef, PageSpec, Scenario } from './scenario';
export { DEFAULT_LIMITS, SCENARIO_CAPS, actorNames, actorSpecSchema, scenarioSchema } from './scenario';
export type { StateView } from './state';
export { encodeTrace, decodeTrace } from './trace';
export { compileScenario } from './model';
export { COMPACT_ABOVE, exploreModel } from './explore';
export type { CompiledModel } from './model';
export { formatRet, VM_FAULT } from './vmfault';

export interface RunOptions extends ModelOptions, ExploreOptions {
  /** Also explore without reduction and report statesWithoutReduction. */
  measureUnreduced?: boolean;
  /** Also explore without symmetry reduction and report statesWithoutSymmetry. */
  measureWithoutSymmetry?: boolean;
}

export type Verdict = 'pass' | 'fail' | 'unknown';
export interface ExpectationResult {
  kind: 'exists' | 'never' | 'always';
  /** As the scenario names them: `Outcome` (whoever it concerns), `Outcome(actor)`, or events in order (`Retried then Sigbus`). */
  outcomes: string[];
  verdict: Verdict;
  detail: string;
  trace?: string; // witness (exists) or counterexample (never / always)
}

export interface ExploreResult {
  scenario: { id: string; title: string; era: string; handler: string };
  /** By outcome, whoever it concerns. */
  outcomes: Record<OutcomeName, OutcomeResult>;
  /** By label: `DataLost(fault[1])`, each actor's (or page's) own. */
  labels: Record<string, OutcomeResult>;
  /** By order expectation (`Retried then Sigbus`): the shortest run to where it holds. */
  orders: Record<string, OutcomeResult>;
  classes: TerminalClass[];
  expectations: ExpectationResult[];
  passed: boolean; // every expectation passes
  stats: ExploreStats & {
    statesWithoutReduction?: number; transitionsWithoutReduction?: number;
    statesWithoutSymmetry?: number;
  };
  complete: boolean;
  reason?: string;
}

export function explore(scenario: Scenario, given: RunOptions = {}): ExploreResult {
  const opts = { ...given, maxStates: given.maxStates ?? scenario.limits?.states, maxMillis: given.maxMillis ?? scenario.limits?.millis };
  const t0 = performance.now();
  const model = compileScenario(scenario, opts);
  const raw = exploreModel(model, opts);
  const stats: ExploreResult['stats'] = { ...raw.stats };
  // Each further search's progress goes on from the work done so far.
  const after = (done: { states: number; millis: number }) => opts.onProgress && ((states: number, millis: number) => opts.onProgress!(done.states + states, done.millis + millis));
  if (opts.measureUnreduced && raw.stats.reduction) {
    const full = exploreModel(model, { ...opts, reduction: false, onProgress: after(raw.stats) });
    stats.statesWithoutReduction = full.stats.states;
    stats.transitionsWithoutReduction = full.stats.transitions;
  }
  if (opts.measureWithoutSymmetry && raw.stats.symmetry) {
    const done = { states: raw.stats.states + (stats.statesWithoutReduction ?? 0), millis: performance.now() - t0 };
    stats.statesWithoutSymmetry = exploreModel(model, { ...opts, symmetry: false, onProgress: after(done) }).stats.states;
  }
  const outcomes = raw.outcomes as Record<OutcomeName, OutcomeResult>;
  const expectations = checkExpectations(scenario, outcomes, raw.labels, raw.orders, raw.classes, raw.complete);
  return {
    scenario: { id: scenario.id, title: scenario.title, era: model.era, handler: model.handler.id },
    outcomes, labels: raw.labels, orders: raw.orders, classes: raw.classes, expectations,
    passed: expectations.every((e) => e.verdict === 'pass'),
    stats, complete: raw.complete, reason: raw.reason,
  };
}

/** Whom an outcome was reached for: the actors (or pages) of its reachable labels. */
export function reachedFor(r: Pick<ExploreResult, 'labels'>, outcome: OutcomeName): string[] {
  return Object.entries(r.labels).flatMap(([label, x]) => {
    const parsed = parseOutcomeLabel(label);
    return x.reachable && parsed?.outcome === outcome && parsed.who ? [parsed.who] : [];
  });
}

/** What an expectation found: an `Outcome` by outcome, an `Outcome(actor)` by that actor's label, events in order by their automaton. */
function found(name: string, out: Record<OutcomeName, OutcomeResult>, labels: Record<string, OutcomeResult>, orders: Record<string, OutcomeResult>): OutcomeResult {
  const p = parsePattern(name);
  const r = p.kind !== 'outcome' ? orders[p.text] : name in labels ? labels[name] : out[name as OutcomeName];
  if (!r) throw new Error(p.kind === 'outcome' && p.atom.who !== undefined ? `no actor "${p.atom.who}" in this scenario (in ${name})` : `not checked: ${name}`);
  return r;
}

/** Whether a terminal class's label (`Sigbus(fault[0])`) is one an `always` list allows: its outcome named alone, or the label itself. */
export const allowedBy = (allowed: readonly string[]) => (label: string) => allowed.includes(label) || allowed.includes(parseOutcomeLabel(label)?.outcome ?? label);

function checkExpectations(sc: Scenario, out: Record<OutcomeName, OutcomeResult>, labels: Record<string, OutcomeResult>, orders: Record<string, OutcomeResult>, classes: TerminalClass[], complete: boolean): ExpectationResult[] {
  const res: ExpectationResult[] = [];
  const incomplete = 'search incomplete';
  for (const o of sc.expect.exists ?? []) {
    const r = found(o, out, labels, orders);
    res.push(r.reachable
      ? { kind: 'exists', outcomes: [o], verdict: 'pass', detail: `reachable in ${r.length} steps`, trace: r.trace! }
      : { kind: 'exists', outcomes: [o], verdict: complete ? 'fail' : 'unknown', detail: complete ? 'not reachable' : incomplete });
  }
  for (const o of sc.expect.never ?? []) {
    const r = found(o, out, labels, orders);
    res.push(r.reachable
      ? { kind: 'never', outcomes: [o], verdict: 'fail', detail: `reachable in ${r.length} steps`, trace: r.trace! }
      : { kind: 'never', outcomes: [o], verdict: complete ? 'pass' : 'unknown', detail: complete ? 'not reachable' : incomplete });
  }
  if (sc.expect.always) {
    for (const o of sc.expect.always) {
      if (parsePattern(o).kind !== 'outcome') throw new Error(`always: ${o}: "always" lists outcomes (how every run may end); put events in order under exists or never`);
      found(o, out, labels, orders);
    }
    const allowed = allowedBy(sc.expect.always);
    const bad = classes.find((c) => c.outcomes.length === 0 || !c.outcomes.every(allowed));
    res.push(bad
      ? { kind: 'always', outcomes: sc.expect.always, verdict: 'fail', detail: `a terminal state shows {${bad.outcomes.filter((o) => !allowed(o)).join(', ') || 'no outcome'}}`, trace: bad.trace }
      : { kind: 'always', outcomes: sc.expect.always, verdict: complete ? 'pass' : 'unknown', detail: complete ? 'every terminal state shows only these' : incomplete });
  }
  return res;
}

export interface ReplayStep {
  actor: number;
  actorName: string;
  kernelFunction: string;
  location: string;
  description: string;
  inferred: boolean;
  changed: string[]; // paths in the state view that this step changed
  /** What it marked, as order expectations name events: `Returned(VM_FAULT_NOPAGE, fault[0])`, `LockedByVm(fault[0])`. */
  events: string[];
}

export interface RunResult {
  trace: string;
  steps: ReplayStep[];
  states: StateView[]; // states[0] is the initial state, states[k] follows steps[k-1]
  terminal: boolean;
  outcomes: OutcomeName[]; // when terminal: the outcomes it shows, whoever they concern
  labels: string[]; // when terminal: whom each concerns, `Sigbus(fault[0])`
  error?: string;
}

function diff(a: unknown, b: unknown, path: string, out: string[]): void {
  if (a === b) return;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of keys) diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
    return;
  }
  out.push(path);
}

function run(model: KernelModel, choose: (enabled: number[], step: number) => number | undefined, maxSteps: number): RunResult {
  let v: Vec = model.init.slice();
  const states: StateView[] = [model.view(v)];
  const steps: ReplayStep[] = [];
  const acts: number[] = [];
  let error: string | undefined;
  for (let k = 0; k < maxSteps; k++) {
    const en = enabledActors(model, v);
    if (en.length === 0) break;
    const a = choose(en, k);
    if (a === undefined) break;
    if (!en.includes(a)) { error = `step ${k + 1}: actor ${model.programs[a]?.name ?? a} cannot move (finished or blocked)`; break; }
    const s = model.programs[a].steps[v[model.pcIndex[a]]];
    const before = v;
    v = stepActor(model, v, a);
    const view = model.view(v);
    const changed: string[] = [];
    diff(states[states.length - 1], view, '', changed);
    steps.push({ actor: a, actorName: model.programs[a].name, kernelFunction: s.fn, location: s.loc, description: s.desc, inferred: !!s.inferred, changed, events: model.eventsOf(a, before, v) });
    states.push(view);
    acts.push(a);
  }
  const terminal = enabledActors(model, v).length === 0;
  const shown = terminal ? model.classify(v) : [];
  return {
    trace: encodeTrace(acts), steps, states, terminal,
    outcomes: [...new Set(shown.map((k) => OUTCOME_NAMES[model.labels[k]!.outcome]!))],
    labels: shown.map((k) => model.labels[k]!.label),
    error,
  };
}

/** Run one given schedule (actor indices or a trace string) step by step. */
export function runSchedule(scenario: Scenario, schedule: number[] | string, opts: ModelOptions = {}): RunResult {
  const model = compileScenario(scenario, opts);
  const acts = typeof schedule === 'string' ? decodeTrace(schedule) : schedule;
  return run(model, (_, k) => acts[k], acts.length);
}

/** Replay a trace string from explore() (same as runSchedule with the string). */
export function replay(scenario: Scenario, trace: string, opts: ModelOptions = {}): RunResult {
  return runSchedule(scenario, trace, opts);
}

/** Numbers in [0, 1), the same for the same seed (mulberry32): random runs and scenarios that can be reproduced. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random interleaving, reproducible from the seed (mulberry32). */
export function randomRun(scenario: Scenario, seed: number, opts: ModelOptions & { maxSteps?: number } = {}): RunResult {
  const model = compileScenario(scenario, opts);
  const rnd = mulberry32(seed);
  return run(model, (en) => en[Math.floor(rnd() * en.length)], opts.maxSteps ?? 10_000);
}

/** The actors' step programs, for drawing swimlanes before running anything. */
export function describePrograms(scenario: Scenario, opts: ModelOptions = {}) {
  const model = compileScenario(scenario, opts);
  return model.programs.map((p) => ({
    name: p.name,
    steps: p.steps.map((s) => ({ pc: s.pc, kernelFunction: s.fn, location: s.loc, description: s.desc, inferred: !!s.inferred })),
  }));
}

export const OUTCOMES = OUTCOME_NAMES.map((name) => ({ name, description: OUTCOME_DESCRIPTIONS[name] }));
