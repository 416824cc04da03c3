// Targeted tests that pin the model's behaviour to the kernel facts it encodes.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  HandlerSpec, OUTCOME_NAMES, Scenario, decodeTrace, encodeTrace, explore, randomRun, replay, runSchedule,
} from '../../lib/engine/index';
import { repoRoot, scenario } from './helpers';

describe('ocfs2 ->page_mkwrite: v2.6.37 against the 3.2 fix', () => {
  const sc = scenario('ocfs2-late-einval-sigbus');
  it('v2.6.37 raises SIGBUS when the page leaves the cache after check (B)', () => {
    const r = explore(sc, { handler: 'ocfs2@2.6.37' });
    expect(r.outcomes.Sigbus.reachable).toBe(true);
    const run = replay(sc, r.outcomes.Sigbus.trace!);
    const where = run.steps.map((s) => s.location);
    expect(where).toContain('fs/ocfs2/aops.c:1142-1151'); // the late -EINVAL
  });
  it('the 3.2 fix never raises SIGBUS there and retries instead', () => {
    const r = explore(sc, { handler: 'ocfs2@3.2' });
    expect(r.outcomes.Sigbus.reachable).toBe(false);
    expect(r.outcomes.Retried.reachable).toBe(true);
    expect(r.outcomes.WriteLanded.reachable).toBe(true);
  });
  it('the i_size check still gives SIGBUS for a store beyond EOF, fixed or not', () => {
    const trunc = scenario('ocfs2-mmap-truncate');
    for (const handler of ['ocfs2@2.6.37', 'ocfs2@3.2']) expect(explore(trunc, { handler }).outcomes.Sigbus.reachable).toBe(true);
  });
});

describe('eras', () => {
  it('2.6.29: block_page_mkwrite against a hole punch gives SIGBUS; 56a76f82 retries instead', () => {
    const sc = scenario('block-2629-sigbus');
    expect(explore(sc).outcomes.Sigbus.reachable).toBe(true);
    const after = explore(sc, { era: '2.6.30-rc1', handler: 'block@2.6.30-rc1' });
    expect(after.outcomes.Sigbus.reachable).toBe(false);
    expect(after.outcomes.Retried.reachable).toBe(true);
  });

  it('a changed PTE after ->page_mkwrite: 6.x returns VM_FAULT_NOPAGE, 2.6.37 returns 0', () => {
    const sc = scenario('v6-nopage-on-changed-pte');
    const resultAfter = (era: '6.x' | '2.6.37', fn: string) => {
      const r = explore(sc, { era });
      const run = replay(sc, r.outcomes.Retried.trace!, { era });
      const k = run.steps.findIndex((s) => s.kernelFunction === fn && s.description.startsWith('!pte_same'));
      expect(k).toBeGreaterThanOrEqual(0);
      return run.states[k + 1].actors[0].locals.faultResult;
    };
    expect(resultAfter('6.x', 'finish_mkwrite_fault')).toBe('VM_FAULT_NOPAGE');
    expect(resultAfter('2.6.37', 'do_wp_page')).toBe('0');
  });

  it('before b827e496 writeback can clean the page in the window; LOCKED closes it', () => {
    expect(explore(scenario('writeback-race-before-b827e496')).outcomes.DirtiedUnprepared.reachable).toBe(true);
    expect(explore(scenario('writeback-race-closed-b827e496')).outcomes.DirtiedUnprepared.reachable).toBe(false);
  });
});

describe('composable handlers', () => {
  const base: Scenario = {
    id: 'composed', title: 'composed', era: '2.6.37', handler: 'block@2.6.37',
    file: { pages: 2 }, actors: [{ kind: 'fault', index: 0 }, { kind: 'punch', from: 0, to: 1 }], expect: { exists: ['WriteLanded'] },
  };
  const spec = (fail: string): HandlerSpec => ({
    id: 'mine', title: 'mine', fn: 'my_page_mkwrite', errno: 'vmf_error',
    ops: [{ op: 'lockPage' }, { op: 'check', mapping: true, fail }, { op: 'allocate' }, { op: 'return', ret: 'LOCKED' }],
  });
  it('the same handler with NOPAGE retries and with SIGBUS kills the task', () => {
    expect(explore(base, { handler: spec('NOPAGE') }).outcomes.Sigbus.reachable).toBe(false);
    expect(explore(base, { handler: spec('SIGBUS') }).outcomes.Sigbus.reachable).toBe(true);
  });
  it('an allocation failure maps through the handler errno policy', () => {
    const alone: Scenario = { ...base, actors: [{ kind: 'fault', index: 0, alloc: 'ENOMEM' }] };
    expect(explore(alone, { handler: 'btrfs@2.6.37' }).outcomes.Oom.reachable).toBe(true);
    expect(explore(alone, { handler: 'ocfs2@2.6.37' }).outcomes.Oom.reachable).toBe(false);
    expect(explore(alone, { handler: 'ocfs2@2.6.37' }).outcomes.Sigbus.reachable).toBe(true);
  });
});

describe('deadlock', () => {
  it('a page-lock-then-cluster-lock handler deadlocks against an EX downconvert, and the trace shows it', () => {
    const sc = scenario('lock-order-deadlock');
    const r = explore(sc);
    expect(r.outcomes.Deadlock.reachable).toBe(true);
    const run = replay(sc, r.outcomes.Deadlock.trace!);
    expect(run.terminal).toBe(true);
    expect(run.outcomes).toContain('Deadlock');
    const last = run.states[run.states.length - 1];
    expect(last.locks.clusterLock).toBe('downconvert(EX)');
    expect(last.pages.find((p) => p.index === 0)?.lockedBy).toBe('fault[0]');
  });
  it('the real ocfs2 order (cluster lock first) does not deadlock', () => {
    expect(explore(scenario('lock-order-deadlock'), { handler: 'ocfs2@3.2' }).outcomes.Deadlock.reachable).toBe(false);
  });
});

describe('traces', () => {
  it('encode/decode round-trips', () => {
    const acts = [0, 0, 0, 1, 2, 2, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    const s = encodeTrace(acts);
    expect(s).toBe('a3bc2ab12');
    expect(decodeTrace(s)).toEqual(acts);
    expect(() => decodeTrace('a3!')).toThrow(/bad trace/);
  });
  it('every outcome trace replays to a terminal state showing that outcome', () => {
    for (const id of ['ocfs2-mmap-truncate', 'ocfs2-return-0-downconvert', 'writeback-race-before-b827e496']) {
      const sc = scenario(id);
      const r = explore(sc);
      for (const o of OUTCOME_NAMES) {
        const x = r.outcomes[o];
        if (!x.reachable) continue;
        const run = replay(sc, x.trace!);
        expect(run.error).toBeUndefined();
        expect(run.terminal).toBe(true);
        expect(run.outcomes).toContain(o);
        expect(run.steps.length).toBe(x.length);
        expect(run.trace).toBe(x.trace);
      }
    }
  });
  it('replay rejects a schedule that moves a blocked or finished actor', () => {
    const run = runSchedule(scenario('seed-return-0-minor-fault'), [1]);
    expect(run.error).toMatch(/cannot move/);
  });
  it('a random run is reproducible from its seed and ends in a terminal state', () => {
    const sc = scenario('ocfs2-mmap-truncate');
    const a = randomRun(sc, 42), b = randomRun(sc, 42);
    expect(a.trace).toBe(b.trace);
    expect(a.terminal).toBe(true);
    expect(replay(sc, a.trace).outcomes).toEqual(a.outcomes);
  });
  it('results cross a worker boundary unchanged (plain JSON)', () => {
    const sc = scenario('ocfs2-mmap-truncate');
    const r = explore(sc);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    const run = replay(sc, r.outcomes.Sigbus.trace!);
    expect(JSON.parse(JSON.stringify(run))).toEqual(run);
  });
});

describe('limits and bounds', () => {
  const sc = scenario('ocfs2-mmap-truncate');
  it('a state limit stops the search with an incomplete result', () => {
    const r = explore(sc, { maxStates: 20 });
    expect(r.complete).toBe(false);
    expect(r.reason).toMatch(/state limit/);
    expect(r.expectations.some((e) => e.verdict === 'unknown')).toBe(true);
    expect(r.passed).toBe(false);
  });
  it('a time limit of 0 ms stops a larger search', () => {
    const big: Scenario = { ...sc, actors: [...sc.actors, { kind: 'writeback' }, { kind: 'downconvert', level: 'EX' }] };
    const r = explore(big, { maxMillis: 0, reduction: false });
    expect(r.complete).toBe(false);
    expect(r.reason).toMatch(/time limit/);
  });
  it('a preemption bound explores a subset', () => {
    const full = explore(sc, { reduction: false });
    const b0 = explore(sc, { reduction: false, preemptionBound: 0 });
    expect(b0.complete).toBe(true);
    expect(b0.stats.states).toBeLessThan(full.stats.states);
    for (const o of OUTCOME_NAMES) if (b0.outcomes[o].reachable) expect(full.outcomes[o].reachable).toBe(true);
  });
});

describe('purity', () => {
  it('lib/engine imports nothing from Node, React, Next or Prisma', () => {
    const dir = path.join(repoRoot, 'lib/engine');
    const files: string[] = [];
    const walk = (d: string) => readdirSync(d).forEach((f) => { const p = path.join(d, f); statSync(p).isDirectory() ? walk(p) : files.push(p); });
    walk(dir);
    const bad = files.filter((f) => /from ['"](node:|fs|path|os|react|next|@prisma)/.test(readFileSync(f, 'utf8')));
    expect(bad).toEqual([]);
  });
});

describe('page accounting', () => {
  it('at the end of random runs every page is referenced exactly by the page cache and its PTEs, and unlocked', async () => {
    const { bundled } = await import('./helpers');
    for (const sc of bundled()) {
      for (let seed = 1; seed <= 15; seed++) {
        const run = randomRun(sc, seed);
        expect(run.terminal).toBe(true);
        if (run.outcomes.includes('Deadlock') || run.outcomes.includes('VmBugOn')) continue;
        const end = run.states[run.states.length - 1];
        for (const p of end.pages) {
          const mapped = end.ptes.filter((e) => e.page === p.slot && e.state !== 'none').length;
          expect({ id: sc.id, seed, slot: p.slot, ref: p.refcount, locked: p.lockedBy })
            .toEqual({ id: sc.id, seed, slot: p.slot, ref: (p.inPageCache ? 1 : 0) + mapped, locked: null });
        }
      }
    }
  });
});
