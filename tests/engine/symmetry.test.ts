// Symmetry reduction stores interchangeable actors' states once; what a search reports per actor
// must not change: the same labels, terminal classes and verdicts with it on and off, and every
// reported trace replays to its label.
import { describe, expect, it } from 'vitest';
import { compileScenario, explore, mulberry32 } from '../../lib/engine/index';
import type { RunOptions, Scenario } from '../../lib/engine/index';
import { canonicaliser } from '../../lib/engine/symmetry';
import { enabledActors, stepActor } from '../../lib/engine/trace';
import { RW_READERS, type Vec } from '../../lib/engine/state';
import { bundled, found, randomScenario, tracesReplay } from './helpers';

/** A random scenario's first three or four actors, its first faulting task twice, some with another actor twice as well. */
function withTwins(seed: number): Scenario {
  const sc = randomScenario(seed);
  const actors = sc.actors.slice(0, 3 + (seed % 2));
  const twin = actors[1 + (seed % (actors.length - 1))]!;
  return { ...sc, id: `twins-${seed}`, actors: [...actors, { ...actors[0]! }, ...(seed % 3 === 0 ? [{ ...twin }] : [])], expect: { exists: ['WriteLanded', 'Sigbus'], never: ['DataLost'], always: ['WriteLanded', 'WriteDiscarded', 'Retried'] } };
}

const limits: RunOptions = { maxStates: 40_000, maxMillis: 20_000 };

describe('symmetry reduction', () => {
  it('brings every renaming of a state to one representative', () => {
    const sc: Scenario = {
      id: 'three', title: 'three tasks at one page, truncate and writeback', era: '2.6.37', handler: 'ocfs2@2.6.37', file: { pages: 2 },
      actors: [{ kind: 'fault', index: 0 }, { kind: 'truncate', to: 0 }, { kind: 'fault', index: 0 }, { kind: 'writeback' }, { kind: 'fault', index: 0 }, { kind: 'writeback' }],
      expect: {},
    };
    const m = compileScenario(sc);
    const sym = m.symmetry!;
    expect(sym.groups).toEqual([[0, 2, 4], [3, 5]]);
    const canon = canonicaliser(sym, m.programs.length);
    const to = new Int32Array(m.programs.length);
    const rnd = mulberry32(7);
    /** The state with actor a's block and name moved to sigma[a]. */
    const rename = (v: Vec, sigma: number[]) => {
      const w = v.slice();
      sigma.forEach((b, a) => w.set(v.subarray(sym.base[a]!, sym.base[a]! + sym.length[a]!), sym.base[b]!));
      for (const at of sym.actorSlots) if (v[at]! > 0 && v[at]! < RW_READERS) w[at] = sigma[v[at]! - 1]! + 1;
      return w;
    };
    const shuffled = (g: number[]) => { const x = [...g]; for (let i = x.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [x[i], x[j]] = [x[j]!, x[i]!]; } return x; };
    let renamedStates = 0;
    for (let run = 0; run < 40; run++) {
      let v: Vec = m.init.slice();
      for (let k = 0; k < 60; k++) {
        const en = enabledActors(m, v);
        if (en.length === 0) break;
        v = stepActor(m, v, en[Math.floor(rnd() * en.length)]!);
        const sigma = Array.from({ length: m.programs.length }, (_, a) => a);
        for (const g of sym.groups) shuffled(g).forEach((b, i) => { sigma[g[i]!] = b; });
        const a = v.slice(), b = rename(v, sigma);
        canon(a, to);
        // `to` says where each block went: renaming v by it gives the representative.
        expect(Array.from(rename(v, Array.from(to)))).toEqual(Array.from(a));
        canon(b, to);
        expect(Array.from(b)).toEqual(Array.from(a));
        if (sigma.some((x, i) => x !== i)) renamedStates++;
      }
    }
    expect(renamedStates).toBeGreaterThan(1000);
  });

  it('reports the same for every bundled scenario with it on and off', () => {
    for (const sc of bundled()) {
      const on = explore(sc), off = explore(sc, { symmetry: false });
      expect(found(on), sc.id).toEqual(found(off));
    }
  });

  it('reports the same labels, classes and verdicts for random scenarios with twin actors, and saves states', () => {
    let compared = 0, saved = 0;
    for (let seed = 1; seed <= 24; seed++) {
      const sc = withTwins(seed);
      const off = explore(sc, { ...limits, symmetry: false });
      const on = explore(sc, limits);
      expect(on.stats.symmetry).toBe(true);
      expect(tracesReplay(sc, on), sc.id).toEqual([]);
      if (!on.complete || !off.complete) continue;
      compared++;
      expect(found(on), sc.id).toEqual(found(off));
      // Breadth first, with or without symmetry, finds each label at the same shortest depth (reduction aside).
      if (seed % 4 === 0) {
        const [a, b] = [explore(sc, { ...limits, reduction: false }), explore(sc, { ...limits, reduction: false, symmetry: false })];
        if (a.complete && b.complete) {
          expect(found(a), sc.id).toEqual(found(b));
          for (const [label, x] of Object.entries(a.labels)) expect([label, x.length]).toEqual([label, b.labels[label]!.length]);
        }
      }
      saved += off.stats.states - on.stats.states;
    }
    expect(compared).toBeGreaterThanOrEqual(8);
    expect(saved).toBeGreaterThan(0);
  });

  it('keeps a preemption-bounded search’s results, and stays off when a bound meets partial-order reduction', () => {
    const sc: Scenario = {
      id: 'twins-bounded', title: 'two tasks, truncate, writeback', era: '2.6.37', handler: 'ocfs2@3.2', file: { pages: 1 },
      actors: [{ kind: 'fault', index: 0 }, { kind: 'truncate', to: 0 }, { kind: 'fault', index: 0 }, { kind: 'writeback' }],
      expect: { exists: ['Sigbus(fault[0])', 'Sigbus(fault[0]#2)'], always: ['WriteLanded', 'Sigbus'] },
    };
    for (const preemptionBound of [0, 1, 2]) {
      const on = explore(sc, { preemptionBound, reduction: false }), off = explore(sc, { preemptionBound, reduction: false, symmetry: false });
      expect(on.stats.states).toBeLessThan(off.stats.states);
      expect(found(on), `bound ${preemptionBound}`).toEqual(found(off));
      expect(tracesReplay(sc, on)).toEqual([]);
      const por = explore(sc, { preemptionBound });
      expect(por.stats.symmetry).toBe(false);
      expect(found(por)).toEqual(found(explore(sc, { preemptionBound, symmetry: false })));
    }
  });

  it('says how many states it saved, and gives each twin its own outcome with a trace that reaches it', () => {
    const sc: Scenario = {
      id: 'twins', title: 'two tasks at one page and a truncate', era: '2.6.37', handler: 'ocfs2@3.2', file: { pages: 1 },
      actors: [{ kind: 'fault', index: 0 }, { kind: 'truncate', to: 0 }, { kind: 'fault', index: 0 }],
      expect: { exists: ['Sigbus(fault[0])', 'Sigbus(fault[0]#2)', 'WriteDiscarded(fault[0]#2)'] },
    };
    const r = explore(sc, { measureWithoutSymmetry: true });
    expect(r.passed).toBe(true);
    expect(r.stats.statesWithoutSymmetry).toBe(explore(sc, { symmetry: false }).stats.states);
    expect(r.stats.states).toBeLessThan(r.stats.statesWithoutSymmetry!);
    expect(found(r)).toEqual(found(explore(sc, { symmetry: false })));
    expect(tracesReplay(sc, r)).toEqual([]);
  });
});
