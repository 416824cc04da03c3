// Traces: the sequence of actors that moved (each actor is deterministic, so this is a full
// schedule). Compact URL-safe form: one letter per actor (a = actor 0) followed by a repeat
// count when it moved more than once in a row, e.g. "a3bc2" = a a a b c c.

import { DONE, Vec } from './state';
import type { CompiledModel } from './model';
import { targetOf } from './steps';

export function encodeTrace(actors: number[]): string {
  let out = '';
  for (let i = 0; i < actors.length; ) {
    let j = i;
    while (j < actors.length && actors[j] === actors[i]) j++;
    if (actors[i] > 25) throw new Error('trace encoding supports at most 26 actors');
    out += String.fromCharCode(97 + actors[i]) + (j - i > 1 ? String(j - i) : '');
    i = j;
  }
  return out;
}

export function decodeTrace(s: string): number[] {
  const out: number[] = [];
  const re = /([a-z])(\d*)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    m = re.exec(s);
    if (!m) throw new Error(`bad trace string at position ${pos}: "${s}"`);
    const n = m[2] ? Number(m[2]) : 1;
    for (let k = 0; k < n; k++) out.push(m[1].charCodeAt(0) - 97);
    pos = re.lastIndex;
  }
  return out;
}

/** Actors that can move in v (not finished, not blocked). */
export function enabledActors(m: CompiledModel, v: Vec): number[] {
  const out: number[] = [];
  for (let a = 0; a < m.programs.length; a++) {
    const pc = v[m.pcIndex[a]];
    if (pc === DONE) continue;
    const s = m.programs[a].steps[pc];
    if (!s.blocked || !s.blocked(v)) out.push(a);
  }
  return out;
}

/** Execute actor a's current step on a copy of v. */
export function stepActor(m: CompiledModel, v: Vec, a: number): Vec {
  const pc = v[m.pcIndex[a]];
  const step = m.programs[a].steps[pc];
  const nv = v.slice();
  const lab = step.run(nv);
  const to = targetOf(step, lab);
  if (to === undefined) throw new Error(`${m.programs[a].name}: step ${pc} (${step.fn}) returned undeclared label "${lab}"`);
  nv[m.pcIndex[a]] = to;
  return nv;
}
