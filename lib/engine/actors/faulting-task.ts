// The faulting task: a store to a shared writable mapping at one page index. The store either
// lands through a writable PTE or faults (do_wp_page for a read-only PTE, __do_fault for none);
// after a fault that is not an error the CPU re-executes the store, which is the "retry".

import { AF, G, PTE, WRITE, pageAt, PF, pteKindAt, pteSlotAt } from '../state';
import { ProgramItem, StepSpec, busy, flags, local, owner } from '../steps';
import { L, TaskCtx } from '../eras/common';
import type { Era } from '../eras/index';
import { AllocResult, HandlerSpec, compileHandler } from '../handlers/composable';
import { VM_FAULT, VM_FAULT_ERROR, bits } from '../vmfault';

export function faultingTask(t: TaskCtx, era: Era, handler: HandlerSpec, alloc?: AllocResult): ProgramItem[] {
  const store: StepSpec = {
    fn: 'user space', loc: 'store to the MAP_SHARED mapping',
    desc: 'store: a writable PTE takes it (the write lands in the page it maps); otherwise the CPU faults',
    // Its store record is its own; writeback and page removal mark it only while it names a
    // cached page, which is the page at this index: page:N orders them.
    touches: [t.pte, t.page], exits: ['done'],
    run: (v) => {
      if (v[pteKindAt(t.l, t.index)] >= PTE.RW) {
        const slot = v[pteSlotAt(t.l, t.index)] - 1;
        const inCache = v[pageAt(t.l, slot, PF.MAPPING)] === 1;
        v[local(t, L.WRITE)] = inCache ? WRITE.CACHED : WRITE.LOST;
        v[local(t, L.WRITE_PAGE)] = slot + 1;
        v[pteKindAt(t.l, t.index)] = PTE.RW_DIRTY;
        return 'done';
      }
      if (v[local(t, L.FAULTED)] === 1) v[flags(t)] |= AF.RETRIED;
      v[local(t, L.FAULTED)] = 1;
      return '';
    },
  };
  const handlePteFault: StepSpec = {
    fn: 'handle_pte_fault', loc: 'mm/memory.c:3150-3203',
    desc: 'PTE none -> __do_fault; present -> take the PTL, write to a read-only PTE -> do_wp_page',
    touches: ['ptl', t.pte, t.page], exits: ['df', 'wp', 'store'],
    blocked: (v) => v[pteKindAt(t.l, t.index)] !== PTE.NONE && busy(v, G.PTL),
    run: (v) => {
      const k = v[pteKindAt(t.l, t.index)];
      if (k === PTE.NONE) return 'df';
      if (k >= PTE.RW) return 'store'; // made writable meanwhile: nothing to do
      v[G.PTL] = owner(t);
      v[local(t, L.ORIG)] = k * 64 + v[pteSlotAt(t.l, t.index)];
      v[local(t, L.PAGE)] = v[pteSlotAt(t.l, t.index)];
      return 'wp';
    },
  };
  // Every local but FAULTED (which tells a refault apart) is cleared for the next attempt.
  const scratch = [L.PAGE, L.RET, L.ORIG, L.SITE, L.FRET, L.AUX, L.FS_PAGE].map((k) => local(t, k));
  const faultReturn: StepSpec = {
    fn: 'do_page_fault', loc: 'arch/x86/mm/fault.c:827-839,1139-1155',
    desc: 'VM_FAULT_ERROR: OOM -> pagefault_out_of_memory, SIGBUS -> do_sigbus; anything else returns to user space and the store re-executes',
    touches: [], exits: ['store', 'done'], // its own locals and flags only
    emits: [{ event: 'Returned', value: (v) => v[local(t, L.FRET)] }],
    run: (v) => {
      const f = bits(v[local(t, L.FRET)]);
      for (const at of scratch) v[at] = 0;
      if (f & VM_FAULT_ERROR) {
        v[flags(t)] |= f & VM_FAULT.OOM ? AF.OOM : AF.SIGBUS;
        return 'done';
      }
      return 'store';
    },
  };
  return [
    { label: 'store' },
    store,
    handlePteFault,
    ...era.doWpPage(t),
    ...era.doFault(t),
    { label: 'fault_return' },
    faultReturn,
    ...compileHandler(handler, t, era, alloc),
  ];
}
