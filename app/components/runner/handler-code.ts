// A composed ->page_mkwrite handler as a short text that fits a URL query value:
//   lockPage~check(mapping.SIGBUS)~allocate~return(LOCKED)
// Ops are separated by "~", arguments by "."; every character but "|" survives
// encodeURIComponent. Only what changes behaviour is kept: an op's own fn / loc / desc labels
// are not (a reader's handler is not kernel source, so its steps are labelled by the handler).
// Which arguments an op takes is its row's fields in lib/engine/handlers/ops.ts.

import { OP_NAMES, freshOp, opFields } from '@/lib/engine/index';
import type { ErrnoMode, HandlerOp, OpField, OpName } from '@/lib/engine/index';
import { parseRet } from '@/lib/engine/vmfault';

/** The editable part of a composed handler (the engine's HandlerSpec minus its labels). */
export interface CustomHandler {
  fn: string;
  errno: ErrnoMode;
  ops: HandlerOp[];
}

/** Characters a return value may hold: 0, VM_FAULT names joined with |, -ERRNO. */
export const RET_CHARS = /^[A-Za-z0-9_| -]*$/;
export const FN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A field's value in an op of any kind. */
const valueOf = (op: HandlerOp, field: string) => (op as Record<string, unknown>)[field];
/** Given: a flag set, a choice or return value there. */
const given = (v: unknown) => v !== undefined && v !== false;

/** The op with only its behaviour: labels dropped, so a copy from a bundled handler encodes exactly. */
export function bareOp(op: HandlerOp): HandlerOp {
  const bare: Record<string, unknown> = { op: op.op };
  for (const [field] of opFields(op.op)) if (given(valueOf(op, field))) bare[field] = valueOf(op, field);
  return bare as HandlerOp;
}

function retArg(ret: string): string {
  if (!RET_CHARS.test(ret)) throw new Error(`return value "${ret}": only letters, digits, _, |, - and space`);
  return ret;
}

/** The optional fields given, as tokens (a flag's name, a choice's value), then the required values in order. */
export function encodeOp(op: HandlerOp): string {
  const fields = opFields(op.op);
  const tokens = fields.filter(([field, f]) => f.optional && given(valueOf(op, field)))
    .map(([field, f]) => (f.kind === 'flag' ? field : String(valueOf(op, field))));
  const values = fields.filter(([, f]) => !f.optional)
    .map(([field, f]) => (f.kind === 'ret' ? retArg(String(valueOf(op, field))) : String(valueOf(op, field))));
  const args = [...tokens, ...values];
  return args.length === 0 ? op.op : `${op.op}(${args.join('.')})`;
}

export function encodeOps(ops: readonly HandlerOp[]): string {
  return ops.map(encodeOp).join('~');
}

function checkRet(ret: string): string {
  parseRet(retArg(ret)); // throws a message naming the unknown bit or errno
  return ret;
}

const argumentCount = (n: number) => (n === 0 ? 'no arguments' : `${n} argument${n > 1 ? 's' : ''}`);
/** The tokens an optional field may be written as. */
const tokensOf = ([field, f]: [string, OpField]) => (f.kind === 'choice' ? f.values : [field]);

function decodeOp(text: string): HandlerOp {
  const m = /^([A-Za-z]+)(?:\((.*)\))?$/.exec(text);
  if (!m) throw new Error('expected name or name(arguments)');
  const name = m[1] as OpName;
  if (!OP_NAMES.includes(name)) throw new Error(`unknown op "${m[1]}" (known: ${OP_NAMES.join(', ')})`);
  const args = m[2] === undefined ? [] : m[2].split('.');
  const fields = opFields(name);
  const required = fields.filter(([, f]) => !f.optional);
  const optional = fields.filter(([, f]) => f.optional);
  const [least, most] = [required.length, required.length + optional.length];
  if (args.length < least || args.length > most) {
    const takes = least === most ? argumentCount(least) : `${least} to ${most} arguments`;
    throw new Error(`${name} takes ${takes}, got ${args.length}; e.g. ${encodeOp(freshOp(name))}`);
  }
  const op: Record<string, unknown> = { op: name };
  const tokens = args.slice(0, args.length - least);
  required.forEach(([field, f], i) => {
    const v = args[tokens.length + i]!;
    if (f.kind === 'ret') op[field] = checkRet(v);
    else if (f.kind === 'choice' && !f.values.includes(v)) throw new Error(`${f.label} "${v}" (expected ${f.values.join(' or ')})`);
    else op[field] = v;
  });
  for (const token of tokens) {
    const found = optional.find((entry) => tokensOf(entry).includes(token));
    if (!found) {
      // One optional field is named by its label; several by what they are to the op.
      const what = optional.length === 1 ? optional[0]![1].label : `${name} flag`;
      throw new Error(`${what} "${token}" (expected ${optional.flatMap(tokensOf).join(' or ')})`);
    }
    const [field, f] = found;
    if (f.kind !== 'choice') op[field] = true;
    else if (op[field] !== undefined) throw new Error(`${name} takes one of ${f.values.join(' and ')}, not both`);
    else op[field] = token;
  }
  return op as HandlerOp;
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
