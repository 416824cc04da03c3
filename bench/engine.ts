// npm run bench:engine — states per second on one core, the time to a verdict for each bundled
// scenario, the visited stores' memory, symmetry reduction's gain, a 10^7-state search, and a comparison with SPIN on ../shared/bench-peers/fault.pml (the same model is
// transcribed in lib/engine/toy/fault-pml.ts). Prints figures; asserts nothing. It runs bundled
// into one module (lib/cli/launch.mjs), as `npm run scenarios` runs the engine and the page's
// worker does: under tsx, module by module, the same searches run some 10% slower.

import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_LIMITS, explore, exploreModel } from '../lib/engine/index';
import type { ActorSpec, Scenario } from '../lib/engine/index';
import { compileFaultPml } from '../lib/engine/toy/fault-pml';
import { Workspace } from '../lib/engine/slots';
import { VEC_ALIGN } from '../lib/engine/state';
import { defaultScenarioDir, loadScenarios } from '../lib/scenarios/load';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The kernel model of the size table below: ocfs2-mmap-truncate and then these actors. */
const EXTRA: ActorSpec[] = [
  { kind: 'downconvert', level: 'EX' }, { kind: 'writeback' }, { kind: 'fault', index: 0 }, { kind: 'reclaim', index: 0 },
  { kind: 'writeback', index: 0 }, { kind: 'downconvert', level: 'PR' },
];
/** The bundled ocfs2-mmap-truncate, for the children below. */
function mmapTruncate(): Scenario {
  const base = loadScenarios(defaultScenarioDir(repoRoot)).find((l) => l.ok && l.scenario.id === 'ocfs2-mmap-truncate');
  if (!base?.ok) throw new Error('ocfs2-mmap-truncate is missing');
  return base.scenario;
}
/** That model, from `base` (ocfs2-mmap-truncate), with n actors (2 to 8). */
const kernelModel = (base: Scenario, n: number): Scenario => ({ ...base, actors: [...base.actors, ...EXTRA].slice(0, n) });
/** This bench again, in a process of its own, told by `env` which part to run. */
const benchChild = (env: Record<string, string>, stdout: 'pipe' | 'inherit') =>
  spawnSync(process.execPath, [path.join(repoRoot, 'lib/cli/launch.mjs'), path.join(repoRoot, 'bench/engine.ts')], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', stdout, 'inherit'] });

if (process.env.BENCH_TEN_MILLION) {
  // The 8-actor model has more than 10^7 states without reduction: explore it to that limit.
  const eight = kernelModel(mmapTruncate(), 8);
  let peakRss = process.memoryUsage().rss;
  const r = explore(eight, {
    reduction: false, symmetry: false, store: 'compact', maxStates: 10_000_000, maxMillis: 900_000,
    onProgress: () => { peakRss = Math.max(peakRss, process.memoryUsage().rss); },
  });
  peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
  const { states, millis, statesPerSecond, bytes, collisionProbability } = r.stats;
  console.log(`${fmt(states)} states in ${(millis / 1000).toFixed(1)} s (${fmt(statesPerSecond)} states/s); the search held ${(bytes / 2 ** 20).toFixed(0)} MB (${(bytes / states).toFixed(1)} B/state),`
    + ` peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB (target <= 1024 MB: ${peakRss <= 2 ** 30 ? 'met' : 'NOT met'}); P(a state missed) <= ${collisionProbability!.toExponential(1)}`);
  console.log(`  ${r.complete ? 'complete' : `stopped: ${r.reason}`}`);
  process.exit(0);
}

const VISITED_STORE = process.env.BENCH_VISITED_STORE;
if (VISITED_STORE === 'full' || VISITED_STORE === 'compact') {
  const six = kernelModel(mmapTruncate(), 6);
  const r = [0, 1, 2].map(() => explore(six, { reduction: false, store: VISITED_STORE, maxMillis: 60_000 })).sort((x, y) => x.stats.millis - y.stats.millis)[0]!;
  const { states, millis, statesPerSecond, bytes, collisionProbability } = r.stats;
  const line = `${VISITED_STORE.padEnd(8)}${fmt(states).padStart(11)} states ${millis.toFixed(0).padStart(7)} ms ${fmt(statesPerSecond).padStart(9)} states/s ${(bytes / 2 ** 20).toFixed(0).padStart(5)} MB ${(bytes / states).toFixed(1).padStart(6)} B/state`
    + (collisionProbability !== undefined ? `   P(a state missed by a fingerprint collision) <= ${collisionProbability.toExponential(1)}` : '');
  console.log(JSON.stringify({ line, rate: statesPerSecond }));
  process.exit(0);
}

// ---------------------------------------------------------------- engine throughput
const work = new Workspace(VEC_ALIGN, 1);
console.log(`== Engine throughput (one core, Node ${process.version}, the engine bundled into one module; successors hashed and vectors copied by ${work.simd ? `WebAssembly SIMD, in ${work.sharedMemory ? 'a shared' : 'an unshared'} memory` : 'JavaScript'})`);
work.release();
const toy = compileFaultPml(2, 2);
// Warm-up until the explorer and the model's step closures are optimised, then the median of 15.
for (let i = 0; i < 5; i++) exploreModel(toy, { reduction: false });
const toyRuns = Array.from({ length: 15 }, () => exploreModel(toy, { reduction: false }));
const toyMs = median(toyRuns.map((r) => r.stats.millis));
const toyStates = toyRuns[0].stats.states;
const toyRate = toyStates / (toyMs / 1000);
const toyTrRate = toyRuns[0].stats.transitions / (toyMs / 1000);
console.log(`fault.pml toy model, reduction off: ${fmt(toyStates)} states, ${fmt(toyRuns[0].stats.transitions)} transitions, median ${toyMs.toFixed(1)} ms of 15 runs`);
console.log(`  -> ${fmt(toyRate)} states/s, ${fmt(toyTrRate)} transitions/s (SPIN's rate on the same model: at the end)`);

// ---------------------------------------------------------------- scenarios
console.log('\n== Time to a verdict per bundled scenario (reduction on; median of 7 runs after warm-up)');
const loaded = loadScenarios(defaultScenarioDir(repoRoot));
let worstTwo = 0;
let kernelStates = 0, kernelMs = 0;
console.log(`${'scenario'.padEnd(34)}${'actors'.padStart(7)}${'states'.padStart(9)}${'no-POR'.padStart(9)}${'ms'.padStart(9)}   verdict`);
for (const l of loaded) {
  if (!l.ok) { console.log(`${l.id.padEnd(34)} INVALID: ${l.errors[0]}`); continue; }
  const sc = l.scenario;
  explore(sc);
  const runs = Array.from({ length: 7 }, () => explore(sc));
  const ms = median(runs.map((r) => r.stats.millis));
  const full = explore(sc, { reduction: false });
  const r = runs[0];
  if (sc.actors.length === 2) worstTwo = Math.max(worstTwo, ms);
  kernelStates += r.stats.states; kernelMs += ms;
  console.log(`${sc.id.padEnd(34)}${String(sc.actors.length).padStart(7)}${String(r.stats.states).padStart(9)}${String(full.stats.states).padStart(9)}${ms.toFixed(2).padStart(9)}   ${r.passed ? 'pass' : 'FAIL'}`);
}
console.log(`slowest two-actor scenario: ${worstTwo.toFixed(2)} ms (target < 20 ms: ${worstTwo < 20 ? 'met' : 'NOT met'})`);

// A larger kernel model for a sustained rate: ocfs2 fault + truncate + EX downconvert + writeback.
const big = loaded.find((l) => l.ok && l.scenario.id === 'ocfs2-mmap-truncate');
if (big && big.ok) {
  const sc = { ...big.scenario, actors: [...big.scenario.actors, { kind: 'downconvert' as const, level: 'EX' as const }, { kind: 'writeback' as const }] };
  for (let i = 0; i < 10; i++) explore(sc, { reduction: false });
  const runs = Array.from({ length: 15 }, () => explore(sc, { reduction: false }));
  const ms = median(runs.map((r) => r.stats.millis));
  console.log(`kernel model, 4 actors (mmap_truncate + EX downconvert + writeback), reduction off: ${fmt(runs[0].stats.states)} states in ${ms.toFixed(1)} ms -> ${fmt(runs[0].stats.states / (ms / 1000))} states/s`);
  const por = explore(sc);
  console.log(`  same with reduction: ${fmt(por.stats.states)} states in ${por.stats.millis.toFixed(1)} ms`);

  // The same model grown to 2, 4, 6 and 8 actors (two faulting tasks from 6 on), each run once
  // with reduction off and on, to the default state limit: states, rate, and the memory the search held.
  console.log(`\n== Kernel model by size (ocfs2@2.6.37; limits ${fmt(DEFAULT_LIMITS.states)} states, 60 s)`);
  console.log(`${'actors'.padEnd(8)}${'reduction'.padEnd(11)}${'states'.padStart(12)}${'ms'.padStart(10)}${'states/s'.padStart(12)}${'MB'.padStart(8)}${'B/state'.padStart(9)}   complete`);
  const base = big.scenario;
  for (const n of [2, 4, 6, 8]) {
    const sized = kernelModel(base, n);
    for (const reduction of [false, true]) {
      const r = explore(sized, { reduction, maxMillis: 60_000 });
      const { states, millis, statesPerSecond, bytes } = r.stats;
      console.log(`${String(n).padEnd(8)}${(reduction ? 'on' : 'off').padEnd(11)}${fmt(states).padStart(12)}${millis.toFixed(0).padStart(10)}${fmt(statesPerSecond).padStart(12)}${(bytes / 2 ** 20).toFixed(0).padStart(8)}${fmt(bytes / states).padStart(9)}   ${r.complete ? 'yes' : `no: ${r.reason}`}`);
    }
  }

  // The visited set at 6 actors, reduction off, to the default limit: full vectors against
  // fingerprints. Each store in a process of its own, as pan runs, and the fastest of three runs,
  // as SPIN's below: after the searches above, the explorer's calls into the model's steps have
  // seen many models' shapes, and the same search runs slower (the size table's 6-actor row
  // without reduction is the full store's: compare it with the full store's line here).
  console.log('\n== Visited store (6 actors, reduction off, to the default limit; each store in a process of its own, the fastest of 3 runs)');
  const rates: string[] = [];
  let best = 0;
  for (const store of ['full', 'compact'] as const) {
    const child = benchChild({ BENCH_VISITED_STORE: store }, 'pipe');
    const r = child.status === 0 ? JSON.parse(child.stdout) as { line: string; rate: number } : undefined;
    if (!r) { console.log(`${store}: the search failed (exit ${child.status})`); continue; }
    console.log(r.line);
    rates.push(`${store} store ${fmt(r.rate)}`);
    best = Math.max(best, r.rate);
  }
  console.log(`target (issue 19): >= 1,000,000 states/s at 6 actors with reduction off: ${best >= 1e6 ? 'met' : 'NOT met'} (${rates.join(', ')} states/s)`);

  // Symmetry: the same scenario with its faulting task two and three times over.
  console.log('\n== Symmetry reduction (identical faulting tasks; reduction on and off)');
  console.log(`${'scenario'.padEnd(40)}${'reduction'.padEnd(11)}${'states'.padStart(10)}${'without'.padStart(11)}${'saved'.padStart(8)}${'ms'.padStart(9)}`);
  const [task, ...rest] = base.actors;
  const twinned: Array<[string, ActorSpec[]]> = [
    ['2 x fault + truncate + writeback', [task!, task!, ...rest, { kind: 'writeback' }]],
    ['3 x fault + truncate', [task!, task!, task!, ...rest]],
  ];
  for (const [name, actors] of twinned) {
    for (const reduction of [false, true]) {
      const r = explore({ ...base, actors }, { reduction, measureWithoutSymmetry: true, maxMillis: 60_000 });
      const without = r.stats.statesWithoutSymmetry!;
      // Past the state limit the search without symmetry stopped: its count is a lower bound.
      const more = without > DEFAULT_LIMITS.states ? '>' : '';
      console.log(`${name.padEnd(40)}${(reduction ? 'on' : 'off').padEnd(11)}${fmt(r.stats.states).padStart(10)}${(more + fmt(without)).padStart(11)}${`${more}${(without / r.stats.states).toFixed(1)}x`.padStart(8)}${r.stats.millis.toFixed(0).padStart(9)}${r.complete ? '' : `   incomplete: ${r.reason}`}`);
    }
  }

  // Ten million states, in a process of its own so that the peak RSS is this search's alone.
  console.log('\n== 10^7 states (8 actors, reduction and symmetry off, compact store)');
  benchChild({ BENCH_TEN_MILLION: '1' }, 'inherit');
}

// ---------------------------------------------------------------- SPIN
console.log('\n== SPIN comparison on ../shared/bench-peers/fault.pml');
const pml = path.resolve(repoRoot, '../shared/bench-peers/fault.pml');
if (!existsSync(pml)) {
  console.log(`note: ${pml} not found (../shared is absent); skipping the SPIN comparison.`);
  process.exit(0);
}
const have = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
if (!have('spin')) {
  console.log('spin not found: apt-get install -y spin');
  const r = spawnSync('apt-get', ['install', '-y', 'spin'], { stdio: 'inherit' });
  if (r.status !== 0 || !have('spin')) { console.log('note: could not install spin; skipping the SPIN comparison.'); process.exit(0); }
}
if (!have('gcc')) { console.log('note: gcc not found; skipping the SPIN comparison.'); process.exit(0); }

interface SpinRun { stored: number; matched: number; transitions: number; seconds: number; rate: number }
function runSpin(label: string, spinFlags: string[], ccFlags: string[]): SpinRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'threadlab-spin-'));
  copyFileSync(pml, path.join(dir, 'fault.pml'));
  execFileSync('spin', [...spinFlags, '-a', 'fault.pml'], { cwd: dir, stdio: 'ignore' });
  execFileSync('gcc', ['-O2', '-DSAFETY', ...ccFlags, '-o', 'pan', 'pan.c'], { cwd: dir, stdio: 'ignore' });
  const best: SpinRun[] = [];
  for (let k = 0; k < 3; k++) {
    const out = execFileSync('./pan', ['-m1000000'], { cwd: dir, encoding: 'utf8' });
    const num = (re: RegExp) => Number(out.match(re)?.[1] ?? NaN);
    const stored = num(/([\d.e+]+) states, stored/), matched = num(/([\d.e+]+) states, matched/);
    const seconds = num(/elapsed time ([\d.e+-]+) seconds/);
    best.push({ stored, matched, transitions: num(/([\d.e+]+) transitions/), seconds, rate: seconds > 0 ? stored / seconds : num(/rate\s+([\d.e+]+) states\/second/) });
  }
  const r = best.sort((a, b) => a.seconds - b.seconds)[0];
  console.log(`${label.padEnd(46)} ${fmt(r.stored).padStart(9)} states, ${fmt(r.matched)} matched, ${r.seconds.toFixed(3)} s, ${fmt(r.rate)} states/s`);
  return r;
}
const spinDefault = runSpin('spin -a; cc -DNOREDUCE (default optimisations)', [], ['-DNOREDUCE']);
const spinNoDve = runSpin('spin -o2 -a; cc -DNOREDUCE (no dead-var elim.)', ['-o2'], ['-DNOREDUCE']);
const spinPor = runSpin('spin -a; cc (partial-order reduction on)', [], []);
const spinPorNoDve = runSpin('spin -o2 -a; cc (reduction, no dead-var elim.)', ['-o2'], []);
const toyPor = exploreModel(toy, { reduction: true });
console.log(`${'engine, reduction off'.padEnd(46)} ${fmt(toyStates).padStart(9)} states, ${fmt(toyRuns[0].stats.transitions - toyStates + 1)} matched, ${(toyMs / 1000).toFixed(3)} s, ${fmt(toyRate)} states/s`);
console.log(`${'engine, reduction on'.padEnd(46)} ${fmt(toyPor.stats.states).padStart(9)} states, ${toyPor.stats.millis.toFixed(0)} ms`);
const SPIN_POR_TARGET = 36982; // issue 19: SPIN 6.5.2's reduced count here, with its default optimisations
console.log('\nStored states, engine beside SPIN (SPIN default | spin -o2, i.e. without dead-variable elimination):');
console.log(`  reduction off: engine ${fmt(toyStates).padStart(7)}   spin -DNOREDUCE ${fmt(spinDefault.stored).padStart(7)} | ${fmt(spinNoDve.stored).padStart(7)}`
  + `  (engine ${toyStates === spinNoDve.stored ? 'equals' : `differs by ${fmt(toyStates - spinNoDve.stored)} from`} spin -o2${toyRuns[0].stats.transitions === spinNoDve.stored - 1 + spinNoDve.matched ? ', transitions too' : ''})`);
console.log(`  reduction on:  engine ${fmt(toyPor.stats.states).padStart(7)}   spin             ${fmt(spinPor.stored).padStart(7)} | ${fmt(spinPorNoDve.stored).padStart(7)}`);
console.log(`  engine's reduced count <= ${fmt(SPIN_POR_TARGET)} (issue 19): ${toyPor.stats.states <= SPIN_POR_TARGET ? 'met' : 'NOT met'} (${fmt(toyPor.stats.states)}).`);
console.log('  Without reduction the state graphs are the same: the engine transcribes every Promela transition listed by');
console.log('  `pan -d` (atomic sequences as one step, -end- allowed only once later-created processes are gone). SPIN\'s');
console.log('  dead-variable elimination, on by default, resets locals never read again before being overwritten, which');
console.log('  merges states the engine keeps apart; `spin -o2` turns it off and the counts agree.');
console.log('  With reduction: SPIN takes a process\'s move alone only when its statement touches no global variable (pan.c');
console.log('  preselects "safe" moves: locals, exclusive channels). The engine takes a step alone when it writes nothing');
console.log('  another unfinished process may still read or write and reads nothing it may still write, per Promela variable');
console.log('  (each array element its own; truncate\'s and writeback\'s loops unrolled so that each copy names its element).');
console.log('  Compare it with spin -o2, which has no dead-variable elimination either.');
console.log(`\nRates: engine ${fmt(toyRate)} states/s vs SPIN ${fmt(spinNoDve.rate)} states/s (same model, same state count, reduction off).`);
