import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultScenarioDir, loadScenarios } from '../../lib/scenarios/load';
import type { CompiledModel, Scenario } from '../../lib/engine/index';
import { DONE } from '../../lib/engine/state';
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
  const stepOf = (v: Int32Array, a: number) => { const pc = v[pcIndex[a]!]!; return pc === DONE ? undefined : programs[a]!.steps[pc]; };
  const enabled = (v: Int32Array, a: number) => { const s = stepOf(v, a); return s !== undefined && !s.blocked?.(v); };
  const after = (v: Int32Array, a: number) => { const n = v.slice(); const s = stepOf(n, a)!; n[pcIndex[a]!] = targetOf(s, s.run(n))!; return n; };
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
