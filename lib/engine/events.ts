// Events: what happens at one moment of a run, to one actor. Order expectations
// (`Retried then Sigbus`, `WriteLanded before Retried`) are automata over them (patterns.ts).
//
// Three sources, one table: the moment an outcome's record is made (an actor's flags word
// gains a bit, a task's store changes state), and what a step says it did (`emits`: a fault
// attempt's return, ->page_mkwrite's, who locked the page, file_update_time).

import { AF, Vec, WRITE, flagsAt, type Layout } from './state';
import { ERRNO, formatRet, parseRet } from './vmfault';

type Source =
  | { from: 'flag'; bit: number }
  | { from: 'write'; to: number }
  | { from: 'step'; valued?: true };

export const EVENTS = {
  Retried: { from: 'flag', bit: AF.RETRIED, description: 'the store faults again after a fault returned' },
  Sigbus: { from: 'flag', bit: AF.SIGBUS, description: 'do_page_fault sends SIGBUS (VM_FAULT_SIGBUS)' },
  Oom: { from: 'flag', bit: AF.OOM, description: 'do_page_fault takes the out-of-memory path (VM_FAULT_OOM)' },
  VmBugOn: { from: 'flag', bit: AF.VM_BUG, description: 'a VM_BUG_ON fires in its path' },
  DirtiedUnprepared: { from: 'flag', bit: AF.UNPREPARED_DIRTY, description: 'its fault path dirties a page the filesystem had not prepared' },
  WriteLanded: { from: 'write', to: WRITE.CACHED, description: 'its store goes through a writable PTE into a page in the page cache' },
  DataLost: { from: 'write', to: WRITE.LOST, description: 'its store goes into a page no longer in the page cache' },
  WriteDiscarded: { from: 'write', to: WRITE.DISCARDED, description: 'the page holding its store is removed from the page cache before writeback' },
  WrittenBack: { from: 'write', to: WRITE.WRITTEN_BACK, description: 'the page holding its store is written back' },
  Returned: { from: 'step', valued: true, description: 'a fault attempt returns this to do_page_fault (Returned(NOPAGE))' },
  MkwriteReturned: { from: 'step', valued: true, description: '->page_mkwrite returns this to the VM (MkwriteReturned(LOCKED))' },
  LockedByVm: { from: 'step', description: "->page_mkwrite returned without VM_FAULT_LOCKED and the VM locks the page itself (lock_page, then the page->mapping check)" },
  LockedByFs: { from: 'step', description: '->page_mkwrite locks the page (lock_page in the handler)' },
  FileTimeUpdated: { from: 'step', description: "the fault path calls file_update_time (the file's mtime): the VM did so after dirtying the page until the 2012 series that moved it into ->page_mkwrite" },
} as const satisfies Record<string, Source & { description: string }>;

export type EventName = keyof typeof EVENTS;
export const EVENT_NAMES = Object.keys(EVENTS) as EventName[];
export type StepEventName = { [K in EventName]: (typeof EVENTS)[K]['from'] extends 'step' ? K : never }[EventName];

/** An event a step declares (StepSpec.emits): when it happens and the value it carries, read from the state before the step. */
export interface StepEvent {
  event: StepEventName;
  when?: (before: Vec) => boolean;
  value?: (before: Vec) => number;
}

export const isValued = (e: EventName) => 'valued' in EVENTS[e];

/** One event of a transition: its index in EVENT_NAMES, whom it concerns, its value (0 when not valued). */
export interface Happening { event: number; actor: number; value: number }

const FLAG_EVENTS = EVENT_NAMES.flatMap((n, i) => { const e: Source = EVENTS[n]; return e.from === 'flag' ? [{ event: i, bit: e.bit }] : []; });
const WRITE_EVENT = new Map(EVENT_NAMES.flatMap((n, i) => { const e: Source = EVENTS[n]; return e.from === 'write' ? [[e.to, i] as const] : []; }));
const EVENT_INDEX = new Map<string, number>(EVENT_NAMES.map((n, i) => [n, i]));
/** An event's number (its index in EVENT_NAMES), as happenings and the automata name it. */
export const eventIndex = (name: EventName) => EVENT_INDEX.get(name)!;

/**
 * What actor `a`'s step did between `before` and `after`, in a fixed order: what the step
 * declares, then stores changing state (any task's: a truncate discards a task's store), then
 * the flags `a` gained. `writes[t]` is task t's write local, -1 for other actors.
 */
export function happenings(l: Layout, writes: readonly number[], a: number, emits: readonly StepEvent[] | undefined, before: Vec, after: Vec, out: Happening[]): void {
  out.length = 0;
  if (emits) for (const e of emits) if (!e.when || e.when(before)) out.push({ event: eventIndex(e.event), actor: a, value: e.value ? e.value(before) : 0 });
  for (let t = 0; t < writes.length; t++) {
    const at = writes[t]!;
    if (at >= 0 && after[at] !== before[at]) {
      const event = WRITE_EVENT.get(after[at]!);
      if (event !== undefined) out.push({ event, actor: t, value: 0 });
    }
  }
  const gained = after[flagsAt(l, a)]! & ~before[flagsAt(l, a)]!;
  if (gained) for (const f of FLAG_EVENTS) if (gained & f.bit) out.push({ event: f.event, actor: a, value: 0 });
}

/** What a valued event's value must be: `0` exactly, every named VM_FAULT bit (`NOPAGE`, `LOCKED|MAJOR`), or a raw `-EINVAL`. */
export interface ValueMatch { text: string; test(value: number): boolean }

export function parseValue(text: string): ValueMatch {
  const r = parseRet(text);
  if ('errno' in r) {
    const v = -ERRNO[r.errno];
    return { text: formatRet(v), test: (x) => x === v };
  }
  const b = r.bits;
  return { text: formatRet(b), test: b === 0 ? (x) => x === 0 : (x) => x >= 0 && (x & b) === b };
}
