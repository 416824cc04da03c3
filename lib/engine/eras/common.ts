// VM-side steps shared by the eras' do_wp_page / __do_fault variants. Every builder takes
// the kernel function and location from the era, so each era file reads as the code it models.

import { AF, G, PF, PTE, Vec, pageAt, pteKindAt, pteSlotAt } from '../state';
import {
  Ctx, ProgramItem, StepSpec, allocPage, busy, cachedSlot, faultSetPageDirty, flags, local, owner,
  putPage, unlockPage,
} from '../steps';
import { VM_FAULT, VM_FAULT_ERROR, bits, formatRet } from '../vmfault';
import type { StepEvent } from '../events';

/** Faulting-task locals. */
/** fsPage: a page the handler looked up itself (find_or_create_page) instead of vmf->page. */
export const L = { PAGE: 0, RET: 1, ORIG: 2, SITE: 3, FRET: 4, FAULTED: 5, AUX: 6, FS_PAGE: 7, WRITE: 8, WRITE_PAGE: 9 } as const;
export const TASK_LOCALS = ['page', 'ret', 'origPte', 'site', 'faultResult', 'faulted', 'aux', 'fsPage', 'write', 'writePage'];
export const SITE = { WP: 0, DF: 1 } as const;

export interface TaskCtx extends Ctx {
  index: number; // page index the task stores to
  page: string; // footprint names
  pte: string;
}

export interface Where { fn: string; loc: string; inferred?: boolean }

const slotOf = (t: TaskCtx, v: Vec) => v[local(t, L.PAGE)] - 1;
export const pageField = (t: TaskCtx, v: Vec, f: number) => pageAt(t.l, slotOf(t, v), f);
const lockOf = (t: TaskCtx, v: Vec) => pageField(t, v, PF.LOCK);
const origOf = (t: TaskCtx, v: Vec) => v[pteKindAt(t.l, t.index)] * 64 + v[pteSlotAt(t.l, t.index)];

function ret(t: TaskCtx, v: Vec, fret: number, dropRef: boolean): string {
  if (dropRef) putPage(t, v, slotOf(t, v));
  v[local(t, L.FRET)] = fret;
  return 'fault_return';
}

export function getRefDropPtl(t: TaskCtx, w: Where, desc: string): StepSpec {
  return {
    ...w, desc, touches: ['ptl', t.page],
    run: (v) => { v[pageField(t, v, PF.REF)]++; v[G.PTL] = 0; return ''; },
  };
}

export function callPageMkwrite(t: TaskCtx, w: Where, site: number): StepSpec {
  return {
    ...w, desc: 'call ->page_mkwrite(vma, vmf): page referenced, not locked, PTL not held',
    touches: [], exits: ['mkwrite'],
    run: (v) => { v[local(t, L.SITE)] = site; v[local(t, L.AUX)] = 0; return 'mkwrite'; },
  };
}

/**
 * Inspect the page_mkwrite result. errnoAbi: 2.6.29, "< 0 is an error -> SIGBUS".
 * Otherwise ERROR|NOPAGE are returned as the fault result. lockedConvention (b827e496+):
 * LOCKED means the page must be locked (VM_BUG_ON otherwise) and skips the VM's lock_page.
 */
export function checkMkwriteResult(t: TaskCtx, w: Where, o: { errnoAbi: boolean; lockedConvention: boolean; lockedLabel: string }): StepSpec {
  return {
    ...w,
    desc: o.errnoAbi
      ? 'page_mkwrite() < 0 -> unwritable_page: VM_FAULT_SIGBUS'
      : o.lockedConvention
        ? 'tmp & (VM_FAULT_ERROR|VM_FAULT_NOPAGE) -> return tmp; tmp & VM_FAULT_LOCKED -> VM_BUG_ON(!PageLocked)'
        : 'tmp & (VM_FAULT_ERROR|VM_FAULT_NOPAGE) -> return tmp',
    touches: [t.page],
    exits: ['fault_return', o.lockedLabel, 'done'],
    emits: [{ event: 'MkwriteReturned', value: (v) => v[local(t, L.RET)] }],
    run: (v) => {
      const tmp = v[local(t, L.RET)];
      if (o.errnoAbi) {
        if (tmp < 0) return ret(t, v, VM_FAULT.SIGBUS, true);
        return '';
      }
      if (bits(tmp) & (VM_FAULT_ERROR | VM_FAULT.NOPAGE)) return ret(t, v, tmp, true);
      if (o.lockedConvention && bits(tmp) & VM_FAULT.LOCKED) {
        if (v[lockOf(t, v)] !== owner(t)) { v[flags(t)] |= AF.VM_BUG; return 'done'; } // BUG() kills the task (CONFIG_DEBUG_VM)
        return o.lockedLabel;
      }
      return '';
    },
  };
}

/** The VM's own lock_page of a page ->page_mkwrite returned unlocked. */
export const LOCKED_BY_VM: readonly StepEvent[] = [{ event: 'LockedByVm' }];

export function vmLockPage(t: TaskCtx, w: Where, desc = 'lock_page(page): sleeps while another holder has PG_locked', emits?: readonly StepEvent[]): StepSpec {
  return {
    ...w, desc, touches: [t.page], emits,
    blocked: (v) => busy(v, lockOf(t, v)),
    run: (v) => { v[lockOf(t, v)] = owner(t); return ''; },
  };
}

export function vmCheckMapping(t: TaskCtx, w: Where): StepSpec {
  return {
    ...w, desc: 'page->mapping == NULL (truncated meanwhile) -> unlock_page, put, return 0: the store re-faults',
    touches: [t.page], exits: ['fault_return'],
    run: (v) => {
      if (v[pageField(t, v, PF.MAPPING)] !== 0) return '';
      unlockPage(t, v, slotOf(t, v));
      return ret(t, v, 0, true);
    },
  };
}

export function takePtl(t: TaskCtx, w: Where, desc = 'pte_offset_map_lock: take the page-table lock'): StepSpec {
  return {
    ...w, desc, touches: ['ptl'],
    blocked: (v) => busy(v, G.PTL),
    run: (v) => { v[G.PTL] = owner(t); return ''; },
  };
}

export function dropPtl(_t: TaskCtx, w: Where, desc = 'pte_unmap_unlock: drop the page-table lock'): StepSpec {
  return { ...w, desc, touches: ['ptl'], run: (v) => { v[G.PTL] = 0; return ''; } };
}

/**
 * do_wp_page / finish_mkwrite_fault: compare *pte with orig_pte under the PTL. If it changed,
 * give up with `changedRet` (2.6.37: 0; 6.x: VM_FAULT_NOPAGE); otherwise make the PTE
 * young+dirty+writable (wp_page_reuse) and record VM_FAULT_WRITE.
 */
export function wpRevalidateAndReuse(t: TaskCtx, w: Where, o: { changedRet: number; pageLocked: boolean }): StepSpec {
  return {
    ...w,
    desc: `!pte_same(*pte, orig_pte) -> ${o.pageLocked ? 'unlock_page, ' : ''}put, return ${formatRet(o.changedRet)}; else make the PTE writable+dirty`,
    touches: ['ptl', t.pte, t.page],
    exits: ['fault_return'],
    run: (v) => {
      if (origOf(t, v) !== v[local(t, L.ORIG)]) {
        v[G.PTL] = 0;
        if (o.pageLocked) unlockPage(t, v, slotOf(t, v));
        return ret(t, v, o.changedRet, true);
      }
      // pre-b827e496 released old_page here and took dirty_page instead: the reference carries over
      v[pteKindAt(t.l, t.index)] = PTE.RW_DIRTY;
      v[local(t, L.FRET)] = VM_FAULT.WRITE;
      return '';
    },
  };
}

/** file_update_time(vma->vm_file) once the page is dirtied, where the VM still calls it (until 2012): `when` the fault did dirty a page. */
const FILE_TIME = ', then file_update_time(vma->vm_file)';
const fileTime = (on: boolean | undefined, when?: (v: Vec) => boolean): readonly StepEvent[] | undefined =>
  on ? [{ event: 'FileTimeUpdated', when }] : undefined;
const dirtied = (t: TaskCtx) => (v: Vec) => v[local(t, L.AUX)] !== 1;

/** set_page_dirty from the fault path; `thenPut` (pre-b827e496) also drops dirty_page's reference and returns. */
export function vmSetPageDirty(t: TaskCtx, w: Where, desc: string, thenPut = false, updatesTime = false): StepSpec {
  return {
    ...w, desc: updatesTime ? desc + FILE_TIME : desc, touches: [t.page], exits: ['fault_return'], emits: fileTime(updatesTime),
    run: (v) => {
      faultSetPageDirty(t, v, slotOf(t, v));
      return thenPut ? ret(t, v, v[local(t, L.FRET)], true) : '';
    },
  };
}

export function waitOnPageLocked(t: TaskCtx, w: Where): StepSpec {
  return {
    ...w, desc: 'wait_on_page_locked(dirty_page): wait for a racing clear_page_dirty_for_io to finish',
    touches: [], reads: [t.page], blocked: (v) => v[lockOf(t, v)] !== 0, run: () => '',
  };
}

/** unlock_page and/or drop the VM's page reference, then return the fault result. */
export function vmRelease(t: TaskCtx, w: Where, o: { unlock: boolean; put: boolean; desc: string; updatesTime?: boolean }): StepSpec {
  return {
    ...w, desc: o.updatesTime ? o.desc + FILE_TIME : o.desc, touches: [t.page], exits: ['fault_return'], emits: fileTime(o.updatesTime),
    run: (v) => {
      const s = slotOf(t, v);
      if (o.unlock) unlockPage(t, v, s);
      if (o.put) putPage(t, v, s);
      return 'fault_return';
    },
  };
}

/**
 * filemap_fault (mm/filemap.c @ v2.6.37:1531-): SIGBUS beyond EOF (before the lookup and again
 * under the page lock); re-lookup if page->mapping changed; read a fresh page when none is cached;
 * return VM_FAULT_LOCKED. The lock_page_or_retry VM_FAULT_RETRY path is folded into a sleeping lock.
 */
export function filemapFault(t: TaskCtx, w: Where): ProgramItem[] {
  return [
    { label: 'ff_lookup' },
    {
      ...w, desc: 'pgoff >= DIV_ROUND_UP(i_size) -> VM_FAULT_SIGBUS; find_get_page, or read a new page into the cache (returned locked)',
      touches: [t.page], reads: ['isize'], exits: ['fault_return', 'ff_locked'],
      run: (v) => {
        if (t.index >= v[G.ISIZE]) { v[local(t, L.FRET)] = VM_FAULT.SIGBUS; return 'fault_return'; }
        const s = cachedSlot(t, v, t.index);
        if (s < 0) {
          const n = allocPage(t, v, t.index);
          v[pageAt(t.l, n, PF.UPTODATE)] = 1; // ->readpage completed (I/O not modelled)
          v[pageAt(t.l, n, PF.REF)]++; // the reference ->fault hands to the VM
          v[local(t, L.PAGE)] = n + 1;
          return 'ff_locked';
        }
        v[pageAt(t.l, s, PF.REF)]++;
        v[local(t, L.PAGE)] = s + 1;
        return '';
      },
    },
    vmLockPage(t, w, 'lock_page_or_retry(page): sleeps while PG_locked is held'),
    { label: 'ff_locked' },
    {
      ...w, desc: 'under the page lock: page->mapping changed -> unlock, put, look up again; beyond EOF -> VM_FAULT_SIGBUS; else VM_FAULT_LOCKED',
      touches: [t.page], reads: ['isize'], exits: ['ff_lookup', 'fault_return'],
      run: (v) => {
        const s = slotOf(t, v);
        if (v[pageAt(t.l, s, PF.MAPPING)] === 0) { unlockPage(t, v, s); putPage(t, v, s); v[local(t, L.PAGE)] = 0; return 'ff_lookup'; }
        if (t.index >= v[G.ISIZE]) { unlockPage(t, v, s); putPage(t, v, s); v[local(t, L.PAGE)] = 0; v[local(t, L.FRET)] = VM_FAULT.SIGBUS; return 'fault_return'; }
        v[local(t, L.FRET)] = VM_FAULT.LOCKED;
        return '';
      },
    },
  ];
}

export function unlockForMkwrite(t: TaskCtx, w: Where): StepSpec {
  return {
    ...w, desc: 'unlock_page(page) before calling ->page_mkwrite', touches: [t.page],
    run: (v) => { unlockPage(t, v, slotOf(t, v)); return ''; },
  };
}

/**
 * __do_fault / finish_fault: under the PTL, install a writable+dirty PTE if the entry is still
 * none (the ->fault reference becomes the PTE's); otherwise note that we raced (aux = 1).
 * racedRet: what the fault returns when it raced (2.6.37: ->fault's ret; 6.x: VM_FAULT_NOPAGE).
 */
export function installPte(t: TaskCtx, w: Where, racedRet?: number): StepSpec {
  return {
    ...w, desc: 'pte_same(*pte, orig_pte) (still none) -> set_pte_at(writable+dirty); else drop the page',
    touches: ['ptl', t.pte, t.page],
    run: (v) => {
      if (v[pteKindAt(t.l, t.index)] !== PTE.NONE) {
        v[local(t, L.AUX)] = 1;
        if (racedRet !== undefined) v[local(t, L.FRET)] = racedRet;
        return '';
      }
      v[pteKindAt(t.l, t.index)] = PTE.RW_DIRTY;
      v[pteSlotAt(t.l, t.index)] = v[local(t, L.PAGE)];
      v[pageField(t, v, PF.REF)]++; // dirty_page = page; get_page(dirty_page): the ->fault reference went to the PTE
      return '';
    },
  };
}

/** After installPte: set_page_dirty on the installed page (skipped if the fault raced); as the
 *  last step (thenReturn) it also drops dirty_page's reference. */
export function dfSetDirty(t: TaskCtx, w: Where, desc: string, thenReturn: boolean, updatesTime = false): StepSpec {
  return {
    ...w, desc: updatesTime ? desc + FILE_TIME : desc, touches: [t.page], exits: ['fault_return'], emits: fileTime(updatesTime, dirtied(t)),
    run: (v) => {
      if (v[local(t, L.AUX)] !== 1) faultSetPageDirty(t, v, slotOf(t, v));
      if (!thenReturn) return '';
      putPage(t, v, slotOf(t, v));
      return 'fault_return';
    },
  };
}

/** After installPte: unlock_page; a fault that raced drops its page and returns; as the last
 *  step (thenReturn) it also drops dirty_page's reference. */
export function dfUnlock(t: TaskCtx, w: Where, desc: string, thenReturn: boolean, updatesTime = false): StepSpec {
  return {
    ...w, desc: updatesTime ? desc + FILE_TIME : desc, touches: [t.page], exits: ['fault_return'], emits: fileTime(updatesTime, dirtied(t)),
    run: (v) => {
      const s = slotOf(t, v);
      unlockPage(t, v, s);
      if (v[local(t, L.AUX)] === 1 || thenReturn) { putPage(t, v, s); return 'fault_return'; }
      return '';
    },
  };
}

export { VM_FAULT };
