import { describe, expect, it } from 'vitest';
import { HANDLERS, HANDLER_IDS } from '@/lib/engine/index';
import type { HandlerOp } from '@/lib/engine/index';
import { bareOp, decodeOps, encodeOps } from '@/app/components/runner/handler-code';

describe('composed handler ops in a URL', () => {
  it('writes a short, readable form', () => {
    const ops: HandlerOp[] = [
      { op: 'lockPage' },
      { op: 'check', mapping: true, fail: 'SIGBUS' },
      { op: 'allocate' },
      { op: 'return', ret: 'LOCKED' },
    ];
    expect(encodeOps(ops)).toBe('lockPage~check(mapping.SIGBUS)~allocate~return(LOCKED)');
    expect(encodeURIComponent(encodeOps(ops))).toBe(encodeOps(ops));
  });

  it('reads back every op kind with every argument', () => {
    const ops: HandlerOp[] = [
      { op: 'clusterLock' },
      { op: 'allocSem', sem: 'ip_alloc_sem', mode: 'write' },
      { op: 'allocSem', sem: 'i_alloc_sem', mode: 'read' },
      { op: 'check', size: 'ge', fail: '-EINVAL' },
      { op: 'check', mapping: true, uptodate: true, size: 'gt', release: true, fail: 'LOCKED|NOPAGE' },
      { op: 'skipIfPrepared', ret: '0' },
      { op: 'findOrCreatePage' },
      { op: 'allocate', result: 'ENOMEM' },
      { op: 'setPageDirty' },
      { op: 'unlockPage' },
      { op: 'allocSemUp', sem: 'ip_alloc_sem' },
      { op: 'clusterUnlock' },
      { op: 'return', ret: '0' },
    ];
    expect(decodeOps(encodeOps(ops))).toEqual(ops);
  });

  it('round-trips every bundled handler once its labels are dropped', () => {
    for (const id of HANDLER_IDS) {
      const bare = HANDLERS[id].ops.map(bareOp);
      expect(decodeOps(encodeOps(bare)), id).toEqual(bare);
      // labels only: bareOp keeps every behavioural field
      expect(bare.map((o) => o.op)).toEqual(HANDLERS[id].ops.map((o) => o.op));
    }
    expect(bareOp({ op: 'check', mapping: true, fail: '0', fn: 'f', loc: 'x.c:1', desc: 'd' })).toEqual({ op: 'check', mapping: true, fail: '0' });
  });

  it('reads an empty list as no ops', () => {
    expect(decodeOps('')).toEqual([]);
  });

  it('names the op, its position and the reason when the text is wrong', () => {
    expect(() => decodeOps('lockPage~chek(mapping.SIGBUS)')).toThrow(/op 2 "chek\(mapping.SIGBUS\)": unknown op "chek"/);
    expect(() => decodeOps('check(mapping.SIGBOS)')).toThrow(/op 1 .*unknown VM_FAULT bit "SIGBOS"/);
    expect(() => decodeOps('return(-EWHAT)')).toThrow(/unknown errno "-EWHAT"/);
    expect(() => decodeOps('check(mapping.gt.ge.0)')).toThrow(/one of gt and ge/);
    expect(() => decodeOps('check(maping.0)')).toThrow(/check flag "maping"/);
    expect(() => decodeOps('lockPage(1)')).toThrow(/lockPage takes no arguments/);
    expect(() => decodeOps('allocSem(ip_alloc_sem)')).toThrow(/allocSem takes 2 arguments, got 1/);
    expect(() => decodeOps('allocSem(i_sem.write)')).toThrow(/semaphore "i_sem"/);
    expect(() => decodeOps('allocate(EIO)')).toThrow(/allocation result "EIO"/);
    expect(() => decodeOps('return')).toThrow(/return takes 1 argument, got 0/);
    expect(() => decodeOps('lockPage~~return(0)')).toThrow(/op 2 "": expected name/);
  });

  it('refuses to write a return value the URL form cannot hold', () => {
    expect(() => encodeOps([{ op: 'return', ret: 'LOCKED)~x' }])).toThrow(/return value "LOCKED\)~x"/);
  });
});
