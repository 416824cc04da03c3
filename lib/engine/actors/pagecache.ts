// Page-cache operations other actors are built from: unmap_mapping_range, truncate_inode_pages
// (one page at a time), and the writeback of one page (write_cache_pages + clear_page_dirty_for_io).

import { G, PF, PTE, Vec, WRITE, pageAt, pteKindAt, pteSlotAt } from '../state';
import { Ctx, ProgramItem, StepSpec, busy, cachedSlot, local, owner, removeFromCache, unlockPage, zapPte } from '../steps';

export interface Where { fn: string; loc: string; inferred?: boolean }
// A step that waits for the PTL and does its work under it within the step never leaves it
// held: it only reads the PTL (reads: ['ptl']), so two such steps do not conflict over it.
const objs = (from: number, to: number) => {
  const o: string[] = [];
  for (let i = from; i < to; i++) o.push(`pte:${i}`, `page:${i}`);
  return o;
};
/** local 0 of a page-cache actor: the page slot+1 it is working on. */
const cur = (c: Ctx, v: Vec) => v[local(c, 0)] - 1;

export function unmapMappingRange(c: Ctx, from: number, to: number, w: Where, desc?: string): StepSpec {
  return {
    ...w, desc: desc ?? `unmap_mapping_range: zap the PTEs of pages ${from}..${to - 1} under the PTL`,
    touches: objs(from, to), reads: ['ptl'], blocked: (v) => busy(v, G.PTL),
    run: (v) => { for (let i = from; i < to; i++) zapPte(c, v, i); return ''; },
  };
}

/**
 * truncate_inode_pages for one index: find the cached page and lock_page it; then
 * wait_on_page_writeback, truncate_inode_page (unmap it if still mapped, cancel dirty,
 * remove from the page cache: page->mapping = NULL) and unlock_page.
 */
export function truncatePageAt(c: Ctx, i: number, w: Where, tag: string): ProgramItem[] {
  const next = `${tag}_after_${i}`;
  return [
    {
      ...w, desc: `find page ${i} in the page cache and lock_page it (none: nothing to do)`, touches: [`page:${i}`], exits: [next],
      blocked: (v) => { const s = cachedSlot(c, v, i); return s >= 0 && busy(v, pageAt(c.l, s, PF.LOCK)); },
      run: (v) => {
        const s = cachedSlot(c, v, i);
        if (s < 0) return next;
        v[pageAt(c.l, s, PF.LOCK)] = owner(c);
        v[pageAt(c.l, s, PF.REF)]++; // the lookup's reference
        v[local(c, 0)] = s + 1;
        return '';
      },
    },
    {
      ...w, desc: `wait_on_page_writeback; truncate_inode_page(page ${i}): unmap it if mapped (INFERRED), cancel_dirty_page, remove from the page cache; unlock_page`,
      inferred: true, touches: [`pte:${i}`, `page:${i}`], reads: ['ptl'],
      blocked: (v) => v[pageAt(c.l, cur(c, v), PF.WRITEBACK)] === 1 || (v[pteSlotAt(c.l, i)] === cur(c, v) + 1 && busy(v, G.PTL)),
      run: (v) => {
        const s = cur(c, v);
        if (v[pteKindAt(c.l, i)] !== PTE.NONE && v[pteSlotAt(c.l, i)] === s + 1) zapPte(c, v, i);
        if (v[pageAt(c.l, s, PF.MAPPING)] === 1) removeFromCache(c, v, s);
        v[pageAt(c.l, s, PF.REF)]--; // drop the lookup's reference (page still locked, so not freed yet)
        unlockPage(c, v, s);
        v[local(c, 0)] = 0;
        return '';
      },
    },
    { label: next },
  ];
}

/**
 * Write back page i if dirty. sync: filemap_fdatawrite + wait (the I/O completes before the
 * page is unlocked, as the downconvert does). consumesPrepared: the filesystem's per-dirty state
 * (NFS write request, ceph snap context) is used up by the write, so a later re-dirty needs a
 * fresh ->page_mkwrite (the race b827e496 closed; INFERRED abstraction of Trond's and Sage's reports).
 */
export function writebackPageAt(c: Ctx, i: number, w: Where, tag: string, o: { sync: boolean; consumesPrepared: boolean }): ProgramItem[] {
  const next = `${tag}_after_${i}`;
  const p = `page:${i}`;
  const items: ProgramItem[] = [
    {
      ...w, desc: `write_cache_pages: find page ${i} if dirty and lock_page it`, touches: [p], exits: [next],
      blocked: (v) => { const s = cachedSlot(c, v, i); return s >= 0 && v[pageAt(c.l, s, PF.DIRTY)] === 1 && busy(v, pageAt(c.l, s, PF.LOCK)); },
      run: (v) => {
        const s = cachedSlot(c, v, i);
        if (s < 0 || v[pageAt(c.l, s, PF.DIRTY)] === 0) return next;
        v[pageAt(c.l, s, PF.LOCK)] = owner(c);
        v[pageAt(c.l, s, PF.REF)]++;
        v[local(c, 0)] = s + 1;
        return '';
      },
    },
    {
      fn: 'clear_page_dirty_for_io', loc: 'mm/page-writeback.c (page_mkclean)', inferred: true,
      desc: 'page_mkclean: write-protect and clean the PTEs mapping the page (a dirty PTE re-dirties the page)',
      touches: [`pte:${i}`, p], reads: ['ptl'], blocked: (v) => busy(v, G.PTL),
      run: (v) => {
        const s = cur(c, v);
        if (v[pteSlotAt(c.l, i)] === s + 1 && v[pteKindAt(c.l, i)] >= PTE.RW) {
          if (v[pteKindAt(c.l, i)] === PTE.RW_DIRTY) v[pageAt(c.l, s, PF.DIRTY)] = 1;
          v[pteKindAt(c.l, i)] = PTE.RO;
        }
        return '';
      },
    },
    {
      fn: 'clear_page_dirty_for_io', loc: 'mm/page-writeback.c', inferred: true,
      desc: o.sync ? 'TestClearPageDirty; ->writepage and wait for the I/O; unlock_page' : 'TestClearPageDirty; set_page_writeback; unlock_page (I/O in flight)',
      touches: [p],
      run: (v) => {
        const s = cur(c, v);
        v[pageAt(c.l, s, PF.DIRTY)] = 0;
        // The stores into this page reached the disk.
        for (const w of c.l.writes) if (v[w] === WRITE.CACHED && v[w + 1] === s + 1) v[w] = WRITE.WRITTEN_BACK;
        if (o.consumesPrepared) v[pageAt(c.l, s, PF.PREPARED)] = 0;
        if (!o.sync) v[pageAt(c.l, s, PF.WRITEBACK)] = 1;
        v[pageAt(c.l, s, PF.REF)]--;
        unlockPage(c, v, s);
        if (o.sync) v[local(c, 0)] = 0;
        return '';
      },
    },
  ];
  if (!o.sync) {
    items.push({
      fn: 'end_page_writeback', loc: 'mm/filemap.c', inferred: true, desc: 'I/O completes: end_page_writeback', touches: [p],
      run: (v) => { v[pageAt(c.l, cur(c, v), PF.WRITEBACK)] = 0; v[local(c, 0)] = 0; return ''; },
    });
  }
  items.push({ label: next });
  return items;
}

export const setISize = (size: number, w: Where, desc?: string): StepSpec => ({
  ...w, desc: desc ?? `i_size_write(inode, ${size} page(s))`, touches: ['isize'],
  run: (v) => { v[G.ISIZE] = size; return ''; },
});

export { unlockPage };
