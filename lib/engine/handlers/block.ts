// Generic block_page_mkwrite (fs/buffer.c) before and after 56a76f82 and b827e496.
// kernel-fault-path.md §1 and §4 (fs/buffer.c:2334-2390 @ v2.6.37, VERIFIED); the two earlier
// versions are reconstructed from the commit descriptions in §1 (line numbers unverified).

import type { HandlerSpec } from './composable';

const fn = 'block_page_mkwrite';

/** v2.6.29: truncated page -> -EINVAL, write_begin errors passed through, success 0 (unlocked). */
export const block2629: HandlerSpec = {
  id: 'block@2.6.29', title: 'block_page_mkwrite before 56a76f82 (v2.6.29)', fn, errno: 'sigbus',
  ops: [
    { op: 'lockPage', loc: 'fs/buffer.c (v2.6.29, unverified)' },
    { op: 'check', mapping: true, size: 'gt', fail: '-EINVAL', loc: 'fs/buffer.c (v2.6.29, unverified)' },
    { op: 'allocate', desc: 'block_prepare_write + block_commit_write', loc: 'fs/buffer.c (v2.6.29, unverified)' },
    { op: 'unlockPage', loc: 'fs/buffer.c (v2.6.29, unverified)' },
    { op: 'return', ret: '0', loc: 'fs/buffer.c (v2.6.29, unverified)' },
  ],
  notes: ['Under a VM_FAULT_* era an errno becomes VM_FAULT_SIGBUS, as c2ec175c converted it.'],
};

/** 56a76f82 (v2.6.30-rc1): truncated -> VM_FAULT_NOPAGE, -ENOMEM -> OOM, other errors -> SIGBUS; success still 0, unlocked. */
export const block2630rc1: HandlerSpec = {
  id: 'block@2.6.30-rc1', title: 'block_page_mkwrite after 56a76f82, before b827e496', fn, errno: 'vmf_error',
  ops: [
    { op: 'lockPage', loc: 'fs/buffer.c (56a76f82)' },
    { op: 'check', mapping: true, size: 'gt', fail: 'NOPAGE', loc: 'fs/buffer.c (56a76f82)', desc: 'page->mapping != inode mapping || page_offset > i_size -> unlock, VM_FAULT_NOPAGE ("make the VM retry the fault")' },
    { op: 'allocate', desc: '__block_prepare_write + block_commit_write', loc: 'fs/buffer.c (56a76f82)' },
    { op: 'unlockPage', loc: 'fs/buffer.c (56a76f82)' },
    { op: 'return', ret: '0', loc: 'fs/buffer.c (56a76f82)' },
  ],
};

/** b827e496 .. v2.6.37: as 56a76f82 but success returns VM_FAULT_LOCKED with the page locked. */
export const block2637: HandlerSpec = {
  id: 'block@2.6.37', title: 'block_page_mkwrite at v2.6.37 (after b827e496)', fn, errno: 'vmf_error',
  ops: [
    { op: 'lockPage', loc: 'fs/buffer.c:2334-2390' },
    { op: 'check', mapping: true, size: 'gt', fail: 'NOPAGE', loc: 'fs/buffer.c:2334-2390', desc: 'page->mapping != inode mapping || page_offset > i_size (off by one: a page starting at EOF passes) -> unlock, VM_FAULT_NOPAGE' },
    { op: 'allocate', desc: '__block_write_begin + block_commit_write', loc: 'fs/buffer.c:2334-2390' },
    { op: 'return', ret: 'LOCKED', loc: 'fs/buffer.c:2334-2390', desc: 'return VM_FAULT_LOCKED with the page still locked' },
  ],
};
