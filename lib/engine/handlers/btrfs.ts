// btrfs_page_mkwrite at v2.6.37 (fs/btrfs/inode.c:6212-6317), kernel-fault-path.md §4, VERIFIED
// as to results; the ordered-extent wait (goto again) is not modelled.

import type { HandlerSpec } from './composable';

const loc = () => 'fs/btrfs/inode.c:6212-6317';

export const btrfs_2637: HandlerSpec = {
  id: 'btrfs@2.6.37', title: 'btrfs_page_mkwrite at v2.6.37: NOPAGE on truncation, LOCKED on success', fn: 'btrfs_page_mkwrite', errno: 'vmf_error',
  ops: [
    { op: 'allocate', fn: 'btrfs_delalloc_reserve_space', loc: loc(), desc: 'reserve data + metadata space (-ENOMEM -> VM_FAULT_OOM, else VM_FAULT_SIGBUS)' },
    { op: 'lockPage', loc: loc() },
    { op: 'check', mapping: true, size: 'ge', fail: 'NOPAGE', release: true, loc: loc(), desc: 'page->mapping != mapping || page_start >= size -> unlock, release the reservation, VM_FAULT_NOPAGE' },
    { op: 'setPageDirty', loc: loc(), desc: 'btrfs_set_extent_delalloc; set_page_dirty(page)' },
    { op: 'return', ret: 'LOCKED', loc: loc() },
  ],
};
