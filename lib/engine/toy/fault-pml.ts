// The bench peer ../shared/bench-peers/fault.pml (a toy Promela model of page_mkwrite vs truncate
// vs writeback, NP = NF = 2) transcribed into the engine's step language, one step per Promela
// transition as listed by `pan -d`, so the same explorer can be compared with SPIN on it.
// Kept apart from the kernel model: it has its own flat state and is only used by the bench.
//
// SPIN semantics reproduced: processes created by init's `run` do not exist before it (here: a
// permanently blocked step 0 until init starts them); an atomic sequence that does not block is
// one transition (SPIN does not store its intermediate states); a finished process is removed by
// its own -end- transition only once every later-created process is gone.
// Not reproduced: SPIN's dead-variable elimination (on by default) resets locals it proves dead,
// which merges states; `spin -o2` turns it off, and then both tools store the same number of states.

import { DONE, Vec } from '../state';
import { ObjectBits, Program, ProgramItem, StepSpec, assemble } from '../steps';
import type { CompiledModel } from '../model';

export function compileFaultPml(NP = 2, NF = 2): CompiledModel {
  const g = { isize: 0, locked: 1, mapped: 1 + NP, dirty: 1 + 2 * NP, wb: 1 + 3 * NP, pte: 1 + 4 * NP, truncdone: 1 + 5 * NP, sigbus: 2 + 5 * NP, retry: 3 + 5 * NP, assertFailed: 4 + 5 * NP };
  const NG = 5 + 5 * NP;
  // pid order as pan.c instantiates them: init 0, the active proctype monitor 1, then init's runs.
  const ACTORS = ['init', 'monitor', ...Array.from({ length: NF }, (_, k) => `fault(${k % NP})`), 'truncate', 'writeback', 'writeback'];
  const pcAt = (a: number) => NG + 2 * a;
  const locAt = (a: number) => NG + 2 * a + 1;
  const objs = new ObjectBits();
  const at = (fn: string, line: number) => ({ fn, loc: `fault.pml:${line}` });
  // Footprints for the reduction: steps on the process's own locals touch nothing shared; every
  // global is one object 'globals'; creating and removing processes touches 'procs'.
  const T = (fn: string, line: number, desc: string, run: (v: Vec) => string, o: { blocked?: (v: Vec) => boolean; exits?: string[]; touches?: string[] } = {}): StepSpec =>
    ({ ...at(fn, line), desc, touches: ['globals'], run, ...o });
  const localOnly = { touches: [] as string[] };
  // -end-: removal is allowed only when every higher pid is gone (SPIN deletes processes in reverse creation order).
  const end = (a: number, line: number): StepSpec => T(ACTORS[a], line, '-end-', (v) => { v[locAt(a)] = 0; return 'done'; }, {
    exits: ['done'], touches: ['procs'],
    blocked: (v) => { for (let b = a + 1; b < ACTORS.length; b++) if (v[pcAt(b)] !== DONE) return true; return false; },
  });
  const notCreated = (a: number): StepSpec => T(ACTORS[a], 0, 'not yet created', () => '', { blocked: () => true, touches: ['procs'] });

  const lockPage = (a: number, idx: (v: Vec) => number): StepSpec =>
    T(ACTORS[a], 17, 'atomic { !locked[p] -> locked[p] = true }', (v) => { v[g.locked + idx(v)] = 1; return ''; }, { blocked: (v) => v[g.locked + idx(v)] === 1 });

  const fault = (a: number, p: number): ProgramItem[] => [
    notCreated(a),
    lockPage(a, () => p),
    T('fault', 23, '!mapped[p] || p >= isize  /  else', (v) => (!v[g.mapped + p] || p >= v[g.isize] ? '' : 'else'), { exits: ['else'] }),
    T('fault', 18, 'unlock_page(p)', (v) => { v[g.locked + p] = 0; return ''; }),
    T('fault', 23, 'retry++', (v) => { v[g.retry]++; return 'end'; }, { exits: ['end'] }),
    { label: 'else' },
    T('fault', 25, 'dirty[p] = true', (v) => { v[g.dirty + p] = 1; return ''; }),
    T('fault', 26, '!wb[p]', () => '', { blocked: (v) => v[g.wb + p] === 1 }),
    T('fault', 27, 'pte[p] = true', (v) => { v[g.pte + p] = 1; return ''; }),
    T('fault', 18, 'unlock_page(p)', (v) => { v[g.locked + p] = 0; return ''; }),
    { label: 'end' },
    end(a, 30),
  ];
  const truncate = (a: number): ProgramItem[] => { const I = locAt(a); return [
    notCreated(a),
    T('truncate', 34, 'isize = 0', (v) => { v[g.isize] = 0; return ''; }),
    T('truncate', 35, 'i = 0', (v) => { v[locAt(a)] = 0; return ''; }, localOnly),
    { label: 'loop' },
    T('truncate', 37, 'i < NP  /  else -> break', (v) => (v[locAt(a)] < NP ? '' : 'out'), { exits: ['out'], ...localOnly }),
    T('truncate', 38, 'pte[i] = false', (v) => { v[g.pte + v[I]] = 0; return ''; }),
    lockPage(a, (v) => v[I]),
    T('truncate', 40, '!wb[i]', () => '', { blocked: (v) => v[g.wb + v[I]] === 1 }),
    T('truncate', 41, 'pte[i] = false', (v) => { v[g.pte + v[I]] = 0; return ''; }),
    T('truncate', 41, 'mapped[i] = false', (v) => { v[g.mapped + v[I]] = 0; return ''; }),
    T('truncate', 41, 'dirty[i] = false', (v) => { v[g.dirty + v[I]] = 0; return ''; }),
    T('truncate', 18, 'unlock_page(i)', (v) => { v[g.locked + v[I]] = 0; return ''; }),
    T('truncate', 43, 'i++', (v) => { v[locAt(a)]++; return 'loop'; }, { exits: ['loop'], ...localOnly }),
    { label: 'out' },
    T('truncate', 46, 'truncdone = true', (v) => { v[g.truncdone] = 1; return ''; }),
    end(a, 47),
  ]; };
  const writeback = (a: number): ProgramItem[] => { const I = locAt(a); return [
    notCreated(a),
    { label: 'loop' },
    T('writeback', 52, 'i < NP  /  else -> break', (v) => (v[locAt(a)] < NP ? '' : 'out'), { exits: ['out'], ...localOnly }),
    lockPage(a, (v) => v[I]),
    T('writeback', 55, 'dirty[i] && mapped[i]  /  else', (v) => (v[g.dirty + v[I]] && v[g.mapped + v[I]] ? '' : 'clean'), { exits: ['clean'] }),
    T('writeback', 55, 'dirty[i] = false', (v) => { v[g.dirty + v[I]] = 0; return ''; }),
    T('writeback', 55, 'wb[i] = true', (v) => { v[g.wb + v[I]] = 1; return ''; }),
    T('writeback', 18, 'unlock_page(i)', (v) => { v[g.locked + v[I]] = 0; return ''; }),
    T('writeback', 55, 'wb[i] = false', (v) => { v[g.wb + v[I]] = 0; return 'next'; }, { exits: ['next'] }),
    { label: 'clean' },
    T('writeback', 18, 'unlock_page(i)', (v) => { v[g.locked + v[I]] = 0; return ''; }),
    { label: 'next' },
    T('writeback', 58, 'i++', (v) => { v[locAt(a)]++; return 'loop'; }, { exits: ['loop'], ...localOnly }),
    { label: 'out' },
    end(a, 61),
  ]; };
  const init = (a: number): ProgramItem[] => [
    T('init', 65, 'k = 0', (v) => { v[locAt(a)] = 0; return ''; }, localOnly),
    { label: 'loop' },
    T('init', 66, 'k < NP  /  else -> break', (v) => (v[locAt(a)] < NP ? '' : 'out'), { exits: ['out'], ...localOnly }),
    T('init', 66, 'mapped[k] = true', (v) => { v[g.mapped + v[locAt(a)]] = 1; return ''; }),
    T('init', 66, 'k++', (v) => { v[locAt(a)]++; return 'loop'; }, { exits: ['loop'], ...localOnly }),
    { label: 'out' },
    T('init', 68, 'atomic { run fault(k % NP) for k < NF; run truncate(); run writeback(); run writeback() }', (v) => {
      v[locAt(a)] = NF; // k as left by the atomic loop
      for (let b = 2; b < ACTORS.length; b++) v[pcAt(b)] = 1;
      for (let k = 0; k < NF; k++) v[locAt(2 + k)] = k % NP; // fault's parameter p
      return '';
    }, { touches: ['procs'] }),
    end(a, 73),
  ];
  const monitor = (a: number): ProgramItem[] => [
    T('monitor', 78, 'truncdone', () => '', { blocked: (v) => v[g.truncdone] === 0 }),
    T('monitor', 79, 'atomic { for each j: assert(!(pte[j] && !mapped[j])) }', (v) => {
      for (let j = 0; j < NP; j++) if (v[g.pte + j] && !v[g.mapped + j]) v[g.assertFailed] = 1;
      v[locAt(a)] = NP;
      return '';
    }),
    end(a, 80),
  ];
  const items: ProgramItem[][] = [init(0), monitor(1), ...Array.from({ length: NF }, (_, k) => fault(2 + k, k % NP)), truncate(2 + NF), writeback(3 + NF), writeback(4 + NF)];
  const programs: Program[] = items.map((it, a) => assemble(ACTORS[a], ['local'], it, objs));
  const init0: Vec = new Int32Array(NG + 2 * ACTORS.length);
  init0[g.isize] = NP;
  // fault's p is a parameter, so it is part of the process from creation; set at run time above.
  return {
    name: 'fault.pml',
    init: init0,
    programs,
    pcIndex: ACTORS.map((_, a) => pcAt(a)),
    outcomeNames: ['AssertionViolated', 'InvalidEndState'],
    labels: [{ outcome: 0, label: 'AssertionViolated' }, { outcome: 1, label: 'InvalidEndState' }],
    classify: (v) => {
      const shown: number[] = v[g.assertFailed] ? [0] : [];
      // valid end: every process still alive sits at its -end- step
      if (ACTORS.some((_, a) => v[pcAt(a)] !== DONE && programs[a].steps[v[pcAt(a)]].desc !== '-end-')) shown.push(1);
      return shown;
    },
    view: (v) => ({ vector: Array.from(v) }),
  };
}
