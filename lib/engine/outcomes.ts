// Outcomes: named predicates over a terminal state (no step enabled), each of one actor:
// what happened to a faulting task's store, what it was sent, what fired in its path.
// A stale PTE at the end is the outcome of the tasks that fault at its index (of the
// page itself when none does).

import { AF, DONE, Layout, PF, PTE, Vec, WRITE, flagsAt, pageAt, pcAt, pteKindAt, pteSlotAt } from './state';

export const Outcome = {
  WriteLanded: 'WriteLanded',
  WriteDiscarded: 'WriteDiscarded',
  Retried: 'Retried',
  Sigbus: 'Sigbus',
  Oom: 'Oom',
  DataLost: 'DataLost',
  DirtyPteCleanPage: 'DirtyPteCleanPage',
  DirtiedUnprepared: 'DirtiedUnprepared',
  VmBugOn: 'VmBugOn',
  Deadlock: 'Deadlock',
} as const;
export type OutcomeName = keyof typeof Outcome;
export const OUTCOME_NAMES = Object.keys(Outcome) as OutcomeName[];

export const OUTCOME_DESCRIPTIONS: Record<OutcomeName, string> = {
  WriteLanded: 'the store went through a writable PTE into a page in the page cache, which is still cached at the end or was written back',
  WriteDiscarded: 'the store went into a page in the page cache, which was then removed from it (truncate, hole punch, invalidation) before it was written back',
  Retried: 'a fault returned without making the PTE writable and the store faulted again',
  Sigbus: 'the task got SIGBUS (VM_FAULT_SIGBUS)',
  Oom: 'the fault returned VM_FAULT_OOM (pagefault_out_of_memory)',
  DataLost: 'the store went to a page no longer in the page cache, or a PTE still maps such a page at the end',
  DirtyPteCleanPage: 'a writable PTE maps a clean page: later stores escape dirty accounting',
  DirtiedUnprepared: 'the fault path dirtied a page the filesystem had not prepared (no allocation / reservation)',
  VmBugOn: 'VM_BUG_ON fired (e.g. VM_FAULT_LOCKED returned with the page unlocked; CONFIG_DEBUG_VM assumed)',
  Deadlock: 'the actor cannot move but has not finished (a cycle of waits, or a lock never released)',
};

const O = Object.fromEntries(OUTCOME_NAMES.map((n, i) => [n, i])) as Record<OutcomeName, number>;
const FLAG_OUTCOMES: Array<[number, number]> = [[AF.SIGBUS, O.Sigbus], [AF.OOM, O.Oom], [AF.RETRIED, O.Retried], [AF.VM_BUG, O.VmBugOn], [AF.UNPREPARED_DIRTY, O.DirtiedUnprepared]];

/** An outcome of one actor, or of a page: `DataLost(fault[0])`. */
export interface OutcomeLabel {
  outcome: number;
  label: string;
  /** The actor it concerns; absent for a page's or the whole model's. */
  actor?: number;
}

export const labelOf = (outcome: string, who: string) => `${outcome}(${who})`;

/** `Outcome` or `Outcome(who)`, as an expectation names it; null when it is neither. */
export function parseOutcomeLabel(text: string): { outcome: OutcomeName; who?: string } | null {
  const m = /^([A-Za-z]+)(?:\((.+)\))?$/.exec(text.trim());
  if (!m || !(OUTCOME_NAMES as string[]).includes(m[1]!)) return null;
  return m[2] === undefined ? { outcome: m[1] as OutcomeName } : { outcome: m[1] as OutcomeName, who: m[2] };
}

/** Who the kernel model's outcomes can concern: its actors, then the page indices no task faults at. */
export interface Concerned {
  actors: readonly string[];
  /** Per actor: the index of its write local when it is a faulting task, else -1. */
  writes: readonly number[];
  /** Per page index: the tasks faulting at it. */
  tasksAt: readonly (readonly number[])[];
}

/** The labels of a kernel model, in the order kernelOutcomes() numbers them: each actor's every outcome, then the pages'. */
export function kernelLabels(c: Concerned): OutcomeLabel[] {
  const labels: OutcomeLabel[] = [];
  c.actors.forEach((name, actor) => { for (let o = 0; o < OUTCOME_NAMES.length; o++) labels.push({ outcome: o, label: labelOf(OUTCOME_NAMES[o]!, name), actor }); });
  c.tasksAt.forEach((tasks, i) => {
    if (tasks.length === 0) for (let o = 0; o < OUTCOME_NAMES.length; o++) labels.push({ outcome: o, label: labelOf(OUTCOME_NAMES[o]!, `page[${i}]`) });
  });
  return labels;
}

/** The labels (indices into kernelLabels) a terminal state shows, ascending. */
export function kernelOutcomes(l: Layout, c: Concerned, v: Vec): number[] {
  const N = OUTCOME_NAMES.length;
  const shown = new Set<number>();
  for (let a = 0; a < c.actors.length; a++) {
    const flags = v[flagsAt(l, a)]!;
    for (const [bit, o] of FLAG_OUTCOMES) if (flags & bit) shown.add(a * N + o);
    if (v[pcAt(l, a)] !== DONE) shown.add(a * N + O.Deadlock);
    const at = c.writes[a]!;
    if (at < 0) continue;
    const w = v[at];
    if (w === WRITE.WRITTEN_BACK || w === WRITE.CACHED) shown.add(a * N + O.WriteLanded);
    else if (w === WRITE.DISCARDED) shown.add(a * N + O.WriteDiscarded);
    else if (w === WRITE.LOST) shown.add(a * N + O.DataLost);
  }
  let pageLabel = c.actors.length * N;
  for (let i = 0; i < l.indices; i++) {
    const tasks = c.tasksAt[i]!;
    const who = tasks.length ? tasks : [-1];
    const base = tasks.length ? -1 : pageLabel;
    if (!tasks.length) pageLabel += N;
    const k = v[pteKindAt(l, i)];
    if (k === PTE.NONE) continue;
    const s = v[pteSlotAt(l, i)]! - 1;
    let o = -1;
    if (v[pageAt(l, s, PF.MAPPING)] === 0) o = O.DataLost;
    else if (k >= PTE.RW && v[pageAt(l, s, PF.DIRTY)] === 0 && v[pageAt(l, s, PF.WRITEBACK)] === 0) o = O.DirtyPteCleanPage;
    if (o >= 0) for (const t of who) shown.add(t < 0 ? base + o : t * N + o);
  }
  return [...shown].sort((x, y) => x - y);
}
