import Link from 'next/link';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { ScenarioRunner } from '@/app/components/runner/ScenarioRunner';
import { Markdown } from '../Markdown';
import { bundledScenarios, scenarioHref, scenarioRun } from '../data';

type Params = { params: Promise<{ id: string }> };

// Every bundled scenario is built ahead; any other id renders this page's 404 (with dynamic params
// off, Next would hand the path on to /[list]/[mid]).
export function generateStaticParams() {
  return bundledScenarios().flatMap((l) => (l.ok ? [{ id: l.scenario.id }] : []));
}

function find(id: string) {
  const l = bundledScenarios().find((x) => x.ok && x.scenario.id === id);
  return l?.ok ? l.scenario : undefined;
}

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const s = find((await params).id);
  return { title: s ? s.title : 'Scenario not found' };
}

// Rendered per request, as every page is, for its policy's nonce (app/_http/security.ts).
export default async function ScenarioPage({ params }: Params) {
  await connection();
  const s = find((await params).id);
  if (!s) notFound();
  const ids = new Set(bundledScenarios().flatMap((l) => (l.ok ? [l.scenario.id] : [])));
  const { runnable, run } = scenarioRun(s);
  return (
    <article>
      <p className="muted"><Link href="/scenarios">Scenarios</Link> / {s.id}</p>
      <h1>{s.title}</h1>
      {s.claim && <blockquote><p>{s.claim}</p></blockquote>}
      {s.body && <Markdown text={s.body} options={{ linkCode: (t) => (ids.has(t) ? scenarioHref(t) : undefined) }} />}
      <ScenarioRunner scenario={runnable} runKey={s.id} precomputed={run} />
    </article>
  );
}
