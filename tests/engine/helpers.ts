import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultScenarioDir, loadScenarios } from '../../lib/scenarios/load';
import type { Scenario } from '../../lib/engine/index';

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
