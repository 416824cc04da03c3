// The step language. A program is a list of steps and labels; each step is one atomic
// action between scheduling points, names the kernel function and file:line it stands for,
// declares what shared objects it writes and reads (for partial-order reduction) and where it may jump.
// This file also holds the page-cache primitives that many steps share.

import {
  AF, DONE, G, Layout, NPF, PF, PTE, RW_READERS, Vec, WRITE,
  cacheAt, flagsAt, localAt, pageAt, pteKindAt, pteSlotAt,
} from './state';
import type { StepEvent } from './events';

export interface StepSpec {
  fn: string; // kernel function (or "user space")
  loc: string; // "mm/memory.c:2187"; "(unverified)" marks locations not in kernel-fault-path.md
  desc: string;
  /** Behaviour reconstructed rather than read in the verified source (see kernel-fault-path.md §9). */
  inferred?: boolean;
  /** Shared objects written (and perhaps read): ptl, isize, cluster, i_alloc_sem, ip_alloc_sem, pte:N, page:N. */
  touches: string[];
  /** Shared objects only read, those a blocking condition tests included: reads never conflict with reads. */
  reads?: string[];
  /** Labels run() may return besides '' (fall through); 'done' ends the actor. */
  exits?: string[];
  /** True while the step must wait (a held lock, writeback in flight). */
  blocked?: (v: Vec) => boolean;
  /** Apply the step to v (a private copy) and return '' or a label. */
  run: (v: Vec) => string;
  /** Events it marks (returns, who locks the page, file_update_time), for order expectations. */
  emits?: readonly StepEvent[];
}

export type ProgramItem = StepSpec | { label: string };

export interface Step extends StepSpec {
  pc: number;
  fallthrough: number; // where '' goes
  exitTo: number[]; // exitTo[j] is where exits[j] goes
  next: number[]; // resolved successors, for static analysis
  mask: number; // objects read or written
  writes: number; // objects written
}

/** Where a step goes after run() returned lab; undefined for an undeclared label. A scan of a
 *  few interned strings: a keyed lookup on per-step objects went megamorphic on the hot path. */
export function targetOf(step: Step, lab: string): number | undefined {
  if (lab === '') return step.fallthrough;
  const exits = step.exits!;
  for (let j = 0; j < exits.length; j++) if (exits[j] === lab) return step.exitTo[j];
  return undefined;
}

export interface Program {
  name: string;
  localNames: string[];
  steps: Step[];
  /** futureMask[pc] / futureWrites[pc] = objects this actor may read or write / write from pc on (POR). */
  futureMask: number[];
  futureWrites: number[];
}

export class ObjectBits {
  private bits = new Map<string, number>();
  mask(objs: string[]): number {
    let m = 0;
    for (const o of objs) {
      let b = this.bits.get(o);
      if (b === undefined) {
        b = this.bits.size;
        if (b >= 31) throw new Error('too many shared objects for the reduction mask');
        this.bits.set(o, b);
      }
      m |= 1 << b;
    }
    return m;
  }
}

export function assemble(name: string, localNames: string[], items: ProgramItem[], objs: ObjectBits): Program {
  const labels = new Map<string, number>();
  const specs: StepSpec[] = [];
  for (const it of items) {
    if ('label' in it) {
      if (labels.has(it.label)) throw new Error(`${name}: duplicate label ${it.label}`);
      labels.set(it.label, specs.length);
    } else specs.push(it);
  }
  const resolve = (lab: string, pc: number): number => {
    if (lab === 'done') return DONE;
    const t = labels.get(lab);
    if (t === undefined) throw new Error(`${name}: step ${pc} (${specs[pc].fn}) jumps to unknown label "${lab}"`);
    return t === specs.length ? DONE : t;
  };
  const steps: Step[] = specs.map((s, pc) => {
    const fallthrough = pc + 1 < specs.length ? pc + 1 : DONE;
    const exits = s.exits ?? [];
    const exitTo = exits.map((e) => resolve(e, pc));
    const next = [...new Set([fallthrough, ...exitTo])];
    // One object shape for every step keeps the explorer's property loads monomorphic.
    const reads = s.reads ?? [];
    return {
      fn: s.fn, loc: s.loc, desc: s.desc, inferred: s.inferred === true, touches: s.touches, reads, exits,
      blocked: s.blocked, run: s.run, emits: s.emits, pc, fallthrough, exitTo, next,
      mask: objs.mask([...s.touches, ...reads]), writes: objs.mask(s.touches),
    };
  });
  return { name, localNames, steps, futureMask: future(steps, (s) => s.mask), futureWrites: future(steps, (s) => s.writes) };
}

/** Per pc, the union of `own` over every step reachable from it: a fixpoint over the control-flow graph. */
function future(steps: Step[], own: (s: Step) => number): number[] {
  const f = steps.map(own);
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of steps) {
      let m = f[s.pc];
      for (const n of s.next) if (n !== DONE) m |= f[n];
      if (m !== f[s.pc]) { f[s.pc] = m; changed = true; }
    }
  }
  return f;
}

// ---------------------------------------------------------------- page-cache primitives

export interface Ctx {
  l: Layout;
  me: number; // actor index
}

export const owner = (c: Ctx) => c.me + 1;
export const local = (c: Ctx, k: number) => localAt(c.l, c.me, k);
/** The actor's flags word (AF): what happened to it, for its outcomes. Only the actor writes it,
 *  and only its outcomes read it, so no footprint names it. */
export const flags = (c: Ctx) => flagsAt(c.l, c.me);

/** Sleeping locks are not recursive: a lock I hold blocks me too (that is a self-deadlock). */
export const busy = (v: Vec, at: number) => v[at] !== 0;

export function putPage(c: Ctx, v: Vec, slot: number): void {
  const r = pageAt(c.l, slot, PF.REF);
  v[r]--;
  if (v[r] === 0 && v[pageAt(c.l, slot, PF.MAPPING)] === 0 && v[pageAt(c.l, slot, PF.LOCK)] === 0) freeSlot(c.l, v, slot);
}

function freeSlot(l: Layout, v: Vec, slot: number) {
  for (let f = 0; f < NPF; f++) v[pageAt(l, slot, f)] = 0;
}

/** Allocate a struct page for `index` (page_cache_alloc + add_to_page_cache), locked by me.
 *  It takes the first free slot, the one access outside a step's page:N footprint: a page freed
 *  at another index meanwhile changes which slot, so the two steps commute only up to a renaming
 *  of slots. No outcome looks at slot numbers, so the reduction keeps every outcome label. */
export function allocPage(c: Ctx, v: Vec, index: number): number {
  const l = c.l;
  for (let s = 0; s < l.slots; s++) {
    if (v[pageAt(l, s, PF.REF)] === 0 && v[pageAt(l, s, PF.MAPPING)] === 0 && v[pageAt(l, s, PF.LOCK)] === 0) {
      v[pageAt(l, s, PF.MAPPING)] = 1;
      v[pageAt(l, s, PF.INDEX)] = index;
      v[pageAt(l, s, PF.REF)] = 1; // the page cache's reference
      v[pageAt(l, s, PF.LOCK)] = owner(c);
      v[cacheAt(l, index)] = s + 1;
      return s;
    }
  }
  throw new Error('model: out of struct page slots');
}

/** Zap the PTE of `index` (zap_pte_range): a dirty PTE passes its dirty bit to the page. */
export function zapPte(c: Ctx, v: Vec, index: number): void {
  const l = c.l;
  const k = v[pteKindAt(l, index)];
  if (k === PTE.NONE) return;
  const slot = v[pteSlotAt(l, index)] - 1;
  if (k === PTE.RW_DIRTY) v[pageAt(l, slot, PF.DIRTY)] = 1;
  v[pteKindAt(l, index)] = PTE.NONE;
  v[pteSlotAt(l, index)] = 0;
  putPage(c, v, slot);
}

/** Remove a locked page from the page cache (truncate_complete_page / __remove_mapping). */
export function removeFromCache(c: Ctx, v: Vec, slot: number): void {
  const l = c.l;
  const index = v[pageAt(l, slot, PF.INDEX)];
  v[pageAt(l, slot, PF.MAPPING)] = 0;
  // The stores into it go with it: its slot may hold another page later.
  for (const w of l.writes) if (v[w] === WRITE.CACHED && v[w + 1] === slot + 1) v[w] = WRITE.DISCARDED;
  v[pageAt(l, slot, PF.DIRTY)] = 0; // cancel_dirty_page
  if (v[cacheAt(l, index)] === slot + 1) v[cacheAt(l, index)] = 0;
  putPage(c, v, slot);
}

export function unlockPage(c: Ctx, v: Vec, slot: number): void {
  const at = pageAt(c.l, slot, PF.LOCK);
  // unlock_page of an unlocked page is VM_BUG_ON(!PageLocked(page)) in mm/filemap.c
  if (v[at] === 0) v[flags(c)] |= AF.VM_BUG;
  v[at] = 0;
  if (v[pageAt(c.l, slot, PF.REF)] === 0 && v[pageAt(c.l, slot, PF.MAPPING)] === 0) freeSlot(c.l, v, slot);
}

export const cachedSlot = (c: Ctx, v: Vec, index: number) => v[cacheAt(c.l, index)] - 1;

/** Mark a page dirty from the fault path; note whether the filesystem had prepared it. */
export function faultSetPageDirty(c: Ctx, v: Vec, slot: number): void {
  v[pageAt(c.l, slot, PF.DIRTY)] = 1;
  // a page already truncated out of the cache is just an orphan: no filesystem state to miss
  if (v[pageAt(c.l, slot, PF.PREPARED)] === 0 && v[pageAt(c.l, slot, PF.MAPPING)] === 1) v[flags(c)] |= AF.UNPREPARED_DIRTY;
}

// ---------------------------------------------------------------- rwsems

export const rwsemBlocked = (v: Vec, at: number, write: boolean) => (write ? v[at] !== 0 : v[at] !== 0 && v[at] < RW_READERS);
export function rwsemDown(c: Ctx, v: Vec, at: number, write: boolean) {
  v[at] = write ? owner(c) : v[at] === 0 ? RW_READERS + 1 : v[at] + 1;
}
export function rwsemUp(v: Vec, at: number) {
  v[at] = v[at] > RW_READERS + 1 ? v[at] - 1 : 0;
}

// ---------------------------------------------------------------- generic lock steps

export function lockStep(c: Ctx, at: number, o: { fn: string; loc: string; desc: string; touches: string[]; inferred?: boolean }): StepSpec {
  return {
    ...o,
    blocked: (v) => busy(v, at),
    run: (v) => { v[at] = owner(c); return ''; },
  };
}

export function unlockStep(c: Ctx, at: number, o: { fn: string; loc: string; desc: string; touches: string[]; inferred?: boolean }): StepSpec {
  return { ...o, run: (v) => { if (v[at] === owner(c)) v[at] = 0; return ''; } };
}

export function rwsemStep(c: Ctx, sem: 'i_alloc_sem' | 'ip_alloc_sem', write: boolean, down: boolean, o: { fn: string; loc: string; desc?: string; inferred?: boolean }): StepSpec {
  const at = sem === 'i_alloc_sem' ? G.I_ALLOC_SEM : G.IP_ALLOC_SEM;
  const verb = down ? (write ? 'down_write' : 'down_read') : write ? 'up_write' : 'up_read';
  return {
    fn: o.fn, loc: o.loc, inferred: o.inferred,
    desc: o.desc ?? `${verb}(${sem})`,
    touches: [sem],
    blocked: down ? (v) => rwsemBlocked(v, at, write) : undefined,
    run: (v) => { if (down) rwsemDown(c, v, at, write); else rwsemUp(v, at); return ''; },
  };
}
