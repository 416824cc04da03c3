// gfs2_page_mkwrite at v2.6.37 (fs/gfs2/file.c:345-426), kernel-fault-path.md §4, VERIFIED as to
// results; the reservation is folded into one allocate step after the checks (INFERRED order).

import type { HandlerSpec } from './composable';

const loc = () => 'fs/gfs2/file.c:345-426';

export const gfs2_2637: HandlerSpec = {
  id: 'gfs2@2.6.37', title: 'gfs2_page_mkwrite at v2.6.37: 0, VM_FAULT_OOM or VM_FAULT_SIGBUS, page unlocked', fn: 'gfs2_page_mkwrite', errno: 'vmf_error',
  ops: [
    { op: 'clusterLock', loc: loc(), desc: 'gfs2_glock_nq: EX glock on the inode' },
    { op: 'lockPage', loc: loc() },
    { op: 'check', size: 'gt', fail: '-EINVAL', loc: loc(), desc: 'page->index > i_size >> PAGE_SHIFT -> -EINVAL -> VM_FAULT_SIGBUS' },
    { op: 'check', uptodate: true, mapping: true, fail: '0', loc: loc(), desc: '!PageUptodate || page->mapping != mapping -> unlock, return 0' },
    { op: 'allocate', fn: 'gfs2_allocate_page_backing', loc: loc(), desc: 'reservations + gfs2_allocate_page_backing (-ENOMEM -> VM_FAULT_OOM, else VM_FAULT_SIGBUS)' },
    { op: 'unlockPage', loc: loc() },
    { op: 'clusterUnlock', loc: loc() },
    { op: 'return', ret: '0', loc: loc() },
  ],
};
