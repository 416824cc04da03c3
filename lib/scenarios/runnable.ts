// What a page hands to the in-browser runner: the scenario as plain data, without the prose
// (rendered on the server) and without the server-side file path it was loaded from.

import type { EraId, Scenario } from '../engine/index';

export type RunnableScenario = Omit<Scenario, 'body' | 'source'>;

/** Settings a claim's test link may run a scenario with instead of its own. */
export interface RunSettings { era?: EraId; handler?: string }

/** The scenario as the runner gets it; with `settings`, as a test link runs it (its own from then on). */
export function toRunnable(s: Scenario, settings: RunSettings = {}): RunnableScenario {
  const { body: _body, source: _source, ...rest } = s;
  return withSettings(rest, settings);
}

/** A runnable scenario as a test link runs it. */
export function withSettings(s: RunnableScenario, settings: RunSettings): RunnableScenario {
  return { ...s, era: settings.era ?? s.era, handler: settings.handler ?? s.handler };
}
