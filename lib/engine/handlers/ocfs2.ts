// ocfs2_page_mkwrite at v2.6.37 and with the v3.2 fix 5cffff9e2986.
// kernel-fault-path.md §3.1-3.3: v2.6.37 lines VERIFIED (fs/ocfs2/mmap.c, fs/ocfs2/aops.c);
// the 3.2 behaviour VERIFIED by diff v3.1.10 -> v3.2.7, its line numbers not recorded.

import type { HandlerOp, HandlerSpec } from './composable';

const fn = 'ocfs2_page_mkwrite';
const inner = '__ocfs2_page_mkwrite';

export const ocfs2_2637: HandlerSpec = {
  id: 'ocfs2@2.6.37', title: 'ocfs2_page_mkwrite at v2.6.37: returns 0 or VM_FAULT_SIGBUS, page unlocked', fn, errno: 'sigbus',
  ops: [
    { op: 'clusterLock', loc: 'fs/ocfs2/mmap.c:150', desc: 'ocfs2_inode_lock(inode, &di_bh, 1): EX cluster lock' },
    { op: 'allocSem', sem: 'ip_alloc_sem', mode: 'write', loc: 'fs/ocfs2/mmap.c:161' },
    { op: 'check', size: 'ge', fail: '-EINVAL', fn: inner, loc: 'fs/ocfs2/mmap.c:81-85', desc: '(A) size == 0 || page->index > last_index -> -EINVAL' },
    { op: 'check', uptodate: true, mapping: true, fail: '0', fn: inner, loc: 'fs/ocfs2/mmap.c:93-100', desc: '(B) !PageUptodate || page->mapping != i_mapping -> return 0 ("let VFS retry")' },
    { op: 'lockPage', fn: 'ocfs2_grab_pages_for_write', loc: 'fs/ocfs2/aops.c:1134', desc: 'lock_page(mmap_page)' },
    { op: 'check', mapping: true, fail: '-EINVAL', fn: 'ocfs2_grab_pages_for_write', loc: 'fs/ocfs2/aops.c:1142-1151', desc: 'mmap_page->mapping != mapping -> unlock, -EINVAL ("Sanity check")' },
    { op: 'allocate', fn: 'ocfs2_write_begin_nolock', loc: 'fs/ocfs2/aops.c:1633-1821', desc: '(C) ocfs2_write_begin_nolock: allocate the cluster' },
    { op: 'unlockPage', fn: 'ocfs2_unlock_and_free_pages', loc: 'fs/ocfs2/aops.c:896-915', desc: '(D) ocfs2_write_end_nolock unlocks every page, the target too' },
    { op: 'allocSemUp', sem: 'ip_alloc_sem', loc: 'fs/ocfs2/mmap.c:165' },
    { op: 'clusterUnlock', loc: 'fs/ocfs2/mmap.c:168' },
    { op: 'return', ret: '0', loc: 'fs/ocfs2/mmap.c:172-173', desc: 'return 0 (any error became VM_FAULT_SIGBUS)' },
  ],
};

const fix = (l: string) => `fs/ocfs2/${l} (v3.2, 5cffff9e2986)`;
const fixedOps: HandlerOp[] = [
  { op: 'clusterLock', loc: fix('mmap.c'), desc: 'ocfs2_inode_lock(inode, &di_bh, 1): EX cluster lock' },
  { op: 'allocSem', sem: 'ip_alloc_sem', mode: 'write', loc: fix('mmap.c') },
  { op: 'check', mapping: true, uptodate: true, size: 'ge', fail: 'NOPAGE', fn: inner, loc: fix('mmap.c'), desc: 'page->mapping != i_mapping || !PageUptodate || page_offset >= size -> VM_FAULT_NOPAGE ("Let VM retry")' },
  { op: 'lockPage', fn: 'ocfs2_grab_pages_for_write', loc: fix('aops.c'), desc: 'lock_page(mmap_page)' },
  { op: 'check', mapping: true, fail: 'NOPAGE', fn: 'ocfs2_grab_pages_for_write', loc: fix('aops.c'), desc: 'mapping changed -> -EAGAIN -> no target page -> VM_FAULT_NOPAGE' },
  { op: 'allocate', fn: 'ocfs2_write_begin_nolock', loc: fix('aops.c'), desc: 'ocfs2_write_begin_nolock; -ENOMEM -> VM_FAULT_OOM, other errors -> VM_FAULT_SIGBUS' },
  { op: 'allocSemUp', sem: 'ip_alloc_sem', loc: fix('mmap.c') },
  { op: 'clusterUnlock', loc: fix('mmap.c') },
  { op: 'return', ret: 'LOCKED', loc: fix('mmap.c'), desc: 'w_target_locked: the page stays locked -> VM_FAULT_LOCKED' },
];

export const ocfs2_32: HandlerSpec = {
  id: 'ocfs2@3.2', title: 'ocfs2_page_mkwrite with the v3.2 fix 5cffff9e2986: NOPAGE on truncation, LOCKED on success', fn, errno: 'vmf_error',
  ops: fixedOps,
};
