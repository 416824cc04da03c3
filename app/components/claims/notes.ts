// A thread page's claims as its margin notes read them: small plain data, sent once per page.
// Pure; the page builds them on the server from the Claim rows it read.

import type { LinkResult } from '@/lib/claims/types';
import type { Scenario } from '@/lib/engine/index';
import type { RunSettings } from '@/lib/scenarios/runnable';

/** A scenario run that tests a claim, as its card lists it. */
export interface NoteTest {
  scenario: string;
  era: string;
  handler: string;
  computed: LinkResult['computed'];
  counterexample: boolean;
  /** The era and handler the link runs instead of the scenario's own. */
  settings: RunSettings;
  /** Set when the scenario is not bundled, so it cannot run here. */
  missing?: true;
}

export interface ClaimNote {
  /** The claim's id in its annotation file, made unique on the page: names it in URLs and anchors. */
  slug: string;
  /** "<annotation file>#<id>": what editing it names. */
  key: string;
  claimant: string;
  statement: string;
  kind: string;
  verdict: string;
  tests: NoteTest[];
}

export interface NoteSource {
  id: number;
  key: string;
  claimant: string;
  statement: string;
  kind: string;
  verdict: string;
  links: LinkResult[];
}

export const noteAnchor = (slug: string) => `claim-${slug}`;
export const wordsAnchor = (slug: string) => `words-${slug}`;
export const panelAnchor = (slug: string) => `run-${slug}`;
/** The ?run= key of a claim's n-th test: what the runner writes to the URL. */
export const runKeyOf = (slug: string, test: number) => (test === 0 ? slug : `${slug}@${test}`);

/** The heading of a claim's runner. */
export const runHeading = (t: NoteTest, titles: Record<string, string>) =>
  `${t.counterexample ? 'Counterexample' : 'Scenario'}: ${titles[t.scenario] ?? t.scenario}`;

/** A run key read back: the claim and which of its tests, or null when it names no claim here. */
export function parseRunKey(key: string, notes: readonly ClaimNote[]): { slug: string; test: number } | null {
  const [slug, n] = key.split('@');
  const note = notes.find((x) => x.slug === slug);
  const test = n === undefined ? 0 : /^\d+$/.test(n) ? Number(n) : -1;
  return note && test >= 0 && note.tests[test] && !note.tests[test].missing ? { slug: note.slug, test } : null;
}

/** Slugs for claims: the id after the key's '#', with a counter when two files on a page use one id. */
export function slugsOf(keys: readonly string[]): Map<string, string> {
  const taken = new Map<string, number>();
  const out = new Map<string, string>();
  for (const key of keys) {
    const base = (key.slice(key.lastIndexOf('#') + 1) || 'claim').replace(/[^A-Za-z0-9_-]+/g, '-');
    const n = (taken.get(base) ?? 0) + 1;
    taken.set(base, n);
    out.set(key, n === 1 ? base : `${base}-${n}`);
  }
  return out;
}

/** A test as its card shows it; fields left out where they say nothing (the page carries every note). */
function testOf(s: Scenario | undefined, l: LinkResult): NoteTest {
  const t: NoteTest = { scenario: l.scenario, era: l.era, handler: l.handler, computed: l.computed, counterexample: l.counterexample, settings: {} };
  if (!s) return { ...t, missing: true };
  if (l.era !== s.era) t.settings.era = l.era as RunSettings['era'];
  if (l.handler !== (typeof s.handler === 'string' ? s.handler : s.handler.id)) t.settings.handler = l.handler;
  return t;
}

/** The note of each claim. */
export function notesOf(claims: readonly NoteSource[], slugs: Map<string, string>, scenarios: ReadonlyMap<string, Scenario>): ClaimNote[] {
  return claims.map((c) => ({
    slug: slugs.get(c.key)!,
    key: c.key,
    claimant: c.claimant,
    statement: c.statement,
    kind: c.kind,
    verdict: c.verdict,
    tests: c.links.map((l) => testOf(scenarios.get(l.scenario), l)),
  }));
}

/** Scenario titles by id, once per page however many claims run each. */
export function titlesOf(claims: readonly NoteSource[]): Record<string, string> {
  return Object.fromEntries(claims.flatMap((c) => c.links.map((l) => [l.scenario, l.title])));
}

export interface PageNotes {
  notes: ClaimNote[];
  titles: Record<string, string>;
}

/** A page's notes, one per claim in the order given (the page's: it makes their slugs), and their scenario titles. */
export function pageNotes(claims: readonly NoteSource[], scenarios: ReadonlyMap<string, Scenario>): PageNotes {
  return { notes: notesOf(claims, slugsOf(claims.map((c) => c.key)), scenarios), titles: titlesOf(claims) };
}
