// The model state is one flat array of small non-negative integers (plus a few negative
// return values in locals). A Layout names every slot, so the explorer copies and hashes
// a short array per transition while a UI gets a plain object back from viewState().

import { formatRet } from './vmfault';

/** Int16Array: every slot holds a value in -4095..4095 (pcs up to DONE, VM_FAULT bits, negative
 *  errnos in locals), and a state is half the bytes of Int32 to copy, compare and store. */
export type Vec = Int16Array<ArrayBufferLike>;
export const newVec = (n: number): Vec => new Int16Array(n);
/** The explorer's vectors have a multiple of this many slots (zero-padded), so that a successor's
 *  changed slots can be found eight at a time (successor-hash.wat; slots.ts). */
export const VEC_ALIGN = 8;

/** Global slots. What happened to whom is kept per actor (flagsAt, and a task's write locals). */
export const G = {
  ISIZE: 0, // i_size in pages (page-granular model: the file is isize*PAGE_SIZE bytes)
  PTL: 1, // page-table lock owner (actor+1, 0 = free)
  CLUSTER: 2, // ocfs2 EX inode cluster lock / gfs2 EX glock: local holder (actor+1)
  I_ALLOC_SEM: 3, // inode->i_alloc_sem (VFS, until 3.1): rwsem encoding below
  IP_ALLOC_SEM: 4, // OCFS2_I(inode)->ip_alloc_sem: rwsem encoding below
} as const;
export const NG = 5;

/** An actor's flags word (flagsAt): what happened to it or what it did, for its outcomes. */
export const AF = {
  SIGBUS: 1,
  OOM: 2,
  RETRIED: 4, // its store faulted again after a fault returned
  VM_BUG: 8, // a VM_BUG_ON fired in its path
  UNPREPARED_DIRTY: 16, // its fault path dirtied a page the filesystem had not prepared
} as const;

/**
 * A faulting task's store (its write local): 0 none yet, 1 into a page in the page cache,
 * 2 into a page no longer in it, 3 as 1 and written back, 4 as 1 and the page then removed
 * from the page cache before writeback (its slot may hold another page later).
 */
export const WRITE = { NONE: 0, CACHED: 1, LOST: 2, WRITTEN_BACK: 3, DISCARDED: 4 } as const;

/** rwsem encoding: 0 free, 1..63 writer actor+1, RW_READERS+n = n readers. */
export const RW_READERS = 64;

/** Per-page fields. */
export const PF = {
  MAPPING: 0, // 1 = page->mapping is the inode's mapping, 0 = NULL (truncated / invalidated / free)
  UPTODATE: 1,
  LOCK: 2, // PG_locked holder, actor+1
  DIRTY: 3,
  WRITEBACK: 4,
  REF: 5, // refcount: page cache 1 + one per PTE + one per VM/fs reference held
  INDEX: 6,
  PREPARED: 7, // filesystem has prepared the page for dirtying (blocks allocated / space reserved)
} as const;
export const NPF = 8;

/** PTE kinds. */
export const PTE = { NONE: 0, RO: 1, RW: 2, RW_DIRTY: 3 } as const;
export const PTE_NAMES = ['none', 'read-only', 'writable', 'writable+dirty'] as const;

export const DONE = 0xfff;

export interface Layout {
  indices: number; // file page indices modelled (0..indices-1)
  slots: number; // struct page slots
  pageBase: number;
  cacheBase: number; // cache[index] = slot+1 or 0
  pteBase: number; // pte[index] = kind, pte[index+indices] = slot+1
  actorBase: number[]; // actorBase[a] = a's program counter, then its flags word (AF), then its locals
  actorLength: number[]; // slots in actor a's block from actorBase[a]
  /** Slots that name an actor (actor+1, 0 = none; in an rwsem, values from RW_READERS count readers): symmetry renames them. */
  actorSlots: number[];
  actors: number;
  /** Each faulting task's write local (WRITE), its page slot+1 in the next: where writeback marks a store written back. */
  writes: number[];
  size: number;
}

/** localCounts[a]: how many locals actor a keeps (their meaning is per actor type, see actors/*).
 *  Sized per actor, not to the largest: every slot is copied, hashed and compared per transition. */
export function makeLayout(indices: number, localCounts: number[], writes: (actorBase: number[]) => number[] = () => []): Layout {
  const slots = indices * 2 + 1;
  const pageBase = NG;
  const cacheBase = pageBase + slots * NPF;
  const pteBase = cacheBase + indices;
  const actorBase: number[] = [];
  let size = pteBase + indices * 2;
  for (const n of localCounts) { actorBase.push(size); size += 2 + n; }
  const actorSlots = [G.PTL, G.CLUSTER, G.I_ALLOC_SEM, G.IP_ALLOC_SEM, ...Array.from({ length: slots }, (_, s) => pageBase + s * NPF + PF.LOCK)];
  return {
    indices, slots, pageBase, cacheBase, pteBase, actorBase, actorLength: localCounts.map((n) => 2 + n), actorSlots,
    actors: localCounts.length, writes: writes(actorBase), size,
  };
}

export const pageAt = (l: Layout, slot: number, f: number) => l.pageBase + slot * NPF + f;
export const pcAt = (l: Layout, actor: number) => l.actorBase[actor];
export const flagsAt = (l: Layout, actor: number) => l.actorBase[actor] + 1;
export const localAt = (l: Layout, actor: number, k: number) => l.actorBase[actor] + 2 + k;
export const pteKindAt = (l: Layout, index: number) => l.pteBase + index;
export const pteSlotAt = (l: Layout, index: number) => l.pteBase + l.indices + index;
export const cacheAt = (l: Layout, index: number) => l.cacheBase + index;

export interface PageView {
  slot: number;
  index: number;
  mapping: 'inode' | null;
  inPageCache: boolean;
  uptodate: boolean;
  lockedBy: string | null;
  dirty: boolean;
  writeback: boolean;
  refcount: number;
  prepared: boolean;
}

export interface StateView {
  iSizePages: number;
  locks: { ptl: string | null; clusterLock: string | null; iAllocSem: string | null; ipAllocSem: string | null };
  pages: PageView[];
  pageCache: Array<number | null>; // index -> page slot
  ptes: Array<{ index: number; state: (typeof PTE_NAMES)[number]; page: number | null }>;
  actors: Array<{
    name: string; pc: number; done: boolean; at: string | null; locals: Record<string, number | string>;
    /** What has happened to it so far (AF), in words: "SIGBUS", "fault retried"... */
    events: string[];
    /** A faulting task's store. */
    write?: (typeof WRITE_NAMES)[number];
  }>;
}

export const WRITE_NAMES = ['none', 'in the page cache', 'lost', 'written back', 'discarded'] as const;
const EVENT_NAMES: Array<[number, string]> = [[AF.SIGBUS, 'SIGBUS'], [AF.OOM, 'OOM'], [AF.RETRIED, 'fault retried'], [AF.VM_BUG, 'VM_BUG_ON'], [AF.UNPREPARED_DIRTY, 'dirtied unprepared']];

export interface ActorInfo {
  name: string;
  localNames: string[];
  stepName(pc: number): string | null;
}

function ownerName(v: number, actors: ActorInfo[]): string | null {
  if (v === 0) return null;
  if (v >= RW_READERS) return `${v - RW_READERS} reader(s)`;
  return actors[v - 1]?.name ?? `actor${v - 1}`;
}

/** Plain, JSON-serialisable view of a state for UIs and traces. */
export function viewState(l: Layout, v: Vec, actors: ActorInfo[]): StateView {
  const pages: PageView[] = [];
  for (let s = 0; s < l.slots; s++) {
    const ref = v[pageAt(l, s, PF.REF)];
    const mapping = v[pageAt(l, s, PF.MAPPING)];
    if (ref === 0 && mapping === 0 && v[pageAt(l, s, PF.LOCK)] === 0) continue; // free slot
    const index = v[pageAt(l, s, PF.INDEX)];
    pages.push({
      slot: s,
      index,
      mapping: mapping ? 'inode' : null,
      inPageCache: v[cacheAt(l, index)] === s + 1,
      uptodate: v[pageAt(l, s, PF.UPTODATE)] === 1,
      lockedBy: ownerName(v[pageAt(l, s, PF.LOCK)], actors),
      dirty: v[pageAt(l, s, PF.DIRTY)] === 1,
      writeback: v[pageAt(l, s, PF.WRITEBACK)] === 1,
      refcount: ref,
      prepared: v[pageAt(l, s, PF.PREPARED)] === 1,
    });
  }
  const pageCache: Array<number | null> = [];
  const ptes: StateView['ptes'] = [];
  for (let i = 0; i < l.indices; i++) {
    const c = v[cacheAt(l, i)];
    pageCache.push(c ? c - 1 : null);
    const ps = v[pteSlotAt(l, i)];
    ptes.push({ index: i, state: PTE_NAMES[v[pteKindAt(l, i)]], page: ps ? ps - 1 : null });
  }
  return {
    iSizePages: v[G.ISIZE],
    locks: {
      ptl: ownerName(v[G.PTL], actors),
      clusterLock: ownerName(v[G.CLUSTER], actors),
      iAllocSem: ownerName(v[G.I_ALLOC_SEM], actors),
      ipAllocSem: ownerName(v[G.IP_ALLOC_SEM], actors),
    },
    pages,
    pageCache,
    ptes,
    actors: actors.map((a, i) => {
      const pc = v[pcAt(l, i)];
      const locals: Record<string, number | string> = {};
      let write: StateView['actors'][number]['write'];
      a.localNames.forEach((n, k) => {
        if (!n || n === 'writePage') return;
        const x = v[localAt(l, i, k)];
        if (n === 'write') write = WRITE_NAMES[x];
        else locals[n] = n === 'ret' || n === 'faultResult' ? formatRet(x) : x;
      });
      const flags = v[flagsAt(l, i)];
      const events = EVENT_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
      return { name: a.name, pc, done: pc === DONE, at: pc === DONE ? null : a.stepName(pc), locals, events, ...(write ? { write } : {}) };
    }),
  };
}
