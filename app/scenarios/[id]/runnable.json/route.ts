// A bundled scenario as the in-page runner takes it (no prose, no file path): fetched when a
// reader opens a claim's runner, so thread pages carry no scenario data until then.

import { toRunnable } from '@/lib/scenarios/runnable';
import { bundledScenarios, scenarioMap } from '../../data';

export const dynamic = 'force-static';

export function generateStaticParams() {
  return bundledScenarios().flatMap((l) => (l.ok ? [{ id: l.scenario.id }] : []));
}

export async function GET(_: Request, { params }: { params: Promise<{ id: string }> }) {
  const s = scenarioMap().get((await params).id);
  if (!s) return Response.json({ error: 'no such scenario' }, { status: 404 });
  return Response.json(toRunnable(s));
}
