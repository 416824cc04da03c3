// Compile a scenario (plain data) into what the explorer runs: an initial state vector and one
// step program per actor. Era and handler can be overridden, which is how a reader flips them.

import { ActorInfo, G, Layout, PF, PTE, StateView, Vec, newVec, cacheAt, localAt, makeLayout, pageAt, pcAt, pteKindAt, pteSlotAt, viewState } from './state';
import { ObjectBits, Program, ProgramItem, assemble } from './steps';
import { ERAS, EraId } from './eras/index';
import { L, TASK_LOCALS, TaskCtx } from './eras/common';
import { HANDLERS } from './handlers/index';
import type { HandlerSpec } from './handlers/composable';
import { faultingTask } from './actors/faulting-task';
import { truncateActor } from './actors/truncate';
import { downconvertActor } from './actors/downconvert';
import { writebackActor } from './actors/writeback';
import { reclaimActor } from './actors/reclaim';
import { OUTCOME_NAMES, kernelLabels, kernelOutcomes, type Concerned, type OutcomeLabel } from './outcomes';
import { SCENARIO_CAPS, actorNames, type ActorSpec, type PageSpec, type Scenario } from './scenario';
import type { Symmetry } from './symmetry';
import { EVENT_NAMES, happenings, isValued, type Happening } from './events';
import { formatRet } from './vmfault';
import { accepting, advance, monitorOf, namedIn, parsePattern, watched, type Monitor } from './patterns';

/** What the explorer needs; kernel scenarios and the SPIN toy model both compile to this. */
export interface CompiledModel {
  name: string;
  init: Vec;
  programs: Program[];
  pcIndex: number[];
  outcomeNames: readonly string[];
  /** What a terminal state can show: each an outcome (an index into outcomeNames) of one actor, or of the whole model. */
  labels: readonly OutcomeLabel[];
  /** The labels a terminal state shows (indices into labels, ascending); an actor not finished there is deadlocked. */
  classify(v: Vec): number[];
  view(v: Vec): unknown;
  /** Automata for the order expectations, each with its state in the vector's slot `at + k`. */
  watchers?: Watchers;
  /** Interchangeable actors, when there are any (symmetry reduction). */
  symmetry?: Symmetry;
}

export interface Watchers {
  monitors: Monitor[];
  at: number;
  accepted(v: Vec, k: number): boolean;
  /** Whether the step run last marked an event some monitor watches: a visible step, which partial-order reduction must not explore alone. */
  visible(): boolean;
}

export interface KernelModel extends CompiledModel {
  layout: Layout;
  era: EraId;
  handler: HandlerSpec;
  view(v: Vec): StateView;
  /** The events actor a's step marked going from `before` to `after`, written as an order expectation names them (`Returned(VM_FAULT_NOPAGE, fault[0])`). */
  eventsOf(a: number, before: Vec, after: Vec): string[];
}

export interface ModelOptions {
  era?: EraId;
  handler?: string | HandlerSpec;
}

export function resolveHandler(h: string | HandlerSpec): HandlerSpec {
  if (typeof h !== 'string') return h;
  const spec = HANDLERS[h];
  if (!spec) throw new Error(`unknown handler "${h}" (known: ${Object.keys(HANDLERS).join(', ')})`);
  return spec;
}

/** Actors whose specs agree apart from their names run the same program: groups of them, for symmetry reduction. */
export function interchangeable(actors: readonly ActorSpec[]): number[][] {
  const byKind = new Map<string, number[]>();
  actors.forEach((a, i) => {
    const key = JSON.stringify(Object.entries(a).filter(([k, x]) => k !== 'name' && x !== undefined).sort(([x], [y]) => (x < y ? -1 : 1)));
    byKind.set(key, [...(byKind.get(key) ?? []), i]);
  });
  return [...byKind.values()].filter((g) => g.length > 1);
}

export function compileScenario(sc: Scenario, opts: ModelOptions = {}): KernelModel {
  const eraId = opts.era ?? sc.era;
  const era = ERAS[eraId];
  if (!era) throw new Error(`unknown era "${eraId}" (known: ${Object.keys(ERAS).join(', ')})`);
  const handler = resolveHandler(opts.handler ?? sc.handler);
  const indices = sc.file.pages;
  if (!(indices >= 1 && indices <= SCENARIO_CAPS.pages)) throw new Error(`file.pages must be 1..${SCENARIO_CAPS.pages}`);
  if (sc.actors.length > SCENARIO_CAPS.actors) throw new Error(`actors: at most ${SCENARIO_CAPS.actors}`);
  // The faulting task keeps TASK_LOCALS; every other actor only the page it works on.
  const localNames = sc.actors.map((a) => (a.kind === 'fault' ? TASK_LOCALS : ['page']));
  const tasks = sc.actors.flatMap((a, i) => (a.kind === 'fault' ? [i] : []));
  // Each task's store ends in an outcome: with one, so does every terminal state.
  if (tasks.length === 0) throw new Error('actors: at least one fault actor (the scenario models a write fault)');
  const l = makeLayout(indices, localNames.map((n) => n.length), (base) => tasks.map((a) => base[a]! + 2 + L.WRITE));
  const objs = new ObjectBits();
  const names = actorNames(sc.actors);

  const programs = sc.actors.map((a, me): Program => {
    const c = { l, me };
    const idxOk = (i: number) => { if (i < 0 || i >= indices) throw new Error(`actors.${me}.index (${names[me]}): page ${i} is not in the file (file.pages: ${indices}, indices 0..${indices - 1})`); };
    let items: ProgramItem[];
    switch (a.kind) {
      case 'fault': {
        idxOk(a.index);
        const t: TaskCtx = { ...c, index: a.index, page: `page:${a.index}`, pte: `pte:${a.index}` };
        items = faultingTask(t, era, handler, a.alloc);
        break;
      }
      case 'truncate': items = truncateActor(c, { mode: 'truncate', to: a.to, extendTo: a.extendTo, fs: a.fs ?? 'generic' }, indices, era.truncateTakesIAllocSem); break;
      case 'punch': items = truncateActor(c, { mode: 'punch', from: a.from, to: a.to, fs: a.fs ?? 'generic' }, indices, era.truncateTakesIAllocSem); break;
      case 'downconvert': items = downconvertActor(c, { level: a.level, remoteSize: a.remoteSize }, indices); break;
      case 'writeback': if (a.index !== undefined) idxOk(a.index); items = writebackActor(c, { index: a.index, consumesPrepared: a.consumesPrepared ?? false }, indices); break;
      case 'reclaim': idxOk(a.index); items = reclaimActor(c, { index: a.index, ignoreRefs: a.ignoreRefs ?? false }); break;
    }
    return assemble(names[me], localNames[me], items, objs);
  });

  // The order expectations' automata run beside the model: their states extend the vector.
  const patterns = [...new Set([...(sc.expect.exists ?? []), ...(sc.expect.never ?? [])])].map(parsePattern);
  const monitors = patterns.flatMap((p) => (p.kind === 'outcome' ? [] : [monitorOf(p, names)]));
  const writes = sc.actors.map((a, i) => (a.kind === 'fault' ? localAt(l, i, L.WRITE) : -1));
  const watchers = monitors.length ? watch(programs, l, writes, monitors) : undefined;

  const init: Vec = newVec(l.size + monitors.length);
  init[G.ISIZE] = sc.file.size ?? indices;
  const pageSpecs: PageSpec[] = Array.from({ length: indices }, (_, i) => (sc.pages as Record<number, PageSpec> | undefined)?.[i] ?? {});
  pageSpecs.forEach((p, i) => {
    if (p.cached === false) {
      if (p.pte && p.pte !== 'none') throw new Error(`pages.${i}.pte: page ${i} is not cached, so no PTE can map it`);
      return;
    }
    const pte = p.pte ?? 'ro';
    init[pageAt(l, i, PF.MAPPING)] = 1;
    init[pageAt(l, i, PF.UPTODATE)] = p.uptodate === false ? 0 : 1;
    init[pageAt(l, i, PF.DIRTY)] = p.dirty ? 1 : 0;
    init[pageAt(l, i, PF.PREPARED)] = p.prepared ? 1 : 0;
    init[pageAt(l, i, PF.INDEX)] = i;
    init[pageAt(l, i, PF.REF)] = pte === 'none' ? 1 : 2;
    init[cacheAt(l, i)] = i + 1;
    init[pteKindAt(l, i)] = pte === 'none' ? PTE.NONE : pte === 'ro' ? PTE.RO : PTE.RW;
    init[pteSlotAt(l, i)] = pte === 'none' ? 0 : i + 1;
  });

  const concerned: Concerned = {
    actors: names,
    writes,
    tasksAt: Array.from({ length: indices }, (_, i) => tasks.filter((a) => (sc.actors[a] as { index: number }).index === i)),
  };
  // An order naming one actor tells it apart from its twins: it leaves their group.
  const ordered = new Set(patterns.flatMap((p) => (p.kind === 'outcome' ? [] : namedIn(p))));
  const groups = interchangeable(sc.actors).map((g) => g.filter((a) => !ordered.has(names[a]!))).filter((g) => g.length > 1);
  const info: ActorInfo[] = programs.map((p) => ({
    name: p.name,
    localNames: p.localNames,
    stepName: (pc) => (p.steps[pc] ? `${p.steps[pc].fn} ${p.steps[pc].loc}` : null),
  }));
  return {
    name: sc.id,
    layout: l,
    era: eraId,
    handler,
    init,
    programs,
    pcIndex: programs.map((_, a) => pcAt(l, a)),
    outcomeNames: OUTCOME_NAMES,
    labels: kernelLabels(concerned),
    classify: (v) => kernelOutcomes(l, concerned, v),
    view: (v) => viewState(l, v, info),
    eventsOf: (a, before, after) => {
      const seen: Happening[] = [];
      happenings(l, writes, a, programs[a]!.steps[before[pcAt(l, a)]!]!.emits, before, after, seen);
      return seen.map((h) => {
        const name = EVENT_NAMES[h.event]!;
        return `${name}(${isValued(name) ? `${formatRet(h.value)}, ` : ''}${names[h.actor]})`;
      });
    },
    watchers,
    ...(groups.length ? { symmetry: { groups, base: l.actorBase, length: l.actorLength, actorSlots: l.actorSlots } } : {}),
  };
}

/** Make every step also feed the events it marks to the monitors (the product of model and automata). */
function watch(programs: Program[], l: Layout, writes: readonly number[], monitors: Monitor[]): Watchers {
  const at = l.size;
  const before = newVec(l.size);
  const seen: Happening[] = [];
  let visible = false;
  programs.forEach((p, a) => {
    for (const step of p.steps) {
      const run = step.run;
      step.run = (v) => {
        before.set(v.subarray(0, l.size));
        const label = run(v);
        happenings(l, writes, a, step.emits, before, v, seen);
        visible = false;
        for (const h of seen) {
          for (let k = 0; k < monitors.length; k++) {
            if (!watched(monitors[k]!, h)) continue;
            visible = true;
            v[at + k] = advance(monitors[k]!, v[at + k]!, h);
          }
        }
        return label;
      };
    }
  });
  return { monitors, at, accepted: (v, k) => accepting(monitors[k]!, v[at + k]!), visible: () => visible };
}
