// What a page with claims hands its components: each claim's note, per message the slugs and the
// blocks its runners open after, and what the URL opens (?claim=, ?run=), the opened runner's
// run computed here so that it is in the HTML. Server-side: it runs the engine for that one run.

import type { Block } from '@/lib/archive/reading';
import type { Scenario } from '@/lib/engine/index';
import { toRunnable } from '@/lib/scenarios/runnable';
import { computeRun } from '@/app/components/runner/compute';
import { StaticRun } from '@/app/components/runner/StaticRun';
import { handlerFor, readRunnerView } from '@/app/components/runner/url-state';
import { segmentAnchor } from '@/app/components/thread/Body';
import { type ClaimNote, type NoteSource, pageNotes, parseRunKey, runKeyOf, runHeading } from './notes';
import type { InitialRun } from './ClaimReading';

export interface MessageClaims {
  slugOf: (claimId: number) => string;
  slugs: string[];
  /** The claims whose first words are in each block (by its DOM id): their runner opens after it. */
  slots: Map<string, string[]>;
}

export interface PageClaims {
  /** The notes the HTML needs: the open claim's. The page fetches the rest (notes-json). */
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
  scenarios: ReadonlyMap<string, Scenario>): PageClaims {
  // The same notes as the page's claims.json (pageNotes on the same claims in the same order), so the slugs agree.
  const all = messages.flatMap((m) => m.claims ?? []);
  const { notes, titles } = pageNotes(all, scenarios);
  const slugOf = new Map(all.map((c, i) => [c.id, notes[i]!.slug]));
  const of = new Map<number, MessageClaims>();
  for (const m of messages) {
    if (!m.claims?.length) continue;
    const slots = new Map<string, string[]>();
    for (const c of m.claims) {
      const block = blockOf(m.id, m.blocks ?? [], c.id);
      slots.set(block, [...(slots.get(block) ?? []), slugOf.get(c.id)!]);
    }
    of.set(m.id, { slugOf: (id) => slugOf.get(id)!, slugs: m.claims.map((c) => slugOf.get(c.id)!), slots });
  }
  const run = parseRunKey(query.get('run') ?? '', notes);
  const claim = query.get('claim');
  const active = run?.slug ?? (claim && notes.some((n) => n.slug === claim) ? claim : null);
  const open = notes.filter((n) => n.slug === active);
  const openTitles = Object.fromEntries(open.flatMap((n) => n.tests.map((t) => [t.scenario, titles[t.scenario]!])));
  return { notes: open, titles: openTitles, of, active, initialRun: run ? initialRun(run.slug, run.test, notes, titles, query, scenarios) : undefined };
}

/**
 * The runner a link opened, with its run computed here: as static HTML (the page shows it until
 * the runner's code has loaded, and for good without JavaScript) and as data for the runner.
 */
function initialRun(slug: string, test: number, notes: ClaimNote[], titles: Record<string, string>, query: URLSearchParams,
  scenarios: ReadonlyMap<string, Scenario>): InitialRun | undefined {
  const t = notes.find((n) => n.slug === slug)!.tests[test]!;
  const scenario = toRunnable(scenarios.get(t.scenario)!, t.settings);
  const key = runKeyOf(slug, test);
  const view = readRunnerView(query, key, scenario)!.view;
  const r = computeRun({ kind: 'run', scenario, era: view.era, handler: handlerFor(view, scenario), selection: view.selection });
  if (!r.ok) return undefined;
  return {
    slug, test, scenario, view, result: r.result,
    html: <StaticRun scenario={scenario} result={r.result} counterexample={t.counterexample} heading={runHeading(t, titles)} headingLevel={3} runKey={key} />,
  };
}
