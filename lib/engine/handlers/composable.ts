// ->page_mkwrite handlers as data. Every bundled handler (block_page_mkwrite, ocfs2, ext4, gfs2,
// btrfs) is a HandlerSpec written in this small op language, and a reader can write their own
// the same way; compileHandler turns a spec into steps of the faulting task.

import { G, PF, RW_READERS, Vec, pageAt } from '../state';
import { ProgramItem, StepSpec, allocPage, busy, cachedSlot, faultSetPageDirty, local, owner, putPage, rwsemBlocked, rwsemDown, rwsemUp, unlockPage } from '../steps';
import { L, TaskCtx } from '../eras/common';
import type { Era } from '../eras/index';
import { ERRNO, ErrnoName, VM_FAULT, parseRet } from '../vmfault';

export type AllocResult = 'ok' | 'ENOMEM' | 'ENOSPC';
export type SizeCheck = 'gt' | 'ge';

interface OpBase { fn?: string; loc?: string; desc?: string }
export type HandlerOp = OpBase & (
  | { op: 'clusterLock' }
  | { op: 'clusterUnlock' }
  | { op: 'allocSem'; sem: 'i_alloc_sem' | 'ip_alloc_sem'; mode: 'read' | 'write' }
  | { op: 'allocSemUp'; sem: 'i_alloc_sem' | 'ip_alloc_sem' }
  | { op: 'lockPage' }
  | { op: 'unlockPage' }
  /** Fail with `fail` if any enabled test trips: page->mapping != inode mapping, page offset
   *  > (gt) or >= (ge) i_size, !PageUptodate. `release` drops the space reservation first. */
  | { op: 'check'; mapping?: boolean; size?: SizeCheck; uptodate?: boolean; fail: string; release?: boolean }
  /** ext4's PageMappedToDisk fast path: already prepared -> unlock the page and return `ret`. */
  | { op: 'skipIfPrepared'; ret: string }
  /** Allocate blocks / reserve space for the page (prepared = 1), or fail with an errno. */
  | { op: 'allocate'; result?: AllocResult }
  | { op: 'setPageDirty' }
  /** find_or_create_page(mapping, index): work on whatever page the cache holds at the index
   *  from here on (locked and referenced), not on the page the VM passed. */
  | { op: 'findOrCreatePage' }
  | { op: 'return'; ret: string }
);

export interface HandlerSpec {
  id: string;
  title: string;
  fn: string; // the ->page_mkwrite function name
  /** How an errno becomes the return value in a VM_FAULT_* era: any -> SIGBUS (the c2ec175c
   *  conversion), vmf_error (-ENOMEM -> OOM, else SIGBUS), or raw (a negative int the VM reads as bits). */
  errno: 'sigbus' | 'vmf_error' | 'raw';
  ops: HandlerOp[];
  notes?: string[];
}

/** Encode a return spec for the running era: an errno is raw under the 2.6.29 ABI, else mapped. */
function encodeRet(spec: HandlerSpec, era: Era, text: string): number {
  const r = parseRet(text);
  if ('bits' in r) return r.bits;
  return errnoRet(spec, era, r.errno);
}

function errnoRet(spec: HandlerSpec, era: Era, e: ErrnoName): number {
  if (era.errnoAbi || spec.errno === 'raw') return -ERRNO[e];
  if (spec.errno === 'vmf_error' && e === 'ENOMEM') return VM_FAULT.OOM;
  return VM_FAULT.SIGBUS;
}

export function compileHandler(spec: HandlerSpec, t: TaskCtx, era: Era, allocOverride?: AllocResult): ProgramItem[] {
  const me = owner(t);
  // The page the handler works on: its own lookup if it made one, else vmf->page.
  const slot = (v: Vec) => (v[local(t, L.FS_PAGE)] || v[local(t, L.PAGE)]) - 1;
  const field = (v: Vec, f: number) => pageAt(t.l, slot(v), f);
  const lockAt = (v: Vec) => field(v, PF.LOCK);
  const semAt = (sem: 'i_alloc_sem' | 'ip_alloc_sem') => (sem === 'i_alloc_sem' ? G.I_ALLOC_SEM : G.IP_ALLOC_SEM);

  /** Leave the handler: error paths unlock the page unless returning LOCKED; fs locks are always dropped. */
  const leave = (v: Vec, ret: number, unlockIfHeld: boolean): string => {
    const own = v[local(t, L.FS_PAGE)] - 1;
    if (own >= 0) {
      // a page the handler looked up itself is never what the VM continues with: unlock and drop it
      if (v[pageAt(t.l, own, PF.LOCK)] === me && (own !== v[local(t, L.PAGE)] - 1 || !(ret >= 0 && ret & VM_FAULT.LOCKED))) unlockPage(t, v, own);
      putPage(t, v, own);
      v[local(t, L.FS_PAGE)] = 0;
    }
    if (unlockIfHeld && !(ret >= 0 && ret & VM_FAULT.LOCKED) && v[lockAt(v)] === me) unlockPage(t, v, slot(v));
    if (v[G.CLUSTER] === me) v[G.CLUSTER] = 0;
    for (const at of [G.I_ALLOC_SEM, G.IP_ALLOC_SEM]) {
      if (v[at] === me) v[at] = 0;
      else if (v[at] > RW_READERS && v[local(t, L.AUX)] & (at === G.I_ALLOC_SEM ? 1 : 2)) rwsemUp(v, at);
    }
    v[local(t, L.AUX)] = 0; // aux held the reader bits; the VM reuses it after the call
    v[local(t, L.RET)] = ret;
    return v[local(t, L.SITE)] === 0 ? 'wp:after' : 'df:after';
  };
  const exits = ['wp:after', 'df:after'];
  // Steps that can leave the handler may also drop its locks, so their footprint includes them.
  const leaveTouches = [t.page, ...new Set(spec.ops.flatMap((o) =>
    o.op === 'clusterLock' ? ['cluster'] : o.op === 'allocSem' ? [o.sem] : []))];
  let allocSeen = false;

  const items: ProgramItem[] = [{ label: 'mkwrite' }];
  for (const op of spec.ops) {
    const w = { fn: op.fn ?? spec.fn, loc: op.loc ?? `(${spec.id})` };
    let s: StepSpec;
    switch (op.op) {
      case 'clusterLock':
        s = { ...w, desc: op.desc ?? 'take the EX cluster lock (blocks truncate and downconvert on this inode)', touches: ['cluster'],
          blocked: (v) => busy(v, G.CLUSTER), run: (v) => { v[G.CLUSTER] = me; return ''; } };
        break;
      case 'clusterUnlock':
        s = { ...w, desc: op.desc ?? 'drop the cluster lock', touches: ['cluster'], run: (v) => { if (v[G.CLUSTER] === me) v[G.CLUSTER] = 0; return ''; } };
        break;
      case 'allocSem': {
        const at = semAt(op.sem), write = op.mode === 'write', bit = op.sem === 'i_alloc_sem' ? 1 : 2;
        s = { ...w, desc: op.desc ?? `${write ? 'down_write' : 'down_read'}(${op.sem})`, touches: [op.sem],
          blocked: (v) => rwsemBlocked(v, at, write),
          run: (v) => { rwsemDown(t, v, at, write); if (!write) v[local(t, L.AUX)] |= bit; return ''; } };
        break;
      }
      case 'allocSemUp': {
        const at = semAt(op.sem), bit = op.sem === 'i_alloc_sem' ? 1 : 2;
        s = { ...w, desc: op.desc ?? `up(${op.sem})`, touches: [op.sem],
          run: (v) => { if (v[at] === me) v[at] = 0; else { rwsemUp(v, at); v[local(t, L.AUX)] &= ~bit; } return ''; } };
        break;
      }
      case 'lockPage':
        s = { ...w, desc: op.desc ?? 'lock_page(page)', touches: [t.page], blocked: (v) => busy(v, lockAt(v)), run: (v) => { v[lockAt(v)] = me; return ''; } };
        break;
      case 'unlockPage':
        s = { ...w, desc: op.desc ?? 'unlock_page(page)', touches: [t.page], run: (v) => { unlockPage(t, v, slot(v)); return ''; } };
        break;
      case 'check': {
        const ret = encodeRet(spec, era, op.fail);
        const tests = [op.mapping && 'page->mapping != inode->i_mapping', op.size && `page offset ${op.size === 'gt' ? '>' : '>='} i_size`, op.uptodate && '!PageUptodate(page)'].filter(Boolean);
        s = { ...w, desc: op.desc ?? `${tests.join(' || ')} -> return ${op.fail}`, touches: leaveTouches, reads: op.size ? ['isize'] : [], exits,
          run: (v) => {
            const bad = (op.mapping && v[field(v, PF.MAPPING)] === 0)
              || (op.size === 'gt' && t.index > v[G.ISIZE])
              || (op.size === 'ge' && t.index >= v[G.ISIZE])
              || (op.uptodate && v[field(v, PF.UPTODATE)] === 0);
            if (!bad) return '';
            if (op.release) v[field(v, PF.PREPARED)] = 0;
            return leave(v, ret, true);
          } };
        break;
      }
      case 'skipIfPrepared': {
        const ret = encodeRet(spec, era, op.ret);
        s = { ...w, desc: op.desc ?? `page already prepared (mapped to disk) -> unlock_page, return ${op.ret}`, touches: leaveTouches, exits,
          run: (v) => (v[field(v, PF.PREPARED)] === 1 ? leave(v, ret, true) : '') };
        break;
      }
      case 'allocate': {
        const result: AllocResult = (!allocSeen && allocOverride) || op.result || 'ok';
        allocSeen = true;
        const ret = result === 'ok' ? 0 : errnoRet(spec, era, result);
        s = { ...w, desc: op.desc ?? (result === 'ok' ? 'allocate blocks / reserve space for the page' : `allocation fails with -${result}`), touches: leaveTouches, exits,
          run: (v) => {
            if (result !== 'ok') return leave(v, ret, true);
            v[field(v, PF.PREPARED)] = 1;
            return '';
          } };
        break;
      }
      case 'setPageDirty':
        s = { ...w, desc: op.desc ?? 'set_page_dirty(page) from the filesystem', touches: [t.page], run: (v) => { faultSetPageDirty(t, v, slot(v)); return ''; } };
        break;
      case 'findOrCreatePage':
        s = { ...w, desc: op.desc ?? `find_or_create_page(mapping, ${t.index}): the page now in the cache (a new one if it was truncated), locked`, touches: [t.page],
          blocked: (v) => { const c = cachedSlot(t, v, t.index); return c >= 0 && busy(v, pageAt(t.l, c, PF.LOCK)); },
          run: (v) => {
            let c = cachedSlot(t, v, t.index);
            if (c < 0) { c = allocPage(t, v, t.index); v[pageAt(t.l, c, PF.UPTODATE)] = 1; } // read in: I/O not modelled
            else v[pageAt(t.l, c, PF.LOCK)] = me;
            v[pageAt(t.l, c, PF.REF)]++;
            v[local(t, L.FS_PAGE)] = c + 1;
            return '';
          } };
        break;
      case 'return': {
        const ret = encodeRet(spec, era, op.ret);
        s = { ...w, desc: op.desc ?? `return ${op.ret}`, touches: leaveTouches, exits, run: (v) => leave(v, ret, false) };
        break;
      }
    }
    items.push(s);
  }
  const last = spec.ops[spec.ops.length - 1];
  if (!last || (last.op !== 'return')) throw new Error(`handler ${spec.id}: the last op must be "return"`);
  return items;
}
