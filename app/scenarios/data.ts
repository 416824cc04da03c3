// The bundled scenarios for the pages. Loading them (29 files: Markdown, YAML, validation) takes
// about 100 ms, so they are kept across requests and read again only when a file in the folder is
// added, removed or changed (a stat per file): an edited file still shows on the next request.

import fs from 'node:fs';
import path from 'node:path';
import { LoadResult, loadScenarios } from '@/lib/scenarios/load';
import { contentDir } from '@/lib/db/url';
import type { Scenario } from '@/lib/engine/index';
import { toRunnable, type RunnableScenario } from '@/lib/scenarios/runnable';
import { precomputeRun, type PrecomputedRun } from '@/lib/scenarios/verdict';

/** content/scenarios, relative to the directory Next runs in (the project root). */
const folder = () => path.join(contentDir(process.cwd()), 'scenarios');

let kept: { signature: string; results: LoadResult[]; scenarios: Map<string, Scenario> } | null = null;

function signature(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  return fs.readdirSync(dir).sort().map((f) => {
    const st = fs.statSync(path.join(dir, f));
    return `${f}:${st.size}:${st.mtimeMs}`;
  }).join('\n');
}

function load() {
  const dir = folder();
  const sig = signature(dir);
  if (kept?.signature !== sig) {
    const results = loadScenarios(dir);
    kept = { signature: sig, results, scenarios: new Map(results.flatMap((l) => (l.ok ? [[l.scenario.id, l.scenario] as const] : []))) };
  }
  return kept;
}

export const bundledScenarios = (): LoadResult[] => load().results;

export { scenarioHref } from './href';

/** The valid bundled scenarios by id: what claim cards run. */
export const scenarioMap = (): ReadonlyMap<string, Scenario> => load().scenarios;

const runs = new WeakMap<Scenario, { runnable: RunnableScenario; run: PrecomputedRun }>();

/**
 * A bundled scenario as its runner takes it and its run as the pages show it before any click.
 * The pages render per request (their policy's nonce), and running all 29 takes 200-400 ms: each
 * is run once per loaded scenario, and again when its file changes.
 */
export function scenarioRun(s: Scenario): { runnable: RunnableScenario; run: PrecomputedRun } {
  let kept = runs.get(s);
  if (!kept) {
    const runnable = toRunnable(s);
    runs.set(s, (kept = { runnable, run: precomputeRun(runnable) }));
  }
  return kept;
}
