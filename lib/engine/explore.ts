// The one explorer: breadth-first search over all interleavings with visited-state
// de-duplication, optional partial-order reduction, a preemption bound and hard limits.

import { DONE } from './state';
import { StateStore } from './store';
import type { CompiledModel } from './model';
import { encodeTrace } from './trace';
import { targetOf } from './steps';
import { DEFAULT_LIMITS } from './scenario';

export interface ExploreOptions {
  reduction?: boolean; // default true
  maxStates?: number; // default DEFAULT_LIMITS.states
  maxMillis?: number; // default DEFAULT_LIMITS.millis
  preemptionBound?: number; // undefined = unbounded
  /** Told the states stored so far and the time taken, every PROGRESS_MS or so, for a long search's progress line. */
  onProgress?: (states: number, millis: number) => void;
}

const PROGRESS_MS = 100;

export interface OutcomeResult {
  reachable: boolean;
  trace: string | null; // shortest found (BFS), compact form
  length: number | null;
  terminals: number; // terminal states showing it
}

/** Terminal states that show the same outcome labels (`DataLost(fault[1])`), how many, and a shortest trace to one. */
export interface TerminalClass { outcomes: string[]; count: number; trace: string }

export interface ExploreStats {
  states: number;
  transitions: number;
  terminals: number;
  maxDepth: number;
  millis: number;
  statesPerSecond: number;
  reduction: boolean;
  /** Memory the search held at its end: the visited set, and each state's parent, actor and depth (for traces). */
  bytes: number;
}

export interface RawExploreResult {
  /** By outcome name, whoever it concerns. */
  outcomes: Record<string, OutcomeResult>;
  /** By label: an outcome of one actor (or page). */
  labels: Record<string, OutcomeResult>;
  /** Per order expectation (the model's monitors, by their text): the shortest run to where its automaton accepts; `terminals` counts terminal states reached past that. */
  orders: Record<string, OutcomeResult>;
  classes: TerminalClass[];
  stats: ExploreStats;
  complete: boolean;
  reason?: string;
}

export function exploreModel(m: CompiledModel, opts: ExploreOptions = {}): RawExploreResult {
  const t0 = performance.now();
  const reduction = opts.reduction ?? true;
  const maxStates = opts.maxStates ?? DEFAULT_LIMITS.states;
  const maxMillis = opts.maxMillis ?? DEFAULT_LIMITS.millis;
  const bound = opts.preemptionBound;
  const onProgress = opts.onProgress;
  let told = 0;
  const A = m.programs.length;
  const { programs, pcIndex } = m;
  const stepsOf = programs.map((p) => p.steps);
  const futureOf = programs.map((p) => p.futureMask);
  const futureWritesOf = programs.map((p) => p.futureWrites);
  const base = m.init.length;
  const watchers = m.watchers;
  const monitors = watchers?.monitors.length ?? 0;
  // With a preemption bound the last actor and the preemptions used are part of the state.
  const n = bound === undefined ? base : base + 2;
  const init = new Int32Array(n);
  init.set(m.init);

  const store = new StateStore(n);
  // Per state: parent state, actor that moved, depth (typed and grown by doubling: no GC churn).
  let parent = new Int32Array(8192), via = new Int32Array(8192), depth = new Int32Array(8192);
  const record = (s: number, p: number, a: number, d: number) => {
    if (s >= parent.length) {
      const grow = (x: Int32Array) => { const y = new Int32Array(x.length * 2); y.set(x); return y; };
      parent = grow(parent); via = grow(via); depth = grow(depth);
    }
    parent[s] = p; via[s] = a; depth[s] = d;
  };
  const v = new Int32Array(n); // the state being expanded
  const nv = new Int32Array(n); // its successor under construction
  store.add(init); record(0, -1, -1, 0);

  // Per outcome (any actor) and per label: the first terminal state found showing it (the
  // shortest: breadth first), and how many do.
  const firstWith: number[] = new Array(m.outcomeNames.length).fill(-1);
  const countWith: number[] = new Array(m.outcomeNames.length).fill(0);
  const firstWithLabel: number[] = new Array(m.labels.length).fill(-1);
  const countWithLabel: number[] = new Array(m.labels.length).fill(0);
  const seenOutcome = new Int32Array(m.outcomeNames.length).fill(-1);
  const firstAccepting: number[] = new Array(monitors).fill(-1);
  const countAccepting: number[] = new Array(monitors).fill(0);
  const classes = new Map<string, { labels: number[]; count: number; state: number }>();
  let transitions = 0, terminals = 0, maxDepth = 0;
  let complete = true, reason: string | undefined;
  const enabled = new Int32Array(A);
  let enabledCount = 0;

  for (let i = 0; i < store.count; i++) {
    if ((i & 1023) === 0 && i > 0) {
      const spent = performance.now() - t0;
      if (spent > maxMillis) { complete = false; reason = `time limit of ${maxMillis} ms reached after ${store.count} states`; break; }
      if (onProgress && spent >= told + PROGRESS_MS) onProgress(store.count, (told = spent));
    }
    if (store.count > maxStates) { complete = false; reason = `state limit of ${maxStates} reached`; break; }
    store.load(i, v);
    enabledCount = 0;
    for (let a = 0; a < A; a++) {
      const pc = v[pcIndex[a]];
      if (pc === DONE) continue;
      const s = stepsOf[a][pc];
      if (s.blocked === undefined || !s.blocked(v)) enabled[enabledCount++] = a;
    }
    if (enabledCount === 0) {
      terminals++;
      const labels = m.classify(v);
      const key = labels.join(',');
      const c = classes.get(key);
      if (c) c.count++; else classes.set(key, { labels, count: 1, state: i });
      for (const k of labels) {
        countWithLabel[k]++;
        if (firstWithLabel[k] < 0) firstWithLabel[k] = i;
        const o = m.labels[k].outcome;
        if (seenOutcome[o] === i) continue; // one terminal counts once per outcome
        seenOutcome[o] = i;
        countWith[o]++;
        if (firstWith[o] < 0) firstWith[o] = i;
      }
      for (let k = 0; k < monitors; k++) if (watchers!.accepted(v, k)) countAccepting[k]++;
      continue;
    }
    let from = 0, to = enabledCount;
    if (reduction && enabledCount > 1) {
      // Actor a's next step is explored alone when it writes nothing any other unfinished actor
      // may still read or write, and reads nothing they may write (a blocking condition counts
      // as a read). Then it commutes with all of their future steps and none of them can enable
      // or disable it, nor it them; so every path from here to a terminal state takes it (it
      // stays enabled until a moves), and moving it to the front of that path keeps the path's
      // end. By induction on the path's length every terminal state stays reachable, cycles (a
      // task's retry loop) included: only terminal states are checked, so the cycle proviso,
      // which guards properties of the states a cycle may skip, is not needed.
      for (let e = 0; e < enabledCount; e++) {
        const a = enabled[e];
        const step = stepsOf[a][v[pcIndex[a]]];
        let othersMask = 0, othersWrites = 0;
        for (let b = 0; b < A; b++) {
          if (b === a) continue;
          const pc = v[pcIndex[b]];
          if (pc !== DONE) { othersMask |= futureOf[b][pc]; othersWrites |= futureWritesOf[b][pc]; }
        }
        if ((step.writes & othersMask) === 0 && (step.mask & othersWrites) === 0) { from = e; to = e + 1; break; }
      }
    }
    for (let e = from; e < to; e++) {
      const a = enabled[e];
      const pc = v[pcIndex[a]];
      const step = stepsOf[a][pc];
      nv.set(v);
      if (bound !== undefined) {
        const last = v[base] - 1;
        let used = v[base + 1];
        if (last >= 0 && last !== a && enabled.subarray(0, enabledCount).includes(last)) used++;
        if (used > bound) continue;
        nv[base] = a + 1;
        nv[base + 1] = used;
      }
      const lab = step.run(nv);
      // A step marking an event an order expectation watches is visible: its order against the
      // others' steps matters, so it is never explored alone. The automata's states are then
      // touched by visible steps only, and an accepting state stays accepting: every run that
      // ends with an order holding keeps a terminal state of the product that shows it.
      if (to - from < enabledCount && watchers?.visible()) { from = 0; to = enabledCount; e = -1; continue; }
      const target = targetOf(step, lab);
      if (target === undefined) throw new Error(`${programs[a].name}: step ${pc} (${step.fn}) returned undeclared label "${lab}"`);
      nv[pcIndex[a]] = target;
      transitions++;
      if (store.add(nv)) {
        const s = store.count - 1, d = depth[i] + 1;
        record(s, i, a, d);
        if (d > maxDepth) maxDepth = d;
        for (let k = 0; k < monitors; k++) if (firstAccepting[k] < 0 && watchers!.accepted(nv, k)) firstAccepting[k] = s;
      }
    }
  }

  const traceTo = (s: number) => {
    const acts: number[] = [];
    for (let x = s; parent[x] >= 0; x = parent[x]) acts.push(via[x]);
    return encodeTrace(acts.reverse());
  };
  const result = (s: number, terminals: number): OutcomeResult => ({ reachable: s >= 0, trace: s >= 0 ? traceTo(s) : null, length: s >= 0 ? depth[s] : null, terminals });
  const outcomes: Record<string, OutcomeResult> = {};
  m.outcomeNames.forEach((name, o) => { outcomes[name] = result(firstWith[o], countWith[o]); });
  const labels: Record<string, OutcomeResult> = {};
  m.labels.forEach(({ label }, k) => { labels[label] = result(firstWithLabel[k], countWithLabel[k]); });
  const orders: Record<string, OutcomeResult> = {};
  watchers?.monitors.forEach(({ text }, k) => { orders[text] = result(firstAccepting[k], countAccepting[k]); });
  const millis = performance.now() - t0;
  return {
    outcomes,
    labels,
    orders,
    classes: [...classes.values()]
      .map((c) => ({ outcomes: c.labels.map((k) => m.labels[k].label), count: c.count, trace: traceTo(c.state) }))
      .sort((x, y) => y.count - x.count),
    stats: {
      states: store.count, transitions, terminals, maxDepth,
      millis: Math.round(millis * 1000) / 1000,
      statesPerSecond: millis > 0 ? Math.round(store.count / (millis / 1000)) : 0,
      reduction,
      bytes: store.bytes + parent.byteLength + via.byteLength + depth.byteLength,
    },
    complete,
    reason,
  };
}
