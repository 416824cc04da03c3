// What a page with claims hands its components: each claim's note, per message the slugs and the
// blocks its runners open after, and what the URL opens (?claim=, ?run=), the opened runner's
// run computed here so that it is in the HTML. Server-side: it runs the engine for that one run.

import type { Block } from '@/lib/archive/reading';
import type { Scenario } from '@/lib/engine/index';
import { toRunnable } from '@/lib/scenarios/runnable';
import { computeRun } from '@/app/components/runner/compute';
import { ScenarioRunner } from '@/app/components/runner/ScenarioRunner';
import { handlerFor, readRunnerView } from '@/app/components/runner/url-state';
import { segmentAnchor } from '@/app/components/thread/Body';
import { type ClaimNote, type NoteSource, notesOf, parseRunKey, runKeyOf, runHeading, slugsOf, titlesOf } from './notes';
import type { InitialRun } from './ClaimReading';

export interface MessageClaims {
  slugOf: (claimId: number) => string;
  slugs: string[];
  slots: Set<string>;
}

export interface PageClaims {
  notes: ClaimNote[];
  titles: Record<string, string>;
  of: Map<number, MessageClaims>;
  active: string | null;
  initialRun?: InitialRun;
}

/** The block a claim's first words are in (a text segment, a fold, a patch); else the last one. */
function blockOf(messageId: number, blocks: Block[], claimId: number): string {
  const has = (b: Block) => (b.kind === 'text' ? b.pieces : b.kind === 'quote' ? b.parts.flatMap((p) => p.pieces) : [])
    .some((p) => p.claims.includes(claimId));
  const b = blocks.find(has) ?? blocks[blocks.length - 1];
  const segment = !b ? 0 : b.kind === 'quote' ? b.parts[0]!.segment : b.segment;
  return segmentAnchor(messageId, segment);
}

export function pageClaims(messages: Array<{ id: number; blocks?: Block[]; claims?: NoteSource[] }>, query: URLSearchParams,
  scenarios: Map<string, Scenario>): PageClaims {
  const all = messages.flatMap((m) => m.claims ?? []);
  const slugs = slugsOf(all.map((c) => c.key));
  const notes: ClaimNote[] = [];
  const of = new Map<number, MessageClaims>();
  for (const m of messages) {
    if (!m.claims?.length) continue;
    const own = notesOf(m.claims, slugs, (id) => blockOf(m.id, m.blocks ?? [], id), scenarios);
    notes.push(...own);
    const byId = new Map(m.claims.map((c) => [c.id, slugs.get(c.key)!]));
    of.set(m.id, { slugOf: (id) => byId.get(id)!, slugs: own.map((n) => n.slug), slots: new Set(own.map((n) => n.block)) });
  }
  const run = parseRunKey(query.get('run') ?? '', notes);
  const claim = query.get('claim');
  const active = run?.slug ?? (claim && notes.some((n) => n.slug === claim) ? claim : null);
  const titles = titlesOf(all);
  return { notes, titles, of, active, initialRun: run ? initialRun(run.slug, run.test, notes, titles, query, scenarios) : undefined };
}

/**
 * The runner a link opened, rendered here with its run: a client component the server renders
 * in place (no Suspense boundary, so it is in the HTML itself), whose code the browser loads
 * only on pages that have one.
 */
function initialRun(slug: string, test: number, notes: ClaimNote[], titles: Record<string, string>, query: URLSearchParams,
  scenarios: Map<string, Scenario>): InitialRun {
  const t = notes.find((n) => n.slug === slug)!.tests[test]!;
  const scenario = toRunnable(scenarios.get(t.scenario)!, t.settings);
  const key = runKeyOf(slug, test);
  const view = readRunnerView(query, key, scenario)!.view;
  const r = computeRun({ kind: 'run', scenario, era: view.era, handler: handlerFor(view, scenario), selection: view.selection });
  return {
    slug, test,
    runner: <ScenarioRunner scenario={scenario} runKey={key} counterexample={t.counterexample} headingLevel={3}
      heading={runHeading(t, titles)} initial={r.ok ? { view, result: r.result } : undefined} />,
  };
}
