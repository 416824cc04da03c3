// The ops a composed ->page_mkwrite is written in, one row each: its fields (what a scenario file
// may give, the runner's URL writes and its editor offers) and the step it compiles to. The
// scenario schema (handlerOpSchema), compileHandler, the runner's URL codec
// (app/components/runner/handler-code.ts) and its editor all read this table, so a new op is
// one row here.

import { z } from '../zod';
import { G, PF, pageAt, type Vec } from '../state';
import { type StepSpec, allocPage, busy, cachedSlot, faultSetPageDirty, local, rwsemBlocked, rwsemDown, rwsemUp, unlockPage } from '../steps';
import { L, type TaskCtx } from '../eras/common';
import { parseRet } from '../vmfault';

export const SEMS = ['i_alloc_sem', 'ip_alloc_sem'] as const;
export type AllocSem = (typeof SEMS)[number];
export const ALLOC_RESULTS = ['ok', 'ENOMEM', 'ENOSPC'] as const;
export type AllocResult = (typeof ALLOC_RESULTS)[number];

export const semAt = (sem: AllocSem) => (sem === 'i_alloc_sem' ? G.I_ALLOC_SEM : G.IP_ALLOC_SEM);
/** The task's aux bit for a semaphore it holds for read: a reader is not its owner, so leaving needs telling. */
export const readerBit = (sem: AllocSem) => (sem === 'i_alloc_sem' ? 1 : 2);

/** "0", VM_FAULT names joined with |, or -ERRNO, as parseRet reads them; YAML gives a bare 0 as a number. */
const returnValue = z.union([z.string(), z.number().transform(String)]).refine((t) => {
  try { parseRet(t); return true; } catch { return false; }
}, 'not a return value: use 0, VM_FAULT_* names joined with | (e.g. "LOCKED", "NOPAGE"), or -ERRNO (e.g. "-EINVAL")');

/**
 * A field of an op. `label` names it in the editor (beside a checkbox, or as a control's
 * accessible name, `Op 2: semaphore`) and in the URL codec's errors. In a URL an op's required
 * fields are its last arguments, in order; optional ones come first as tokens: a flag's own
 * name, a choice's value.
 */
export type OpField =
  | { kind: 'flag'; label: string; optional: true; schema: z.ZodType }
  | {
    kind: 'choice'; label: string; optional: boolean; values: readonly string[]; schema: z.ZodType;
    /** The editor shows the label beside the control, not only to a screen reader. */
    captioned?: boolean;
    /** What the editor offers, value ('' for none) to text; every value as itself when absent. */
    options?: Readonly<Record<string, string>>;
  }
  | { kind: 'ret'; label: string; optional: false; schema: z.ZodType };

const flag = (label: string) => ({ kind: 'flag' as const, label, optional: true as const, schema: z.boolean().optional() });
const ret = (label: string) => ({ kind: 'ret' as const, label, optional: false as const, schema: returnValue });
type ChoiceLook = { captioned?: boolean; options?: Readonly<Record<string, string>> };
function choice<const V extends readonly [string, ...string[]]>(values: V, label: string, look: ChoiceLook = {}) {
  return { kind: 'choice' as const, label, optional: false, values, ...look, schema: z.enum(values) };
}
function optionalChoice<const V extends readonly [string, ...string[]]>(values: V, label: string, look: ChoiceLook = {}) {
  return { kind: 'choice' as const, label, optional: true, values, ...look, schema: z.enum(values).optional() };
}

type Fields = Record<string, OpField>;
type Shape<F extends Fields> = { [K in keyof F]: F[K]['schema'] };
/** An op's own fields as a handler holds them. */
type Values<F extends Fields> = z.output<z.ZodObject<Shape<F>>>;

/** What an op's step is compiled against: one handler, in one faulting task, in one era (compileHandler). */
export interface HandlerContext {
  t: TaskCtx;
  /** The task as a lock holder. */
  me: number;
  /** The page cache slot the handler works on: its own lookup if it made one, else vmf->page. */
  slot(v: Vec): number;
  /** A return value ("0", "LOCKED", "-EINVAL") as this handler returns it in this era. */
  ret(text: string): number;
  /** Leave the handler returning `ret`, dropping what it holds; the label the VM goes on at. */
  leave(v: Vec, ret: number, unlockIfHeld: boolean): string;
  /** What a step that may leave touches: the page and every lock the handler takes. */
  leaveTouches: string[];
  /** The labels leave() returns. */
  exits: string[];
  /** An allocate's result: the actor's own `alloc` wins for the first. */
  allocation(result: AllocResult | undefined): AllocResult;
}

/** A step as an op compiles it; compileHandler adds where it comes from (fn, loc) and an op's own desc. */
export type OpStep = Omit<StepSpec, 'fn' | 'loc'>;

interface OpRow<F extends Fields> {
  /** What the editor's op list calls it. */
  text: string;
  fields: F;
  /** The op as the editor adds it. */
  fresh: Values<F>;
  /** The locks it takes, which leaving the handler drops. */
  takes?(op: Values<F>): string[];
  step(op: Values<F>, h: HandlerContext): OpStep;
}

// Infers each row's fields, so that its fresh op and its step are typed by them.
const row = <F extends Fields>(r: OpRow<F>) => r;

const fieldAt = (h: HandlerContext, v: Vec, f: number) => pageAt(h.t.l, h.slot(v), f);
const lockAt = (h: HandlerContext, v: Vec) => fieldAt(h, v, PF.LOCK);

/** In the order the editor lists them. */
export const OPS = {
  lockPage: row({
    text: 'lock_page(page)', fields: {}, fresh: {},
    step: (_, h) => ({ desc: 'lock_page(page)', touches: [h.t.page], emits: [{ event: 'LockedByFs' }], blocked: (v) => busy(v, lockAt(h, v)), run: (v) => { v[lockAt(h, v)] = h.me; return ''; } }),
  }),
  unlockPage: row({
    text: 'unlock_page(page)', fields: {}, fresh: {},
    step: (_, h) => ({ desc: 'unlock_page(page)', touches: [h.t.page], run: (v) => { unlockPage(h.t, v, h.slot(v)); return ''; } }),
  }),
  /** Fail with `fail` if any enabled test trips: page->mapping != inode mapping, page offset
   *  > (gt) or >= (ge) i_size, !PageUptodate. `release` drops the space reservation first. */
  check: row({
    text: 'check the page; on failure return',
    fields: {
      mapping: flag('page->mapping changed'),
      uptodate: flag('!PageUptodate'),
      size: optionalChoice(['gt', 'ge'], 'offset vs i_size', { captioned: true, options: { '': 'not checked', gt: '> i_size', ge: '>= i_size' } }),
      release: flag('release the reservation'),
      fail: ret('return on failure'),
    },
    fresh: { mapping: true, fail: 'NOPAGE' },
    step: (op, h) => {
      const ret = h.ret(op.fail);
      const tests = [op.mapping && 'page->mapping != inode->i_mapping', op.size && `page offset ${op.size === 'gt' ? '>' : '>='} i_size`, op.uptodate && '!PageUptodate(page)'].filter(Boolean);
      return {
        desc: `${tests.join(' || ')} -> return ${op.fail}`, touches: h.leaveTouches, reads: op.size ? ['isize'] : [], exits: h.exits,
        run: (v) => {
          const bad = (op.mapping && v[fieldAt(h, v, PF.MAPPING)] === 0)
            || (op.size === 'gt' && h.t.index > v[G.ISIZE])
            || (op.size === 'ge' && h.t.index >= v[G.ISIZE])
            || (op.uptodate && v[fieldAt(h, v, PF.UPTODATE)] === 0);
          if (!bad) return '';
          if (op.release) v[fieldAt(h, v, PF.PREPARED)] = 0;
          return h.leave(v, ret, true);
        },
      };
    },
  }),
  /** Allocate blocks / reserve space for the page (prepared = 1), or fail with an errno. */
  allocate: row({
    text: 'allocate blocks / reserve space',
    // 'ok' is what none means, so the editor offers only none.
    fields: { result: optionalChoice(ALLOC_RESULTS, 'allocation result', { options: { '': 'succeeds', ENOMEM: 'fails with -ENOMEM', ENOSPC: 'fails with -ENOSPC' } }) },
    fresh: {},
    step: (op, h) => {
      const result = h.allocation(op.result);
      const ret = result === 'ok' ? 0 : h.ret(`-${result}`);
      return {
        desc: result === 'ok' ? 'allocate blocks / reserve space for the page' : `allocation fails with -${result}`, touches: h.leaveTouches, exits: h.exits,
        run: (v) => {
          if (result !== 'ok') return h.leave(v, ret, true);
          v[fieldAt(h, v, PF.PREPARED)] = 1;
          return '';
        },
      };
    },
  }),
  setPageDirty: row({
    text: 'set_page_dirty(page)', fields: {}, fresh: {},
    step: (_, h) => ({ desc: 'set_page_dirty(page) from the filesystem', touches: [h.t.page], run: (v) => { faultSetPageDirty(h.t, v, h.slot(v)); return ''; } }),
  }),
  /** Since the 2012 series "Push file_update_time() into ->page_mkwrite" the VM leaves the
   *  file's times to a ->page_mkwrite (6.x); the model has no clock, only the event. */
  fileUpdateTime: row({
    text: 'file_update_time(file)', fields: {}, fresh: {},
    step: () => ({ desc: "file_update_time(vma->vm_file): the filesystem updates the file's times", touches: [], emits: [{ event: 'FileTimeUpdated' }], run: () => '' }),
  }),
  /** find_or_create_page(mapping, index): work on whatever page the cache holds at the index
   *  from here on (locked and referenced), not on the page the VM passed. */
  findOrCreatePage: row({
    text: 'find_or_create_page(): the cache’s page instead of the VM’s', fields: {}, fresh: {},
    step: (_, { t, me }) => ({
      desc: `find_or_create_page(mapping, ${t.index}): the page now in the cache (a new one if it was truncated), locked`, touches: [t.page],
      blocked: (v) => { const c = cachedSlot(t, v, t.index); return c >= 0 && busy(v, pageAt(t.l, c, PF.LOCK)); },
      run: (v) => {
        let c = cachedSlot(t, v, t.index);
        if (c < 0) { c = allocPage(t, v, t.index); v[pageAt(t.l, c, PF.UPTODATE)] = 1; } // read in: I/O not modelled
        else v[pageAt(t.l, c, PF.LOCK)] = me;
        v[pageAt(t.l, c, PF.REF)]++;
        v[local(t, L.FS_PAGE)] = c + 1;
        return '';
      },
    }),
  }),
  /** ext4's PageMappedToDisk fast path: already prepared -> unlock the page and return `ret`. */
  skipIfPrepared: row({
    text: 'already prepared: unlock and return', fields: { ret: ret('return value') }, fresh: { ret: 'LOCKED' },
    step: (op, h) => {
      const ret = h.ret(op.ret);
      return {
        desc: `page already prepared (mapped to disk) -> unlock_page, return ${op.ret}`, touches: h.leaveTouches, exits: h.exits,
        run: (v) => (v[fieldAt(h, v, PF.PREPARED)] === 1 ? h.leave(v, ret, true) : ''),
      };
    },
  }),
  clusterLock: row({
    text: 'take the cluster lock (EX)', fields: {}, fresh: {}, takes: () => ['cluster'],
    step: (_, { me }) => ({
      desc: 'take the EX cluster lock (blocks truncate and downconvert on this inode)', touches: ['cluster'],
      blocked: (v) => busy(v, G.CLUSTER), run: (v) => { v[G.CLUSTER] = me; return ''; },
    }),
  }),
  clusterUnlock: row({
    text: 'drop the cluster lock', fields: {}, fresh: {},
    step: (_, { me }) => ({ desc: 'drop the cluster lock', touches: ['cluster'], run: (v) => { if (v[G.CLUSTER] === me) v[G.CLUSTER] = 0; return ''; } }),
  }),
  allocSem: row({
    text: 'down(alloc semaphore)',
    fields: { sem: choice(SEMS, 'semaphore'), mode: choice(['read', 'write'], 'mode') },
    fresh: { sem: 'ip_alloc_sem', mode: 'write' },
    takes: (op) => [op.sem],
    step: (op, { t }) => {
      const at = semAt(op.sem), write = op.mode === 'write';
      return {
        desc: `${write ? 'down_write' : 'down_read'}(${op.sem})`, touches: [op.sem],
        blocked: (v) => rwsemBlocked(v, at, write),
        run: (v) => { rwsemDown(t, v, at, write); if (!write) v[local(t, L.AUX)] |= readerBit(op.sem); return ''; },
      };
    },
  }),
  allocSemUp: row({
    text: 'up(alloc semaphore)', fields: { sem: choice(SEMS, 'semaphore') }, fresh: { sem: 'ip_alloc_sem' },
    step: (op, { t, me }) => {
      const at = semAt(op.sem);
      return {
        desc: `up(${op.sem})`, touches: [op.sem],
        run: (v) => { if (v[at] === me) v[at] = 0; else { rwsemUp(v, at); v[local(t, L.AUX)] &= ~readerBit(op.sem); } return ''; },
      };
    },
  }),
  return: row({
    text: 'return', fields: { ret: ret('return value') }, fresh: { ret: '0' },
    step: (op, h) => {
      const ret = h.ret(op.ret);
      return { desc: `return ${op.ret}`, touches: h.leaveTouches, exits: h.exits, run: (v) => h.leave(v, ret, false) };
    },
  }),
};

export type OpName = keyof typeof OPS;
export const OP_NAMES = Object.keys(OPS) as OpName[];

/** Where a step comes from, for a bundled handler's ops; a reader's take the handler's own. */
const labels = { fn: z.string().optional(), loc: z.string().optional(), desc: z.string().optional() };
type OpSchema<K extends OpName> = z.ZodObject<{ op: z.ZodLiteral<K> } & Shape<(typeof OPS)[K]['fields']> & typeof labels, z.core.$strict>;
type AnyOpSchema = { [K in OpName]: OpSchema<K> }[OpName];

function opSchema<K extends OpName>(name: K): OpSchema<K> {
  const shape = Object.fromEntries(Object.entries(OPS[name].fields as Fields).map(([field, f]) => [field, f.schema]));
  // Built from the row at run time; its type is the row's, which zod cannot follow through Object.entries.
  return z.object({ op: z.literal(name), ...shape, ...labels }).strict() as unknown as OpSchema<K>;
}

export const handlerOpSchema = z.discriminatedUnion('op', OP_NAMES.map(opSchema) as [AnyOpSchema, ...AnyOpSchema[]]);
export type HandlerOp = z.output<typeof handlerOpSchema>;

/** Any op's row: each row's own functions are typed for its own op, which a HandlerOp is. */
export interface AnyOpRow {
  text: string;
  fields: Fields;
  takes?(op: HandlerOp): string[];
  step(op: HandlerOp, h: HandlerContext): OpStep;
}
export const opRow = (name: OpName): AnyOpRow => OPS[name] as unknown as AnyOpRow;

/** An op's fields in the table's order. */
export const opFields = (name: OpName): Array<[string, OpField]> => Object.entries(opRow(name).fields);

/** The op as the editor adds it. */
export const freshOp = (name: OpName): HandlerOp => ({ op: name, ...OPS[name].fresh }) as HandlerOp;
