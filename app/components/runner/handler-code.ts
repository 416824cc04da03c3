// A composed ->page_mkwrite handler as a short text that fits a URL query value:
//   lockPage~check(mapping.SIGBUS)~allocate~return(LOCKED)
// Ops are separated by "~", arguments by "."; every character but "|" survives
// encodeURIComponent. Only what changes behaviour is kept: an op's own fn / loc / desc labels
// are not (a reader's handler is not kernel source, so its steps are labelled by the handler).

import type { HandlerOp } from '@/lib/engine/index';
import { parseRet } from '@/lib/engine/vmfault';

export type OpName = HandlerOp['op'];
type CheckOp = Extract<HandlerOp, { op: 'check' }>;
export type ErrnoMode = 'sigbus' | 'vmf_error' | 'raw';

/** The editable part of a composed handler (the engine's HandlerSpec minus its labels). */
export interface CustomHandler {
  fn: string;
  errno: ErrnoMode;
  ops: HandlerOp[];
}

export const OP_NAMES: readonly OpName[] = [
  'lockPage', 'unlockPage', 'check', 'allocate', 'setPageDirty', 'findOrCreatePage', 'skipIfPrepared',
  'clusterLock', 'clusterUnlock', 'allocSem', 'allocSemUp', 'return',
];
export const ERRNO_MODES: readonly ErrnoMode[] = ['sigbus', 'vmf_error', 'raw'];
export const SEMS = ['i_alloc_sem', 'ip_alloc_sem'] as const;
export const ALLOC_RESULTS = ['ok', 'ENOMEM', 'ENOSPC'] as const;
/** Characters a return value may hold: 0, VM_FAULT names joined with |, -ERRNO. */
export const RET_CHARS = /^[A-Za-z0-9_| -]*$/;
export const FN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const CHECK_FLAGS = ['mapping', 'uptodate', 'gt', 'ge', 'release'] as const;

/** The op with only its behaviour: labels dropped, so a copy from a bundled handler encodes exactly. */
export function bareOp(op: HandlerOp): HandlerOp {
  switch (op.op) {
    case 'allocSem': return { op: op.op, sem: op.sem, mode: op.mode };
    case 'allocSemUp': return { op: op.op, sem: op.sem };
    case 'check': {
      const c: CheckOp = { op: 'check', fail: op.fail };
      if (op.mapping) c.mapping = true;
      if (op.uptodate) c.uptodate = true;
      if (op.size) c.size = op.size;
      if (op.release) c.release = true;
      return c;
    }
    case 'skipIfPrepared': return { op: op.op, ret: op.ret };
    case 'allocate': return op.result ? { op: op.op, result: op.result } : { op: op.op };
    case 'return': return { op: op.op, ret: op.ret };
    default: return { op: op.op };
  }
}

function retArg(ret: string): string {
  if (!RET_CHARS.test(ret)) throw new Error(`return value "${ret}": only letters, digits, _, |, - and space`);
  return ret;
}

export function encodeOp(op: HandlerOp): string {
  switch (op.op) {
    case 'allocSem': return `allocSem(${op.sem}.${op.mode})`;
    case 'allocSemUp': return `allocSemUp(${op.sem})`;
    case 'check': {
      const flags = [op.mapping && 'mapping', op.uptodate && 'uptodate', op.size, op.release && 'release'].filter(Boolean);
      return `check(${[...flags, retArg(op.fail)].join('.')})`;
    }
    case 'skipIfPrepared': return `skipIfPrepared(${retArg(op.ret)})`;
    case 'allocate': return op.result ? `allocate(${op.result})` : 'allocate';
    case 'return': return `return(${retArg(op.ret)})`;
    default: return op.op;
  }
}

export function encodeOps(ops: readonly HandlerOp[]): string {
  return ops.map(encodeOp).join('~');
}

function checkRet(ret: string): string {
  parseRet(retArg(ret)); // throws a message naming the unknown bit or errno
  return ret;
}

function decodeOp(text: string): HandlerOp {
  const m = /^([A-Za-z]+)(?:\((.*)\))?$/.exec(text);
  if (!m) throw new Error('expected name or name(arguments)');
  const name = m[1] as OpName;
  if (!OP_NAMES.includes(name)) throw new Error(`unknown op "${m[1]}" (known: ${OP_NAMES.join(', ')})`);
  const inner = m[2];
  const args = inner === undefined ? [] : inner.split('.');
  const arity = (n: number) => {
    if (args.length !== n) throw new Error(`${name} takes ${n === 0 ? 'no arguments' : `${n} argument${n > 1 ? 's' : ''}`}, got ${args.length}`);
  };
  const oneOf = <T extends string>(v: string, allowed: readonly T[], what: string): T => {
    if (!allowed.includes(v as T)) throw new Error(`${what} "${v}" (expected ${allowed.join(' or ')})`);
    return v as T;
  };
  switch (name) {
    case 'allocSem':
      arity(2);
      return { op: name, sem: oneOf(args[0], SEMS, 'semaphore'), mode: oneOf(args[1], ['read', 'write'] as const, 'mode') };
    case 'allocSemUp':
      arity(1);
      return { op: name, sem: oneOf(args[0], SEMS, 'semaphore') };
    case 'check': {
      if (args.length === 0) throw new Error('check needs the value to return on failure, e.g. check(mapping.SIGBUS)');
      const op: CheckOp = { op: 'check', fail: checkRet(args[args.length - 1]) };
      for (const f of args.slice(0, -1)) {
        const flag = oneOf(f, CHECK_FLAGS, 'check flag');
        if (flag === 'gt' || flag === 'ge') {
          if (op.size) throw new Error('check takes one of gt and ge, not both');
          op.size = flag;
        } else op[flag] = true;
      }
      return op;
    }
    case 'skipIfPrepared':
    case 'return':
      arity(1);
      return { op: name, ret: checkRet(args[0]) };
    case 'allocate':
      if (args.length === 0) return { op: name };
      arity(1);
      return { op: name, result: oneOf(args[0], ALLOC_RESULTS, 'allocation result') };
    default:
      arity(0);
      return { op: name } as HandlerOp;
  }
}

/** Parse an encoded ops list; errors name the op by position and text. */
export function decodeOps(text: string): HandlerOp[] {
  if (text === '') return [];
  return text.split('~').map((part, i) => {
    try {
      return decodeOp(part);
    } catch (e) {
      throw new Error(`op ${i + 1} "${part}": ${(e as Error).message}`);
    }
  });
}
