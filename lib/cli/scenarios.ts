// npm run scenarios -- [--json] [--era ERA] [--handler ID] [--max-states N] [--max-millis N] [ID...]
// Runs the bundled scenarios and prints, per scenario, the outcome table, the computed verdict of
// each expectation and the search statistics. Exits 1 if an expectation fails or a file is invalid.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERA_IDS, EraId, ExploreResult, OUTCOME_NAMES, explore, reachedFor } from '../engine/index';
import { LoadResult, defaultScenarioDir, loadScenarios } from '../scenarios/load';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function parseArgs(argv: string[]) {
  const o = { json: false, era: undefined as EraId | undefined, handler: undefined as string | undefined, maxStates: undefined as number | undefined, maxMillis: undefined as number | undefined, ids: [] as string[] };
  const count = (flag: string, text: string | undefined) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes a whole number above 0, not ${text ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') o.json = true;
    else if (a === '--era') {
      const e = argv[++i];
      if (!ERA_IDS.includes(e as EraId)) throw new Error(`--era must be one of ${ERA_IDS.join(', ')}`);
      o.era = e as EraId;
    } else if (a === '--handler') o.handler = argv[++i];
    // A search's limits for every scenario run, in place of each one's own (limits:) and the defaults.
    else if (a === '--max-states') o.maxStates = count(a, argv[++i]);
    else if (a === '--max-millis') o.maxMillis = count(a, argv[++i]);
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.ids.push(a);
  }
  return o;
}

function printText(r: ExploreResult) {
  const s = r.stats;
  console.log(`\n== ${r.scenario.id}: ${r.scenario.title}`);
  console.log(`   era ${r.scenario.era}, handler ${r.scenario.handler}`);
  console.log('   outcome             reachable  shortest  terminals');
  for (const o of OUTCOME_NAMES) {
    const x = r.outcomes[o];
    const whom = reachedFor(r, o);
    console.log(`   ${o.padEnd(20)}${(x.reachable ? 'yes' : 'no').padEnd(11)}${String(x.length ?? '-').padEnd(10)}${x.terminals}${x.trace ? `   trace ${x.trace}` : ''}${whom.length ? `   for ${whom.join(', ')}` : ''}`);
  }
  for (const e of r.expectations) {
    console.log(`   ${e.verdict === 'pass' ? 'PASS' : e.verdict === 'fail' ? 'FAIL' : '????'} ${e.kind} ${e.outcomes.join(', ')}: ${e.detail}${e.trace && e.verdict === 'fail' ? ` (trace ${e.trace})` : ''}`);
  }
  const symmetry = s.symmetry ? `, ${s.statesWithoutSymmetry ?? '?'} without symmetry` : '';
  const store = s.store === 'compact' ? `; compact store: a state missed with probability <= ${s.collisionProbability!.toExponential(1)}` : '';
  console.log(`   ${s.states} states (${s.statesWithoutReduction ?? '?'} without reduction${symmetry}), ${s.transitions} transitions, ${s.terminals} terminal, ${s.millis.toFixed(2)} ms${r.complete ? '' : `, INCOMPLETE: ${r.reason}`}${store}`);
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  let loaded: LoadResult[] = loadScenarios(defaultScenarioDir(repoRoot));
  if (args.ids.length) {
    const known = new Set(loaded.map((l) => (l.ok ? l.scenario.id : l.id)));
    const unknown = args.ids.filter((id) => !known.has(id));
    if (unknown.length) {
      console.error(`unknown scenario id(s): ${unknown.join(', ')}`);
      process.exitCode = 2;
      return;
    }
    loaded = loaded.filter((l) => args.ids.includes(l.ok ? l.scenario.id : l.id));
  }
  let failed = 0;
  const json: unknown[] = [];
  for (const l of loaded) {
    if (!l.ok) {
      failed++;
      console.error(`invalid scenario file ${l.file}:\n  ${l.errors.join('\n  ')}`);
      json.push({ file: l.file, id: l.id, errors: l.errors });
      continue;
    }
    try {
      const r = explore(l.scenario, { era: args.era, handler: args.handler, maxStates: args.maxStates, maxMillis: args.maxMillis, measureUnreduced: true, measureWithoutSymmetry: true });
      if (!r.passed) failed++;
      if (args.json) json.push(r);
      else printText(r);
    } catch (e) {
      failed++;
      console.error(`${l.file}: ${(e as Error).message}`);
      json.push({ file: l.file, id: l.scenario.id, errors: [(e as Error).message] });
    }
  }
  if (args.json) console.log(JSON.stringify(json, null, 2));
  else console.log(`\n${loaded.length - failed}/${loaded.length} scenarios pass`);
  // exitCode, not exit(): a large --json output to a pipe must be flushed first
  process.exitCode = failed ? 1 : 0;
}

try {
  main();
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 2;
}
