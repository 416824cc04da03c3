// The one explorer: breadth-first search over all interleavings with visited-state
// de-duplication (full or compact store), optional partial-order reduction and symmetry
// reduction, a preemption bound and hard limits.

import type { Vec } from './state';
import { DONE, VEC_ALIGN, newVec } from './state';
import { CompactStore, StateStore } from './store';
import { Workspace } from './slots';
import type { CompiledModel } from './model';
import { encodeTrace } from './trace';
import { targetOf } from './steps';
import { DEFAULT_LIMITS } from './scenario';
import { canonicaliser, renamings } from './symmetry';

export interface ExploreOptions {
  reduction?: boolean; // default true
  maxStates?: number; // default DEFAULT_LIMITS.states
  maxMillis?: number; // default DEFAULT_LIMITS.millis
  preemptionBound?: number; // undefined = unbounded
  /** Store interchangeable actors' states once (CompiledModel.symmetry); default true. */
  symmetry?: boolean;
  /** Visited set: full vectors, or 64-bit fingerprints (default when maxStates > COMPACT_ABOVE). */
  store?: 'full' | 'compact';
  /** Told the states stored so far and the time taken, every PROGRESS_MS or so, for a long search's progress line. */
  onProgress?: (states: number, millis: number) => void;
}

const PROGRESS_MS = 100;

/** A search allowed more states than this keeps fingerprints: full vectors of 10^7 states would not fit in 1 GB. */
export const COMPACT_ABOVE = DEFAULT_LIMITS.states;

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
  /** Whether symmetric states were stored once (asked for, and the model has interchangeable actors). */
  symmetry: boolean;
  store: 'full' | 'compact';
  /** Compact store: the chance that a fingerprint collision left a state out (n^2 / 2^65). */
  collisionProbability?: number;
  /** The most memory the search held: the visited set (with the compact store, the frontier's vectors) and each state's parent and actor (for traces). */
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
  const storeKind = opts.store ?? (maxStates > COMPACT_ABOVE ? 'compact' : 'full');
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
  // Zero slots pad it to the store's alignment.
  const n = Math.ceil((bound === undefined ? base : base + 2) / VEC_ALIGN) * VEC_ALIGN;
  const start = newVec(n);
  start.set(m.init);

  // With symmetry each state is stored as its class's representative; the last actor a
  // preemption bound keeps names an actor too. A bound with the reduction explores a set that
  // depends on which actor the reduction picks, and a representative's actors are in another
  // order: not applied then, so that verdicts do not change.
  const sym = (opts.symmetry ?? true) && !(bound !== undefined && reduction) ? m.symmetry : undefined;
  const canon = sym && canonicaliser(bound === undefined ? sym : { ...sym, actorSlots: [...sym.actorSlots, base] }, A);
  const renamed = new Int32Array(A);

  // The explorer's vectors: the state being expanded, its successors (one more: the next to
  // build, which hashing the last one leaves a copy of the state), the initial state.
  const work = new Workspace(n, A + 3);
  const store = storeKind === 'compact' ? new CompactStore(work) : new StateStore(work);
  // Per state: parent state and the actor that moved (typed and grown by doubling: no GC churn).
  // Depth is the BFS level, counted as the search goes.
  let parent = new Int32Array(8192), via = new Uint8Array(8192);
  const record = (s: number, p: number, a: number) => {
    if (s >= parent.length) {
      const p2 = new Int32Array(parent.length * 2); p2.set(parent); parent = p2;
      const v2 = new Uint8Array(via.length * 2); v2.set(via); via = v2;
    }
    parent[s] = p; via[s] = a;
  };
  /** Actor a's step from `from` into `to` (pc included; not the preemption bound's slots). */
  const move = (from: Vec, a: number, to: Vec) => { to.set(from); advance(a, to); };
  /** Actor a's step, on a copy of the state it is taken from. */
  const advance = (a: number, to: Vec) => {
    const pc = to[pcIndex[a]];
    const step = stepsOf[a][pc];
    const lab = step.run(to);
    const target = targetOf(step, lab);
    if (target === undefined) throw new Error(`${programs[a].name}: step ${pc} (${step.fn}) returned undeclared label "${lab}"`);
    to[pcIndex[a]] = target;
  };
  const here = work.take(); // the state being expanded
  // Its successors: all are built and hashed, their table places read, and only then are they
  // stored, so that the table's cache misses overlap rather than come one after another. Each
  // is built on a copy of the state made while hashing the one before (the first, on loading).
  const succs = Array.from({ length: A + 1 }, () => work.take());
  const movedBy = new Int32Array(A);
  const init = work.take();
  init.v.set(start);
  if (canon) canon(init.v, renamed);
  work.hash(init); store.insert(init); record(0, -1, -1);
  // States before levelEnd are at depth `level`, the ones being added at level + 1.
  let level = 0, levelEnd = 1;

  // Per outcome (any actor) and per label: the first terminal state found showing it (the
  // shortest: breadth first), and how many do.
  const firstWith: number[] = new Array(m.outcomeNames.length).fill(-1);
  const countWith: number[] = new Array(m.outcomeNames.length).fill(0);
  const firstWithLabel: number[] = new Array(m.labels.length).fill(-1);
  const seenOutcome = new Int32Array(m.outcomeNames.length).fill(-1);
  const firstAccepting: number[] = new Array(monitors).fill(-1);
  const countAccepting: number[] = new Array(monitors).fill(0);
  // Per label, the terminal states showing it; with symmetry, showing it or the same outcome
  // of an interchangeable actor (a label's class is named by its first actor's label).
  const labelAt = labelTable(m);
  const labelClass = m.labels.map((x, k) => (x.actor === undefined || !sym ? k : labelAt(sym.groups.find((g) => g.includes(x.actor!))?.[0] ?? x.actor, x.outcome)));
  const countWithLabel: number[] = new Array(m.labels.length).fill(0);
  const seenLabelClass = new Int32Array(m.labels.length).fill(-1);
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
    if (i === levelEnd) { level++; levelEnd = store.count; }
    store.load(i, here);
    work.copy(here, succs[0]);
    const v = here.v; // again each state: storing may have grown the memory and remade its views
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
        if (firstWithLabel[k] < 0) firstWithLabel[k] = i;
        if (seenLabelClass[labelClass[k]] !== i) { seenLabelClass[labelClass[k]] = i; countWithLabel[labelClass[k]]++; }
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
    let built = 0;
    for (let e = from; e < to; e++) {
      const a = enabled[e];
      let used = 0;
      if (bound !== undefined) {
        const last = v[base] - 1;
        used = v[base + 1];
        if (last >= 0 && last !== a && enabled.subarray(0, enabledCount).includes(last)) used++;
        if (used > bound) continue;
      }
      const succ = succs[built], nv = succ.v;
      advance(a, nv);
      // A step marking an event an order expectation watches is visible: its order against the
      // others' steps matters, so it is never explored alone. The automata's states are then
      // touched by visible steps only, and an accepting state stays accepting: every run that
      // ends with an order holding keeps a terminal state of the product that shows it.
      if (to - from < enabledCount && watchers?.visible()) { from = 0; to = enabledCount; e = -1; built = 0; work.copy(here, succs[0]); continue; }
      if (bound !== undefined) { nv[base] = a + 1; nv[base + 1] = used; }
      if (canon) canon(nv, renamed);
      work.hashSuccessor(here, succ, succs[built + 1]);
      movedBy[built++] = a;
    }
    transitions += built;
    for (let j = 0; j < built; j++) store.touch(succs[j]);
    for (let j = 0; j < built; j++) {
      const succ = succs[j];
      if (store.insert(succ)) {
        const s = store.count - 1;
        record(s, i, movedBy[j]);
        maxDepth = level + 1;
        for (let k = 0; k < monitors; k++) if (firstAccepting[k] < 0 && watchers!.accepted(succ.v, k)) firstAccepting[k] = s;
      }
    }
  }
  work.release(); // traces are rebuilt below on vectors of their own

  /**
   * The schedule to stored state s, in the actors' own numbering, and which actor each of s's
   * blocks belongs to there (`owner[c]`). The stored path is of representatives, each step named
   * in its parent's numbering; walking it forward again and composing the renamings gives the
   * schedule replay() runs. (A preemption bound's count is left out: it orders no actor.)
   */
  const scheduleTo = (s: number) => {
    const acts: number[] = [];
    for (let x = s; parent[x] >= 0; x = parent[x]) acts.push(via[x]);
    acts.reverse();
    let owner = Int32Array.from({ length: A }, (_, a) => a);
    if (!canon) return { acts, owner };
    let c: Vec = start.slice(), after = newVec(n), was = new Int32Array(A);
    const track = () => {
      canon(c, renamed);
      for (let b = 0; b < A; b++) was[renamed[b]] = owner[b];
      [owner, was] = [was, owner];
    };
    track();
    return {
      acts: acts.map((a) => {
        const real = owner[a];
        move(c, a, after);
        if (bound !== undefined) after[base] = a + 1;
        [c, after] = [after, c];
        track();
        return real;
      }),
      owner,
    };
  };
  const result = (s: number, terminals: number, rename?: (acts: number[], owner: Int32Array) => number[]): OutcomeResult => {
    if (s < 0) return { reachable: false, trace: null, length: null, terminals };
    const { acts, owner } = scheduleTo(s);
    return { reachable: true, trace: encodeTrace(rename ? rename(acts, owner) : acts), length: acts.length, terminals };
  };
  const outcomes: Record<string, OutcomeResult> = {};
  m.outcomeNames.forEach((name, o) => { outcomes[name] = result(firstWith[o], countWith[o]); });
  const labels: Record<string, OutcomeResult> = {};
  m.labels.forEach(({ label, actor, outcome }, k) => {
    // With symmetry: the first stored terminal showing this label for some actor interchangeable with its own,
    // and a schedule renamed so that its own actor is the one.
    let first = firstWithLabel[k], from = k;
    if (sym && actor !== undefined) {
      for (const b of sym.groups.find((g) => g.includes(actor)) ?? []) {
        const f = firstWithLabel[labelAt(b, outcome)];
        if (f >= 0 && (first < 0 || f < first)) { first = f; from = labelAt(b, outcome); }
      }
    }
    labels[label] = result(first, countWithLabel[labelClass[k]], (acts, owner) => {
      const shown = owner[m.labels[from].actor!];
      return shown === actor ? acts : acts.map((a) => (a === shown ? actor! : a === actor ? shown : a));
    });
  });
  const orders: Record<string, OutcomeResult> = {};
  watchers?.monitors.forEach(({ text }, k) => { orders[text] = result(firstAccepting[k], countAccepting[k]); });
  const millis = performance.now() - t0;
  return {
    outcomes,
    labels,
    orders,
    classes: terminalClasses(m, [...classes.values()], scheduleTo, sym?.groups ?? [], labelAt)
      .sort((x, y) => y.count - x.count),
    stats: {
      states: store.count, transitions, terminals, maxDepth,
      millis: Math.round(millis * 1000) / 1000,
      statesPerSecond: millis > 0 ? Math.round(store.count / (millis / 1000)) : 0,
      reduction,
      symmetry: canon !== undefined,
      store: storeKind,
      ...(store instanceof CompactStore ? { collisionProbability: store.collisionProbability } : {}),
      bytes: store.peakBytes + parent.byteLength + via.byteLength,
    },
    complete,
    reason,
  };
}

/** The label of `outcome` for `actor`: an index into m.labels. */
function labelTable(m: CompiledModel): (actor: number, outcome: number) => number {
  const at = new Map<number, number>();
  m.labels.forEach((x, k) => { if (x.actor !== undefined) at.set(x.actor * m.outcomeNames.length + x.outcome, k); });
  return (actor, outcome) => at.get(actor * m.outcomeNames.length + outcome)!;
}

/**
 * The terminal classes, each with a schedule replay() runs to it. With symmetry a stored terminal
 * stands for every renaming of it, all reachable: each shows its labels renamed, so each renaming
 * gives a class (the count is of stored terminals whose renamings show it).
 */
function terminalClasses(
  m: CompiledModel, stored: Array<{ labels: number[]; count: number; state: number }>,
  scheduleTo: (s: number) => { acts: number[]; owner: Int32Array }, groups: number[][], labelAt: (actor: number, outcome: number) => number,
): TerminalClass[] {
  const out = new Map<string, TerminalClass>();
  for (const c of stored) {
    const { acts, owner } = scheduleTo(c.state);
    const images = new Set<string>();
    for (const to of renamings(groups, m.programs.length)) {
      // A stored block c belongs to actor owner[c]; renamed, to to[owner[c]].
      const shown = c.labels.map((k) => {
        const x = m.labels[k];
        return x.actor === undefined ? k : labelAt(to[owner[x.actor]], x.outcome);
      }).sort((x, y) => x - y);
      const key = shown.join(',');
      if (images.has(key)) continue;
      images.add(key);
      const had = out.get(key);
      if (had) { had.count += c.count; continue; }
      out.set(key, { outcomes: shown.map((k) => m.labels[k].label), count: c.count, trace: encodeTrace(acts.map((a) => to[a])) });
    }
  }
  return [...out.values()];
}
