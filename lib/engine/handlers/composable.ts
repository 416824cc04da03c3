// ->page_mkwrite handlers as data. Every bundled handler (block_page_mkwrite, ocfs2, ext4, gfs2,
// btrfs) is a HandlerSpec written in the op language of ops.ts, and a reader can write their own
// the same way; compileHandler turns a spec into steps of the faulting task.

import { z } from '../zod';
import { G, PF, RW_READERS, Vec, pageAt } from '../state';
import { ProgramItem, local, owner, putPage, rwsemUp, unlockPage } from '../steps';
import { L, TaskCtx } from '../eras/common';
import type { Era } from '../eras/index';
import { ERRNO, ErrnoName, VM_FAULT, parseRet } from '../vmfault';
import { AllocResult, HandlerContext, SEMS, handlerOpSchema, opRow, readerBit, semAt } from './ops';

export type { AllocResult, HandlerOp } from './ops';

/** How an errno becomes the return value in a VM_FAULT_* era: any -> SIGBUS (the c2ec175c
 *  conversion), vmf_error (-ENOMEM -> OOM, else SIGBUS), or raw (a negative int the VM reads as bits). */
export const ERRNO_MODES = ['sigbus', 'vmf_error', 'raw'] as const;
export type ErrnoMode = (typeof ERRNO_MODES)[number];

/** What a composed handler is when it does not say (a scenario file's, the runner's editor's). */
export const COMPOSED_DEFAULTS = { id: 'composable', title: 'composable ->page_mkwrite', fn: 'my_page_mkwrite', errno: 'vmf_error' } as const;

export const handlerSpecSchema = z.object({
  id: z.string().default(COMPOSED_DEFAULTS.id),
  title: z.string().default(COMPOSED_DEFAULTS.title),
  fn: z.string().default(COMPOSED_DEFAULTS.fn), // the ->page_mkwrite function name
  errno: z.enum(ERRNO_MODES).default(COMPOSED_DEFAULTS.errno),
  ops: z.array(handlerOpSchema).min(1).refine((ops) => ops[ops.length - 1]?.op === 'return', 'the last op must be "return" (what ->page_mkwrite returns)'),
  notes: z.array(z.string()).optional(),
}).strict();
export type HandlerSpec = z.output<typeof handlerSpecSchema>;

/** Encode a return spec for the running era: an errno is raw under the 2.6.29 ABI, else mapped. */
function encodeRet(spec: HandlerSpec, era: Era, text: string): number {
  const r = parseRet(text);
  if ('bits' in r) return r.bits;
  return errnoRet(spec, era, r.errno);
}

function errnoRet(spec: HandlerSpec, era: Era, e: ErrnoName): number {
  if (era.errnoAbi || spec.errno === 'raw') return -ERRNO[e];
  if (spec.errno === 'vmf_error' && e === 'ENOMEM') return VM_FAULT.OOM;
  return VM_FAULT.SIGBUS;
}

export function compileHandler(spec: HandlerSpec, t: TaskCtx, era: Era, allocOverride?: AllocResult): ProgramItem[] {
  const me = owner(t);
  const slot = (v: Vec) => (v[local(t, L.FS_PAGE)] || v[local(t, L.PAGE)]) - 1;

  /** Leave the handler: error paths unlock the page unless returning LOCKED; fs locks are always dropped. */
  const leave = (v: Vec, ret: number, unlockIfHeld: boolean): string => {
    const own = v[local(t, L.FS_PAGE)] - 1;
    if (own >= 0) {
      // a page the handler looked up itself is never what the VM continues with: unlock and drop it
      if (v[pageAt(t.l, own, PF.LOCK)] === me && (own !== v[local(t, L.PAGE)] - 1 || !(ret >= 0 && ret & VM_FAULT.LOCKED))) unlockPage(t, v, own);
      putPage(t, v, own);
      v[local(t, L.FS_PAGE)] = 0;
    }
    if (unlockIfHeld && !(ret >= 0 && ret & VM_FAULT.LOCKED) && v[pageAt(t.l, slot(v), PF.LOCK)] === me) unlockPage(t, v, slot(v));
    if (v[G.CLUSTER] === me) v[G.CLUSTER] = 0;
    for (const sem of SEMS) {
      const at = semAt(sem);
      if (v[at] === me) v[at] = 0;
      else if (v[at] > RW_READERS && v[local(t, L.AUX)] & readerBit(sem)) rwsemUp(v, at);
    }
    v[local(t, L.AUX)] = 0; // aux held the reader bits; the VM reuses it after the call
    v[local(t, L.RET)] = ret;
    return v[local(t, L.SITE)] === 0 ? 'wp:after' : 'df:after';
  };
  let allocSeen = false;
  const h: HandlerContext = {
    t, me, slot, leave,
    ret: (text) => encodeRet(spec, era, text),
    // Steps that can leave the handler may also drop its locks, so their footprint includes them.
    leaveTouches: [t.page, ...new Set(spec.ops.flatMap((o) => opRow(o.op).takes?.(o) ?? []))],
    exits: ['wp:after', 'df:after'],
    allocation: (result) => {
      const r = (!allocSeen && allocOverride) || result || 'ok';
      allocSeen = true;
      return r;
    },
  };

  const items: ProgramItem[] = [{ label: 'mkwrite' }];
  for (const op of spec.ops) {
    const step = opRow(op.op).step(op, h);
    items.push({ ...step, fn: op.fn ?? spec.fn, loc: op.loc ?? `(${spec.id})`, desc: op.desc ?? step.desc });
  }
  const last = spec.ops[spec.ops.length - 1];
  if (!last || (last.op !== 'return')) throw new Error(`handler ${spec.id}: the last op must be "return"`);
  return items;
}
