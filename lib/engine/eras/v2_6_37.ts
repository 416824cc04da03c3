// v2.6.30-rc5 .. v2.6.37: VM_FAULT_* returns (c2ec175c), VM_FAULT_LOCKED optional with the
// VM's own lock_page + page->mapping check, page lock held across dirtying (b827e496).
// Locations: mm/memory.c @ v2.6.37 (3c0eee3fe6a3), kernel-fault-path.md §2.3-2.4, VERIFIED.

import { ProgramItem } from '../steps';
import {
  LOCKED_BY_VM, SITE, TaskCtx, callPageMkwrite, checkMkwriteResult, dfSetDirty, dfUnlock, dropPtl, filemapFault,
  getRefDropPtl, installPte, takePtl, unlockForMkwrite, vmCheckMapping, vmLockPage, vmRelease,
  vmSetPageDirty, wpRevalidateAndReuse,
} from './common';
import type { Era } from './index';

const wp = (loc: string) => ({ fn: 'do_wp_page', loc: `mm/memory.c:${loc}` });
const df = (loc: string) => ({ fn: '__do_fault', loc: `mm/memory.c:${loc}` });

export function doWpPage2637(t: TaskCtx, changedRet = 0): ProgramItem[] {
  return [
    { label: 'wp' },
    getRefDropPtl(t, wp('2172-2187'), 'fill vmf, page_cache_get(old_page), pte_unmap_unlock'),
    callPageMkwrite(t, wp('2189'), SITE.WP),
    { label: 'wp:after' },
    checkMkwriteResult(t, wp('2190-2194,2202-2203'), { errnoAbi: false, lockedConvention: true, lockedLabel: 'wp_locked' }),
    vmLockPage(t, wp('2195-2201'), undefined, LOCKED_BY_VM),
    vmCheckMapping(t, wp('2195-2201')),
    { label: 'wp_locked' },
    takePtl(t, wp('2211-2212')),
    wpRevalidateAndReuse(t, wp('2213-2234'), { changedRet, pageLocked: true }),
    dropPtl(t, wp('2338-2373')),
    vmSetPageDirty(t, wp('2338-2373'), 'set_page_dirty(dirty_page) while the page is still locked'),
    vmRelease(t, wp('2338-2373'), { unlock: true, put: true, desc: 'unlock_page(dirty_page); page_cache_release: return VM_FAULT_WRITE', updatesTime: true }),
  ];
}

export function doFault2637(t: TaskCtx): ProgramItem[] {
  return [
    { label: 'df' },
    ...filemapFault(t, { fn: 'filemap_fault', loc: 'mm/filemap.c:1531' }),
    unlockForMkwrite(t, df('2992-3013')),
    callPageMkwrite(t, df('2992-3013'), SITE.DF),
    { label: 'df:after' },
    checkMkwriteResult(t, df('2998-3002'), { errnoAbi: false, lockedConvention: true, lockedLabel: 'df_locked' }),
    vmLockPage(t, df('3003-3009'), undefined, LOCKED_BY_VM),
    vmCheckMapping(t, df('3003-3009')),
    { label: 'df_locked' },
    takePtl(t, df('3018')),
    installPte(t, df('3031-3049')),
    dropPtl(t, df('2915-3092')),
    dfSetDirty(t, df('3062-3086'), 'set_page_dirty(dirty_page) while the page is still locked', false),
    dfUnlock(t, df('3062-3086'), 'unlock_page(dirty_page); put_page: return ->fault\'s ret', true, true),
  ];
}

export const era2637: Era = {
  id: '2.6.37',
  title: 'v2.6.30-rc5 .. v2.6.37 (VM_FAULT_* bits, optional VM_FAULT_LOCKED, b827e496)',
  errnoAbi: false,
  truncateTakesIAllocSem: true,
  doWpPage: (t) => doWpPage2637(t),
  doFault: doFault2637,
};
