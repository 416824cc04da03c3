// Background writeback of the file's dirty pages (write_cache_pages), page by page.

import { Ctx, ProgramItem } from '../steps';
import { writebackPageAt } from './pagecache';

export interface WritebackParams { index?: number; consumesPrepared: boolean }

export function writebackActor(c: Ctx, p: WritebackParams, indices: number): ProgramItem[] {
  const w = { fn: 'write_cache_pages', loc: 'mm/page-writeback.c (unverified)', inferred: true };
  const which = p.index !== undefined ? [p.index] : Array.from({ length: indices }, (_, i) => i);
  return which.flatMap((i) => writebackPageAt(c, i, w, 'wb', { sync: false, consumesPrepared: p.consumesPrepared }));
}
