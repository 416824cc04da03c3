// ext4_page_mkwrite at v2.6.37 (fs/ext4/inode.c:5811-5878), kernel-fault-path.md §4, VERIFIED
// as to results; the order of the fast path and write_begin is simplified (INFERRED): write_begin
// really looks the page up again by index, the model prepares the page passed in.

import type { HandlerSpec } from './composable';

const loc = () => 'fs/ext4/inode.c:5811-5878';

export const ext4_2637: HandlerSpec = {
  id: 'ext4@2.6.37', title: 'ext4_page_mkwrite at v2.6.37: 0 or VM_FAULT_SIGBUS, page unlocked', fn: 'ext4_page_mkwrite', errno: 'sigbus',
  ops: [
    { op: 'allocSem', sem: 'i_alloc_sem', mode: 'read', loc: loc() },
    { op: 'lockPage', loc: loc() },
    { op: 'check', mapping: true, size: 'ge', uptodate: true, fail: '-EINVAL', loc: loc(), desc: 'page->mapping != mapping || size <= page_offset || !PageUptodate -> -EINVAL -> VM_FAULT_SIGBUS' },
    { op: 'skipIfPrepared', ret: '0', loc: loc(), desc: 'PageMappedToDisk or all buffers mapped -> unlock_page, return 0' },
    { op: 'unlockPage', loc: loc() },
    { op: 'allocate', fn: 'ext4_write_begin', loc: loc(), desc: 'write_begin/write_end fill the hole (errors -> VM_FAULT_SIGBUS)' },
    { op: 'allocSemUp', sem: 'i_alloc_sem', loc: loc() },
    { op: 'return', ret: '0', loc: loc() },
  ],
};
