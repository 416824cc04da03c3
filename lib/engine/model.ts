// Compile a scenario (plain data) into what the explorer runs: an initial state vector and one
// step program per actor. Era and handler can be overridden, which is how a reader flips them.

import { ActorInfo, G, Layout, PF, PTE, StateView, Vec, cacheAt, localAt, makeLayout, pageAt, pcAt, pteKindAt, pteSlotAt, viewState } from './state';
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
import { SCENARIO_CAPS, type ActorSpec, type PageSpec, type Scenario } from './scenario';
import type { Symmetry } from './symmetry';

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
  /** Interchangeable actors, when there are any (symmetry reduction). */
  symmetry?: Symmetry;
}

export interface KernelModel extends CompiledModel {
  layout: Layout;
  era: EraId;
  handler: HandlerSpec;
  view(v: Vec): StateView;
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

function ownName(a: ActorSpec, i: number): string {
  if (a.name) return a.name;
  switch (a.kind) {
    case 'fault': return `fault[${a.index}]`;
    case 'truncate': return `truncate(${a.to}${a.extendTo !== undefined ? `->${a.extendTo}` : ''})`;
    case 'punch': return `punch[${a.from},${a.to})`;
    case 'downconvert': return `downconvert(${a.level})`;
    case 'writeback': return `writeback${a.index !== undefined ? `[${a.index}]` : ''}`;
    case 'reclaim': return `reclaim[${a.index}]`;
    default: return `actor${i}`;
  }
}

/**
 * Each actor's name, as traces, swimlanes and outcome labels (`Sigbus(fault[0])`) show it:
 * its own `name`, or one made from what it does; a default name met again gets `#2`, `#3`
 * (two tasks faulting at one index), so that every actor's outcomes stay its own.
 */
export function actorNames(actors: readonly ActorSpec[]): string[] {
  const seen = new Map<string, number>();
  return actors.map((a, i) => {
    const name = ownName(a, i);
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 || a.name ? name : `${name}#${n}`;
  });
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

  const init: Vec = new Int32Array(l.size);
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
    writes: sc.actors.map((a, i) => (a.kind === 'fault' ? localAt(l, i, L.WRITE) : -1)),
    tasksAt: Array.from({ length: indices }, (_, i) => tasks.filter((a) => (sc.actors[a] as { index: number }).index === i)),
  };
  const groups = interchangeable(sc.actors);
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
    ...(groups.length ? { symmetry: { groups, base: l.actorBase, length: l.actorLength, actorSlots: l.actorSlots } } : {}),
  };
}
