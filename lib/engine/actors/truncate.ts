// truncate(2) to a size (optionally extended again afterwards, like ocfs2-test's mmap_truncate),
// or a hole punch inside i_size. fs 'generic' follows truncate_setsize + truncate_pagecache;
// fs 'ocfs2' follows ocfs2_truncate_file (fs/ocfs2/file.c:437-530, VERIFIED in §3.2).

import { Ctx, ProgramItem, lockStep, rwsemStep, unlockStep } from '../steps';
import { G } from '../state';
import { setISize, truncatePageAt, unmapMappingRange } from './pagecache';

export interface TruncateParams {
  mode: 'truncate' | 'punch';
  to: number; // new size in pages (truncate) or end of the hole (punch)
  from?: number; // punch: first page of the hole
  extendTo?: number; // truncate: extend back to this size afterwards
  fs: 'generic' | 'ocfs2';
}

export function truncateActor(c: Ctx, p: TruncateParams, indices: number, takesIAllocSem: boolean): ProgramItem[] {
  const ocfs2 = p.fs === 'ocfs2';
  const punch = p.mode === 'punch';
  const first = punch ? p.from ?? 0 : p.to;
  const last = punch ? Math.min(p.to, indices) : indices;
  const fnName = ocfs2 ? (punch ? 'ocfs2_remove_inode_range' : 'ocfs2_truncate_file') : punch ? 'truncate_pagecache_range' : 'truncate_pagecache';
  const w = ocfs2
    ? { fn: fnName, loc: punch ? 'fs/ocfs2/file.c (unverified)' : 'fs/ocfs2/file.c:437-530', inferred: punch }
    : { fn: fnName, loc: 'mm/truncate.c (unverified)', inferred: true };
  const items: ProgramItem[] = [];
  if (ocfs2) {
    items.push(lockStep(c, G.CLUSTER, { fn: 'ocfs2_setattr', loc: 'fs/ocfs2/file.c', desc: 'ocfs2_inode_lock(EX): the caller\'s cluster lock', touches: ['cluster'] }));
    items.push(rwsemStep(c, 'ip_alloc_sem', true, true, w));
  } else if (takesIAllocSem && !punch) {
    items.push(rwsemStep(c, 'i_alloc_sem', true, true, { fn: 'notify_change', loc: 'fs/attr.c (v2.6.37, unverified)', inferred: true }));
  }
  if (!punch && !ocfs2) items.push(setISize(p.to, { fn: 'truncate_setsize', loc: 'mm/truncate.c (unverified)', inferred: true }));
  items.push(unmapMappingRange(c, first, last, w));
  for (let i = first; i < last; i++) items.push(...truncatePageAt(c, i, { fn: 'truncate_inode_pages', loc: 'mm/truncate.c (unverified)', inferred: true }, 'trunc'));
  if (!ocfs2) items.push(unmapMappingRange(c, first, last, w, 'unmap_mapping_range again (private COWed pages faulted after the first unmap)'));
  if (!punch && ocfs2) items.push(setISize(p.to, w, `ocfs2_orphan_for_truncate / ocfs2_commit_truncate: i_size = ${p.to} page(s)`));
  if (ocfs2) {
    items.push(rwsemStep(c, 'ip_alloc_sem', true, false, w));
    items.push(unlockStep(c, G.CLUSTER, { fn: 'ocfs2_setattr', loc: 'fs/ocfs2/file.c', desc: 'ocfs2_inode_unlock(EX)', touches: ['cluster'] }));
  } else if (takesIAllocSem && !punch) {
    items.push(rwsemStep(c, 'i_alloc_sem', true, false, { fn: 'notify_change', loc: 'fs/attr.c (v2.6.37, unverified)', inferred: true }));
  }
  if (!punch && p.extendTo !== undefined) {
    items.push({
      fn: ocfs2 ? 'ocfs2_extend_file' : 'truncate_setsize', loc: '(second ftruncate, unverified)', inferred: true,
      desc: `ftruncate back up: i_size = ${p.extendTo} page(s)${ocfs2 ? ' under the cluster lock' : ''}`,
      touches: ['isize'], reads: ocfs2 ? ['cluster'] : [],
      blocked: ocfs2 ? (v) => v[G.CLUSTER] !== 0 : undefined,
      run: (v) => { v[G.ISIZE] = p.extendTo!; return ''; },
    });
  }
  return items;
}
