// Reclaim (or invalidation) of a clean page: trylock, try_to_unmap, __remove_mapping.
// ignoreRefs models an invalidation that does not insist on the page having no other
// references (the "dropped from page cache under memory pressure" case the ocfs2 fix names);
// real __remove_mapping refuses a page someone else holds a reference to. INFERRED.

import { G, PF, PTE, Vec, pageAt, pteKindAt, pteSlotAt } from '../state';
import { Ctx, ProgramItem, busy, cachedSlot, local, owner, removeFromCache, unlockPage, zapPte } from '../steps';

export interface ReclaimParams { index: number; ignoreRefs: boolean }

export function reclaimActor(c: Ctx, p: ReclaimParams): ProgramItem[] {
  const i = p.index;
  const pg = `page:${i}`;
  const w = { loc: 'mm/vmscan.c (unverified)', inferred: true };
  const cur = (v: Vec) => v[local(c, 0)] - 1;
  return [
    {
      ...w, fn: 'shrink_page_list', desc: `trylock_page(page ${i}); give up if locked, dirty or under writeback`,
      touches: [pg], exits: ['done'],
      run: (v) => {
        const s = cachedSlot(c, v, i);
        if (s < 0 || v[pageAt(c.l, s, PF.LOCK)] !== 0 || v[pageAt(c.l, s, PF.DIRTY)] === 1 || v[pageAt(c.l, s, PF.WRITEBACK)] === 1) return 'done';
        v[pageAt(c.l, s, PF.LOCK)] = owner(c);
        v[pageAt(c.l, s, PF.REF)]++; // isolation reference
        v[local(c, 0)] = s + 1;
        return '';
      },
    },
    {
      ...w, fn: 'try_to_unmap', desc: 'rmap: zap the PTE mapping the page (a dirty PTE dirties the page)',
      touches: [`pte:${i}`, pg], reads: ['ptl'], blocked: (v) => busy(v, G.PTL),
      run: (v) => {
        if (v[pteKindAt(c.l, i)] !== PTE.NONE && v[pteSlotAt(c.l, i)] === cur(v) + 1) zapPte(c, v, i);
        return '';
      },
    },
    {
      ...w, fn: p.ignoreRefs ? 'invalidate_complete_page2' : '__remove_mapping',
      desc: p.ignoreRefs ? 'remove the clean page from the page cache even though others hold references' : 'page_freeze_refs: only if nobody else holds a reference and it is clean, remove it from the page cache',
      touches: [pg],
      run: (v) => {
        const s = cur(v);
        const refsOk = p.ignoreRefs || v[pageAt(c.l, s, PF.REF)] === 2;
        if (v[pageAt(c.l, s, PF.DIRTY)] === 0 && refsOk) removeFromCache(c, v, s);
        v[pageAt(c.l, s, PF.REF)]--;
        unlockPage(c, v, s);
        v[local(c, 0)] = 0;
        return 'done';
      },
      exits: ['done'],
    },
  ];
}
