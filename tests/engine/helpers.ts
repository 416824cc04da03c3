import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultScenarioDir, loadScenarios } from '../../lib/scenarios/load';
import { ERA_IDS, HANDLER_IDS, mulberry32, replay } from '../../lib/engine/index';
import type { ActorSpec, CompiledModel, ExploreResult, Scenario } from '../../lib/engine/index';
import { DONE, type Vec } from '../../lib/engine/state';
import { targetOf } from '../../lib/engine/steps';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function bundled(): Scenario[] {
  return loadScenarios(defaultScenarioDir(repoRoot)).map((l) => {
    if (!l.ok) throw new Error(l.errors.join('\n'));
    return l.scenario;
  });
}

export function scenario(id: string): Scenario {
  const s = bundled().find((x) => x.id === id);
  if (!s) throw new Error(`no bundled scenario ${id}`);
  return s;
}

/**
 * Where the reduction's footprints do not hold: at every state reachable without reduction, each
 * pair of two actors' next steps that the masks call independent must leave each other's
 * enabledness alone and, both enabled, commute. Describes the first few violations.
 */
export function independenceViolations(m: CompiledModel): string[] {
  const { programs, pcIndex } = m;
  const stepOf = (v: Vec, a: number) => { const pc = v[pcIndex[a]!]!; return pc === DONE ? undefined : programs[a]!.steps[pc]; };
  const enabled = (v: Vec, a: number) => { const s = stepOf(v, a); return s !== undefined && !s.blocked?.(v); };
  const after = (v: Vec, a: number) => { const n = v.slice(); const s = stepOf(n, a)!; n[pcIndex[a]!] = targetOf(s, s.run(n))!; return n; };
  const seen = new Set([m.init.join()]);
  const queue = [m.init];
  const found: string[] = [];
  for (let q = 0; q < queue.length && found.length < 5; q++) {
    const v = queue[q]!;
    for (let a = 0; a < programs.length; a++) {
      if (!enabled(v, a)) continue;
      const t = stepOf(v, a)!, va = after(v, a);
      if (!seen.has(va.join())) { seen.add(va.join()); queue.push(va); }
      for (let b = 0; b < programs.length; b++) {
        const u = stepOf(v, b);
        if (b === a || !u || (t.writes & u.mask) !== 0 || (t.mask & u.writes) !== 0) continue;
        const vb = enabled(v, b) ? after(v, b) : undefined;
        const ok = enabled(va, b) === (vb !== undefined) && (!vb || (enabled(vb, a) && after(va, b).join() === after(vb, a).join()));
        if (!ok) found.push(`${programs[a]!.name} "${t.desc}" and ${programs[b]!.name} "${u.desc}" at state ${v.join()}`);
      }
    }
  }
  return found;
}

/** Random choices reproducible from their seed. */
function random(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { int, pick, coin: () => next() < 0.5 };
}

/** A scenario of 3 to 6 actors, one or more of them faulting tasks, over 1 to 3 pages. */
export function randomScenario(seed: number): Scenario {
  const r = random(seed);
  const pages = 1 + r.int(3);
  const index = () => r.int(pages);
  const others: Array<() => ActorSpec> = [
    () => ({ kind: 'fault', index: index() }),
    () => { const to = r.int(pages + 1); return { kind: 'truncate', to, ...(to < pages && r.coin() ? { extendTo: pages } : {}), fs: r.pick(['generic', 'ocfs2'] as const) }; },
    () => { const from = index(); return { kind: 'punch', from, to: from + 1 + r.int(pages - from) }; },
    () => ({ kind: 'downconvert', level: r.pick(['PR', 'EX'] as const) }),
    () => ({ kind: 'writeback', ...(r.coin() ? { index: index() } : {}), consumesPrepared: r.coin() }),
    () => ({ kind: 'reclaim', index: index(), ignoreRefs: r.coin() }),
  ];
  const actors: ActorSpec[] = [{ kind: 'fault', index: index(), alloc: r.pick(['ok', 'ENOMEM', 'ENOSPC'] as const) }];
  for (let n = 3 + r.int(4); actors.length < n; ) actors.push(r.pick(others)());
  const pte = () => r.pick(['none', 'ro', 'rw'] as const);
  return {
    id: `random-${seed}`, title: `random ${seed}`, era: r.pick(ERA_IDS), handler: r.pick(HANDLER_IDS),
    file: { pages }, pages: Object.fromEntries(Array.from({ length: pages }, (_, i) => [i, r.coin() ? { pte: pte(), dirty: r.coin(), prepared: r.coin() } : {}])),
    actors, expect: { exists: ['WriteLanded'] },
  };
}

/** What a search found, as a reader sees it: reachable labels, terminal classes, verdicts. */
export function found(r: ExploreResult) {
  return {
    labels: Object.entries(r.labels).filter(([, x]) => x.reachable).map(([k]) => k).sort(),
    classes: r.classes.map((c) => [...c.outcomes].sort().join(' ')).sort(),
    verdicts: r.expectations.map((e) => `${e.kind} ${e.outcomes.join()}: ${e.verdict}`),
  };
}

/** Every reported trace replays to a terminal state showing what it is reported for. */
export function tracesReplay(sc: Scenario, r: ExploreResult): string[] {
  const bad: string[] = [];
  for (const [label, x] of Object.entries(r.labels)) {
    if (!x.reachable) continue;
    const run = replay(sc, x.trace!);
    if (!run.terminal || !run.labels.includes(label) || run.steps.length !== x.length) bad.push(`${label}: ${x.trace}`);
  }
  for (const [name, x] of Object.entries(r.outcomes)) {
    if (x.reachable && !replay(sc, x.trace!).outcomes.includes(name as never)) bad.push(`${name}: ${x.trace}`);
  }
  for (const c of r.classes) {
    if (replay(sc, c.trace).labels.sort().join(' ') !== [...c.outcomes].sort().join(' ')) bad.push(`{${c.outcomes.join(' ')}}: ${c.trace}`);
  }
  return bad;
}
