// Before b827e496: v2.6.29 (->page_mkwrite returns an errno) and the v2.6.30-rc1..rc4 window
// (c2ec175c + 56a76f82: VM_FAULT_* bits, but do_wp_page neither locks the page nor checks
// page->mapping, and both paths dirty the page after it is unlocked).
// INFERRED: kernel-fault-path.md gives no v2.6.29 line numbers; this shape is reconstructed from
// the commit descriptions in §1 (c2ec175c only changed how the result is tested, b827e496 added
// the page lock across dirtying) and from §3.2's note on the pre-2009 __do_fault re-lock.

import { ProgramItem } from '../steps';
import {
  LOCKED_BY_VM, SITE, TaskCtx, Where, callPageMkwrite, checkMkwriteResult, dfSetDirty, dfUnlock, dropPtl,
  filemapFault, getRefDropPtl, installPte, takePtl, unlockForMkwrite, vmCheckMapping, vmLockPage,
  vmSetPageDirty, waitOnPageLocked, wpRevalidateAndReuse,
} from './common';
import type { Era } from './index';

function preB827(errnoAbi: boolean, version: string): Pick<Era, 'doWpPage' | 'doFault'> {
  const wp: Where = { fn: 'do_wp_page', loc: `mm/memory.c (v${version}, line unverified)`, inferred: true };
  const df: Where = { fn: '__do_fault', loc: `mm/memory.c (v${version}, line unverified)`, inferred: true };
  const check = { errnoAbi, lockedConvention: false, lockedLabel: 'wp_checked' };
  return {
    doWpPage: (t: TaskCtx): ProgramItem[] => [
      { label: 'wp' },
      getRefDropPtl(t, wp, 'page_cache_get(old_page), pte_unmap_unlock'),
      callPageMkwrite(t, wp, SITE.WP),
      { label: 'wp:after' },
      checkMkwriteResult(t, wp, check),
      { label: 'wp_checked' },
      takePtl(t, wp),
      wpRevalidateAndReuse(t, wp, { changedRet: 0, pageLocked: false }),
      dropPtl(t, wp),
      waitOnPageLocked(t, wp),
      vmSetPageDirty(t, wp, 'set_page_dirty_balance(dirty_page); put_page: the page is not locked', true, true),
    ],
    doFault: (t: TaskCtx): ProgramItem[] => [
      { label: 'df' },
      ...filemapFault(t, { fn: 'filemap_fault', loc: `mm/filemap.c (v${version}, line unverified)`, inferred: true }),
      unlockForMkwrite(t, df),
      callPageMkwrite(t, df, SITE.DF),
      { label: 'df:after' },
      checkMkwriteResult(t, df, { ...check, lockedLabel: 'df_checked' }),
      { label: 'df_checked' },
      vmLockPage(t, df, undefined, LOCKED_BY_VM),
      vmCheckMapping(t, df),
      takePtl(t, df),
      installPte(t, df),
      dropPtl(t, df),
      dfUnlock(t, df, 'out: unlock_page(vmf.page)', false),
      dfSetDirty(t, df, 'out_unlocked: set_page_dirty_balance(dirty_page): the page is no longer locked', true, true),
    ],
  };
}

export const era2629: Era = {
  id: '2.6.29',
  title: 'v2.6.29 (->page_mkwrite returns an errno; < 0 means SIGBUS)',
  errnoAbi: true,
  truncateTakesIAllocSem: true,
  ...preB827(true, '2.6.29'),
};

export const era2630rc1: Era = {
  id: '2.6.30-rc1',
  title: 'v2.6.30-rc1..rc4 (VM_FAULT_* bits from c2ec175c/56a76f82, before b827e496)',
  errnoAbi: false,
  truncateTakesIAllocSem: true,
  ...preB827(false, '2.6.30-rc1'),
};
