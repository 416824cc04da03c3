// ocfs2 cluster-lock downconvert on this node for another node's request:
// ocfs2_data_convert_worker (fs/ocfs2/dlmglue.c:3633-3678, VERIFIED in §3.2): unmap every PTE,
// write back dirty pages, and for an EX request also truncate_inode_pages(mapping, 0).

import { Ctx, ProgramItem, lockStep, unlockStep } from '../steps';
import { G } from '../state';
import { setISize, truncatePageAt, unmapMappingRange, writebackPageAt } from './pagecache';

export interface DowncovertParams { level: 'PR' | 'EX'; remoteSize?: number }

export function downconvertActor(c: Ctx, p: DowncovertParams, indices: number): ProgramItem[] {
  const w = { fn: 'ocfs2_data_convert_worker', loc: 'fs/ocfs2/dlmglue.c:3633-3678' };
  const items: ProgramItem[] = [
    lockStep(c, G.CLUSTER, { fn: 'ocfs2_downconvert_thread', loc: 'fs/ocfs2/dlmglue.c', inferred: true, desc: 'wait until no local holder keeps the inode lock, then downconvert', touches: ['cluster'] }),
    unmapMappingRange(c, 0, indices, w, 'unmap_mapping_range(mapping, 0, 0, 0): zap every PTE of the file'),
  ];
  for (let i = 0; i < indices; i++) items.push(...writebackPageAt(c, i, w, 'dcwb', { sync: true, consumesPrepared: false }));
  if (p.level === 'EX') for (let i = 0; i < indices; i++) items.push(...truncatePageAt(c, i, w, 'dctr'));
  if (p.remoteSize !== undefined) {
    items.push(setISize(p.remoteSize, { fn: 'ocfs2_refresh_inode', loc: 'fs/ocfs2/inode.c (unverified)', inferred: true }, `the other node truncated: this node sees i_size = ${p.remoteSize} page(s)`));
  }
  items.push(unlockStep(c, G.CLUSTER, { fn: 'ocfs2_downconvert_thread', loc: 'fs/ocfs2/dlmglue.c', inferred: true, desc: `lock now ${p.level === 'EX' ? 'NL' : 'PR'} here: the other node holds it`, touches: ['cluster'] }));
  return items;
}
