// The bench peer ../shared/bench-peers/fault.pml (a toy Promela model of page_mkwrite vs truncate
// vs writeback, NP = NF = 2) transcribed into the engine's step language, one step per Promela
// transition as listed by `pan -d` (truncate's and writeback's loops unrolled, see `unrolled`),
// so the same explorer can be compared with SPIN on it.
// Kept apart from the kernel model: it has its own flat state and is only used by the bench.
//
// SPIN semantics reproduced: processes created by init's `run` do not exist before it (here: a
// permanently blocked step 0 until init starts them); an atomic sequence that does not block is
// one transition (SPIN does not store its intermediate states); a finished process is removed by
// its own -end- transition only once every later-created process is gone.
// Not reproduced: SPIN's dead-variable elimination (on by default) resets locals it proves dead,
// which merges states; `spin -o2` turns it off, and then both tools store the same number of states.

import { DONE, Vec, newVec } from '../state';
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
  // Footprints for the reduction, per Promela variable (each array element its own): `touches`
  // what a step writes, `reads` what it only reads (its guard included). Steps on a process's own
  // locals touch nothing shared; init's loop, run before any other process exists, may touch any
  // mapped[k]. alive:N stands for process N's existence: init's run creates it (a process not yet
  // created waits on it), its -end- ends it (a lower pid's -end- waits on it).
  type Footprint = { touches?: string[]; reads?: string[] };
  const T = (fn: string, line: number, desc: string, run: (v: Vec) => string, o: Footprint & { blocked?: (v: Vec) => boolean; exits?: string[] } = {}): StepSpec =>
    ({ ...at(fn, line), desc, touches: [], run, ...o });
  const any = (name: string) => Array.from({ length: NP }, (_, i) => `${name}[${i}]`);
  const alive = (a: number) => `alive:${a}`;
  // -end-: removal is allowed only when every higher pid is gone (SPIN deletes processes in reverse creation order).
  const end = (a: number, line: number): StepSpec => T(ACTORS[a], line, '-end-', (v) => { v[locAt(a)] = 0; return 'done'; }, {
    exits: ['done'], touches: [alive(a)], reads: ACTORS.slice(a + 1).map((_, k) => alive(a + 1 + k)),
    blocked: (v) => { for (let b = a + 1; b < ACTORS.length; b++) if (v[pcAt(b)] !== DONE) return true; return false; },
  });
  const notCreated = (a: number): StepSpec => T(ACTORS[a], 0, 'not yet created', () => '', { blocked: () => true, reads: [alive(a)] });

  const lockPage = (a: number, p: number): StepSpec =>
    T(ACTORS[a], 17, 'atomic { !locked[p] -> locked[p] = true }', (v) => { v[g.locked + p] = 1; return ''; }, { blocked: (v) => v[g.locked + p] === 1, touches: [`locked[${p}]`] });

  const fault = (a: number, p: number): ProgramItem[] => [
    notCreated(a),
    lockPage(a, p),
    T('fault', 23, '!mapped[p] || p >= isize  /  else', (v) => (!v[g.mapped + p] || p >= v[g.isize] ? '' : 'else'), { exits: ['else'], reads: [`mapped[${p}]`, 'isize'] }),
    T('fault', 18, 'unlock_page(p)', (v) => { v[g.locked + p] = 0; return ''; }, { touches: [`locked[${p}]`] }),
    T('fault', 23, 'retry++', (v) => { v[g.retry]++; return 'end'; }, { exits: ['end'], touches: ['retry'] }),
    { label: 'else' },
    T('fault', 25, 'dirty[p] = true', (v) => { v[g.dirty + p] = 1; return ''; }, { touches: [`dirty[${p}]`] }),
    T('fault', 26, '!wb[p]', () => '', { blocked: (v) => v[g.wb + p] === 1, reads: [`wb[${p}]`] }),
    T('fault', 27, 'pte[p] = true', (v) => { v[g.pte + p] = 1; return ''; }, { touches: [`pte[${p}]`] }),
    T('fault', 18, 'unlock_page(p)', (v) => { v[g.locked + p] = 0; return ''; }, { touches: [`locked[${p}]`] }),
    { label: 'end' },
    end(a, 30),
  ];
  // A loop `do :: i < NP -> body; i++ :: else -> break od` unrolled, one copy of the body per
  // value of i: the same transitions and states (the pc of a copy and i determine each other),
  // but each copy's footprint names the elements it accesses, i.e. its `[i]`.
  const unrolled = (a: number, line: number, body: (i: number) => ProgramItem[]): ProgramItem[] => {
    const test = T(ACTORS[a], line, 'i < NP  /  else -> break', (v) => (v[locAt(a)] < NP ? '' : 'out'), { exits: ['out'] });
    return [
      ...Array.from({ length: NP }, (_, i) => [test, ...body(i)]).flat(),
      test, // i == NP
      { label: 'out' },
    ];
  };
  const truncate = (a: number): ProgramItem[] => [
    notCreated(a),
    T('truncate', 34, 'isize = 0', (v) => { v[g.isize] = 0; return ''; }, { touches: ['isize'] }),
    T('truncate', 35, 'i = 0', (v) => { v[locAt(a)] = 0; return ''; }),
    ...unrolled(a, 37, (i) => [
      T('truncate', 38, 'pte[i] = false', (v) => { v[g.pte + i] = 0; return ''; }, { touches: [`pte[${i}]`] }),
      lockPage(a, i),
      T('truncate', 40, '!wb[i]', () => '', { blocked: (v) => v[g.wb + i] === 1, reads: [`wb[${i}]`] }),
      T('truncate', 41, 'pte[i] = false', (v) => { v[g.pte + i] = 0; return ''; }, { touches: [`pte[${i}]`] }),
      T('truncate', 41, 'mapped[i] = false', (v) => { v[g.mapped + i] = 0; return ''; }, { touches: [`mapped[${i}]`] }),
      T('truncate', 41, 'dirty[i] = false', (v) => { v[g.dirty + i] = 0; return ''; }, { touches: [`dirty[${i}]`] }),
      T('truncate', 18, 'unlock_page(i)', (v) => { v[g.locked + i] = 0; return ''; }, { touches: [`locked[${i}]`] }),
      T('truncate', 43, 'i++', (v) => { v[locAt(a)]++; return ''; }),
    ]),
    T('truncate', 46, 'truncdone = true', (v) => { v[g.truncdone] = 1; return ''; }, { touches: ['truncdone'] }),
    end(a, 47),
  ];
  const writeback = (a: number): ProgramItem[] => [
    notCreated(a),
    ...unrolled(a, 52, (i) => [
      lockPage(a, i),
      T('writeback', 55, 'dirty[i] && mapped[i]  /  else', (v) => (v[g.dirty + i] && v[g.mapped + i] ? '' : `clean${i}`), { exits: [`clean${i}`], reads: [`dirty[${i}]`, `mapped[${i}]`] }),
      T('writeback', 55, 'dirty[i] = false', (v) => { v[g.dirty + i] = 0; return ''; }, { touches: [`dirty[${i}]`] }),
      T('writeback', 55, 'wb[i] = true', (v) => { v[g.wb + i] = 1; return ''; }, { touches: [`wb[${i}]`] }),
      T('writeback', 18, 'unlock_page(i)', (v) => { v[g.locked + i] = 0; return ''; }, { touches: [`locked[${i}]`] }),
      T('writeback', 55, 'wb[i] = false', (v) => { v[g.wb + i] = 0; return `next${i}`; }, { exits: [`next${i}`], touches: [`wb[${i}]`] }),
      { label: `clean${i}` },
      T('writeback', 18, 'unlock_page(i)', (v) => { v[g.locked + i] = 0; return ''; }, { touches: [`locked[${i}]`] }),
      { label: `next${i}` },
      T('writeback', 58, 'i++', (v) => { v[locAt(a)]++; return ''; }),
    ]),
    end(a, 61),
  ];
  const init = (a: number): ProgramItem[] => [
    T('init', 65, 'k = 0', (v) => { v[locAt(a)] = 0; return ''; }),
    { label: 'loop' },
    T('init', 66, 'k < NP  /  else -> break', (v) => (v[locAt(a)] < NP ? '' : 'out'), { exits: ['out'] }),
    T('init', 66, 'mapped[k] = true', (v) => { v[g.mapped + v[locAt(a)]] = 1; return ''; }, { touches: any('mapped') }),
    T('init', 66, 'k++', (v) => { v[locAt(a)]++; return 'loop'; }, { exits: ['loop'] }),
    { label: 'out' },
    T('init', 68, 'atomic { run fault(k % NP) for k < NF; run truncate(); run writeback(); run writeback() }', (v) => {
      v[locAt(a)] = NF; // k as left by the atomic loop
      for (let b = 2; b < ACTORS.length; b++) v[pcAt(b)] = 1;
      for (let k = 0; k < NF; k++) v[locAt(2 + k)] = k % NP; // fault's parameter p
      return '';
    }, { touches: ACTORS.slice(2).map((_, k) => alive(2 + k)) }),
    end(a, 73),
  ];
  const monitor = (a: number): ProgramItem[] => [
    T('monitor', 78, 'truncdone', () => '', { blocked: (v) => v[g.truncdone] === 0, reads: ['truncdone'] }),
    T('monitor', 79, 'atomic { for each j: assert(!(pte[j] && !mapped[j])) }', (v) => {
      for (let j = 0; j < NP; j++) if (v[g.pte + j] && !v[g.mapped + j]) v[g.assertFailed] = 1;
      v[locAt(a)] = NP;
      return '';
    }, { reads: [...any('pte'), ...any('mapped')], touches: ['assertFailed'] }),
    end(a, 80),
  ];
  const items: ProgramItem[][] = [init(0), monitor(1), ...Array.from({ length: NF }, (_, k) => fault(2 + k, k % NP)), truncate(2 + NF), writeback(3 + NF), writeback(4 + NF)];
  const programs: Program[] = items.map((it, a) => assemble(ACTORS[a], ['local'], it, objs));
  const init0: Vec = newVec(NG + 2 * ACTORS.length);
  init0[g.isize] = NP;
  // fault's p is a parameter, so it is part of the process from creation; set at run time above.
  return {
    name: 'fault.pml',
    init: init0,
    programs,
    pcIndex: ACTORS.map((_, a) => pcAt(a)),
    // The retry count tells the terminal states apart (every other global ends as truncate leaves it),
    // so comparing labels with and without reduction compares the terminal states themselves.
    outcomeNames: ['AssertionViolated', 'InvalidEndState', 'Retries'],
    labels: [
      { outcome: 0, label: 'AssertionViolated' }, { outcome: 1, label: 'InvalidEndState' },
      ...Array.from({ length: NF + 1 }, (_, k) => ({ outcome: 2, label: `Retries=${k}` })),
    ],
    classify: (v) => {
      const shown: number[] = v[g.assertFailed] ? [0] : [];
      // valid end: every process still alive sits at its -end- step
      if (ACTORS.some((_, a) => v[pcAt(a)] !== DONE && programs[a].steps[v[pcAt(a)]].desc !== '-end-')) shown.push(1);
      shown.push(2 + v[g.retry]);
      return shown;
    },
    view: (v) => ({ vector: Array.from(v) }),
  };
}
