// Outcomes: named predicates over a terminal state (no step enabled).

import { G, Layout, PF, PTE, Vec, pageAt, pteKindAt, pteSlotAt } from './state';

export const Outcome = {
  WriteLanded: 'WriteLanded',
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
  Retried: 'a fault returned without making the PTE writable and the store faulted again',
  Sigbus: 'the task got SIGBUS (VM_FAULT_SIGBUS)',
  Oom: 'the fault returned VM_FAULT_OOM (pagefault_out_of_memory)',
  DataLost: 'the store went to a page no longer in the page cache, or a PTE still maps such a page at the end',
  DirtyPteCleanPage: 'a writable PTE maps a clean page: later stores escape dirty accounting',
  DirtiedUnprepared: 'the fault path dirtied a page the filesystem had not prepared (no allocation / reservation)',
  VmBugOn: 'VM_BUG_ON fired (e.g. VM_FAULT_LOCKED returned with the page unlocked; CONFIG_DEBUG_VM assumed)',
  Deadlock: 'no actor can move but some have not finished (a cycle of waits, or a lock never released)',
};

const bit = (o: OutcomeName) => 1 << OUTCOME_NAMES.indexOf(o);

export function outcomesOf(mask: number, names: readonly string[] = OUTCOME_NAMES): string[] {
  return names.filter((_, i) => mask & (1 << i));
}

export function classifyKernel(l: Layout, v: Vec, deadlock: boolean): number {
  let m = 0;
  const w = v[G.WRITE];
  if (w === 3 || (w === 1 && v[pageAt(l, v[G.WRITE_PAGE] - 1, PF.MAPPING)] === 1)) m |= bit('WriteLanded');
  if (v[G.RETRIED]) m |= bit('Retried');
  if (v[G.SIGBUS]) m |= bit('Sigbus');
  if (v[G.OOM]) m |= bit('Oom');
  if (v[G.VM_BUG]) m |= bit('VmBugOn');
  if (v[G.UNPREPARED_DIRTY]) m |= bit('DirtiedUnprepared');
  if (deadlock) m |= bit('Deadlock');
  let lost = w === 2;
  for (let i = 0; i < l.indices; i++) {
    const k = v[pteKindAt(l, i)];
    if (k === PTE.NONE) continue;
    const s = v[pteSlotAt(l, i)] - 1;
    if (v[pageAt(l, s, PF.MAPPING)] === 0) lost = true;
    else if (k >= PTE.RW && v[pageAt(l, s, PF.DIRTY)] === 0 && v[pageAt(l, s, PF.WRITEBACK)] === 0) m |= bit('DirtyPteCleanPage');
  }
  if (lost) m |= bit('DataLost');
  return m;
}
