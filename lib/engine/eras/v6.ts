// Modern v6.x: wp_page_shared / do_shared_fault around do_page_mkwrite; finish_mkwrite_fault and
// finish_fault return VM_FAULT_NOPAGE when the PTE changed (2.6.37 returned 0).
// kernel-fault-path.md §5.2-5.3: behaviour VERIFIED from an indexed v6.13+-era mm/memory.c whose
// exact version and line numbers are unverified (§8 item 4), so locations name functions only.
// Not modelled: per-VMA locks, vmf_can_call_fault, mapping->invalidate_lock, VM_FAULT_COMPLETED.

import { ProgramItem } from '../steps';
import {
  LOCKED_BY_VM, SITE, TaskCtx, Where, callPageMkwrite, checkMkwriteResult, dfSetDirty, dfUnlock, dropPtl,
  filemapFault, getRefDropPtl, installPte, takePtl, unlockForMkwrite, vmCheckMapping, vmLockPage,
  vmRelease, vmSetPageDirty, wpRevalidateAndReuse,
} from './common';
import { VM_FAULT } from '../vmfault';
import type { Era } from './index';

const at = (fn: string): Where => ({ fn, loc: 'mm/memory.c (v6.x)' });

export const era6x: Era = {
  id: '6.x',
  title: 'modern v6.x (do_page_mkwrite, finish_mkwrite_fault -> VM_FAULT_NOPAGE on a changed PTE)',
  errnoAbi: false,
  truncateTakesIAllocSem: false,
  doWpPage: (t: TaskCtx): ProgramItem[] => [
    { label: 'wp' },
    getRefDropPtl(t, at('wp_page_shared'), 'folio_get(folio), pte_unmap_unlock'),
    callPageMkwrite(t, at('do_page_mkwrite'), SITE.WP),
    { label: 'wp:after' },
    checkMkwriteResult(t, at('do_page_mkwrite'), { errnoAbi: false, lockedConvention: true, lockedLabel: 'wp_locked' }),
    vmLockPage(t, at('do_page_mkwrite'), 'folio_lock(folio)', LOCKED_BY_VM),
    vmCheckMapping(t, at('do_page_mkwrite')),
    { label: 'wp_locked' },
    takePtl(t, at('finish_mkwrite_fault')),
    wpRevalidateAndReuse(t, at('finish_mkwrite_fault'), { changedRet: VM_FAULT.NOPAGE, pageLocked: true }),
    dropPtl(t, at('wp_page_reuse')),
    vmSetPageDirty(t, at('fault_dirty_shared_page'), 'folio_mark_dirty(folio) while it is locked'),
    vmRelease(t, at('fault_dirty_shared_page'), { unlock: true, put: true, desc: 'folio_unlock; folio_put (no file_update_time: with ->page_mkwrite the filesystem updates the times itself)' }),
  ],
  doFault: (t: TaskCtx): ProgramItem[] => [
    { label: 'df' },
    ...filemapFault(t, { fn: 'filemap_fault', loc: 'mm/filemap.c (v6.x)' }),
    unlockForMkwrite(t, at('do_shared_fault')),
    callPageMkwrite(t, at('do_page_mkwrite'), SITE.DF),
    { label: 'df:after' },
    checkMkwriteResult(t, at('do_page_mkwrite'), { errnoAbi: false, lockedConvention: true, lockedLabel: 'df_locked' }),
    vmLockPage(t, at('do_page_mkwrite'), 'folio_lock(folio)', LOCKED_BY_VM),
    vmCheckMapping(t, at('do_page_mkwrite')),
    { label: 'df_locked' },
    takePtl(t, at('finish_fault')),
    installPte(t, at('finish_fault'), VM_FAULT.NOPAGE),
    dropPtl(t, at('finish_fault')),
    dfSetDirty(t, at('fault_dirty_shared_page'), 'folio_mark_dirty(folio) while it is locked', false),
    dfUnlock(t, at('fault_dirty_shared_page'), 'folio_unlock; folio_put (no file_update_time: with ->page_mkwrite the filesystem updates the times itself)', true),
  ],
};
