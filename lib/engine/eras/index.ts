// Kernel eras: each supplies the do_wp_page and __do_fault variants the faulting task runs.

import { ProgramItem } from '../steps';
import { TaskCtx } from './common';
import { era2629, era2630rc1 } from './v2_6_29';
import { era2637 } from './v2_6_37';
import { era6x } from './v6';

export type EraId = '2.6.29' | '2.6.30-rc1' | '2.6.37' | '6.x';

export interface Era {
  id: EraId;
  title: string;
  /** ->page_mkwrite returns an errno (< 0 = error) instead of VM_FAULT_* bits (before c2ec175c). */
  errnoAbi: boolean;
  /** VFS truncate holds inode->i_alloc_sem for write (fs/attr.c notify_change; removed in 3.1). */
  truncateTakesIAllocSem: boolean;
  /** Entered with the PTL held and a present read-only PTE; starts at label 'wp'. */
  doWpPage(t: TaskCtx): ProgramItem[];
  /** Entered with no PTE; starts at label 'df'. */
  doFault(t: TaskCtx): ProgramItem[];
}

export const ERAS: Record<EraId, Era> = {
  '2.6.29': era2629,
  '2.6.30-rc1': era2630rc1,
  '2.6.37': era2637,
  '6.x': era6x,
};

export const ERA_IDS = Object.keys(ERAS) as EraId[];
