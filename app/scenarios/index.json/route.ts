// The bundled scenarios as the authoring form's picker lists them: id, title, era, handler and
// what each expects, so that an author can search them by any of these.

import { connection } from 'next/server';
import { bundledScenarios } from '../data';

export interface ScenarioEntry {
  id: string;
  title: string;
  era: string;
  handler: string;
  expects: string[];
}

export async function GET() {
  await connection();
  const entries: ScenarioEntry[] = bundledScenarios().flatMap((l) => (l.ok ? [{
    id: l.scenario.id,
    title: l.scenario.title,
    era: l.scenario.era,
    handler: typeof l.scenario.handler === 'string' ? l.scenario.handler : l.scenario.handler.id,
    expects: [
      ...(l.scenario.expect.exists ?? []).map((e) => `exists ${e}`),
      ...(l.scenario.expect.never ?? []).map((e) => `never ${e}`),
      ...(l.scenario.expect.always ?? []).map((e) => `always ${e}`),
    ],
  }] : []));
  return Response.json(entries);
}
