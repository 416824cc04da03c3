// Anchoring a claim's TextQuoteSelector in its message: exact match first, then fuzzy, always
// within the anchor's scope (the writer's new text, the quoted text, or the patch); prefix and
// suffix decide between several places. Pure: no I/O.

import type { Segment } from '../quote/types';
import { approximateOccurrences, editDistance } from './fuzzy';
import { SCOPE_NAMES, bodyRange, normalise, pieceOf, scopeText, type ScopeText } from './scope';
import { claimProblem } from './problem';
import { ANCHOR_SCOPES, type Anchor, type ClaimProblem, type ClaimSpec } from './types';

/** A fuzzy match anchors when at most this share of the exact text differs. */
export const FUZZY_MIN = 0.85;
/** Two places closer than this in text score, and ... */
export const TIE_SCORE = 0.05;
/** ... closer than this in context score, are a tie: the anchor is ambiguous. */
export const TIE_CONTEXT = 0.25;
/** Below this context score the prefix/suffix no longer describe where the anchor landed. */
export const STALE_CONTEXT = 0.5;
/** Candidates shown when an anchor fails. */
const SHOWN = 3;
/** Fuzzy matching costs exact length × scope length; past this a failed exact match is not retried fuzzily. */
const MAX_FUZZY_CELLS = 100_000_000;

export interface AnchorCandidate {
  /** Body range, UTF-16 offsets, end exclusive. */
  start: number;
  end: number;
  /** 1 for the exact text; 1 - edits / length for a fuzzy match. */
  score: number;
  /** How well prefix and suffix match around it, 0..1 (1 when the selector gives neither). */
  context: number;
}

export type Anchored = AnchorCandidate & { ok: true; match: 'exact' | 'fuzzy'; warnings: string[] };
export type AnchorResult = Anchored | { ok: false; reason: 'absent' | 'ambiguous'; message: string; candidates: AnchorCandidate[] };

/** The message a claim is anchored in, as stored. */
export interface AnchorTarget {
  archiveId: string;
  body: string;
  segments: readonly Segment[];
}

/**
 * Anchors a claim in its message. A failure comes back as a problem naming
 * the file, line, claim and message, with the closest candidates.
 */
export function anchorClaim(claim: Pick<ClaimSpec, 'file' | 'line' | 'id' | 'anchor'>, m: AnchorTarget):
  { ok: true; anchored: Anchored; warnings: ClaimProblem[] } | { ok: false; problem: ClaimProblem } {
  const r = anchorText(m.body, m.segments, claim.anchor);
  if (!r.ok) return { ok: false, problem: claimProblem(claim, `in ${m.archiveId}: ${r.message}`) };
  return { ok: true, anchored: r, warnings: r.warnings.map((w) => claimProblem(claim, `in ${m.archiveId}: ${w}`)) };
}

export function anchorText(body: string, segments: readonly Segment[], anchor: Anchor): AnchorResult {
  const scope = scopeText(body, segments, anchor.in);
  const where = SCOPE_NAMES[anchor.in];
  const exact = normalise(anchor.exact).trim();
  const prefix = squash(anchor.prefix);
  const suffix = squash(anchor.suffix);
  const context = (from: number, to: number) => {
    const sims: number[] = [];
    if (prefix) sims.push(similarity(prefix, squash(scope.text.slice(Math.max(0, from - prefix.length * 2), from)).slice(-prefix.length)));
    if (suffix) sims.push(similarity(suffix, squash(scope.text.slice(to, to + suffix.length * 2)).slice(0, suffix.length)));
    return sims.length ? sims.reduce((a, b) => a + b) / sims.length : 1;
  };
  const candidate = (from: number, to: number, score: number): AnchorCandidate => {
    const [start, end] = bodyRange(scope, from, to);
    return { start, end, score, context: context(from, to) };
  };

  if (scope.text.length === 0) {
    return { ok: false, reason: 'absent', message: `the message has no ${where}${elsewhere(body, segments, anchor, exact)}`, candidates: [] };
  }

  let match: 'exact' | 'fuzzy' = 'exact';
  let found = exactOccurrences(scope, exact).map(([a, b]) => candidate(a, b, 1));
  const fuzzyTooCostly = exact.length * scope.text.length > MAX_FUZZY_CELLS;
  if (found.length === 0 && !fuzzyTooCostly) {
    match = 'fuzzy';
    const lower = exact.toLowerCase();
    found = scope.pieces.flatMap(([a, b]) =>
      approximateOccurrences(lower, scope.text.slice(a, b).toLowerCase(), SHOWN + 2)
        .map((o) => candidate(...wholeWords(scope.text, a + o.start, a + o.end, a, b), Math.max(0, 1 - o.distance / lower.length))));
  }
  found.sort((x, y) => y.score - x.score || y.context - x.context);
  const best = found[0];
  if (!best || best.score < FUZZY_MIN) {
    const closest = found.slice(0, SHOWN);
    const head = best
      ? `does not anchor in the ${where} of the message: the closest text scores ${best.score.toFixed(2)} (a fuzzy match needs ${FUZZY_MIN})`
      : `does not anchor in the ${where} of the message${fuzzyTooCostly ? ' (too long to search for an approximate match: quote the words exactly)' : ''}`;
    return { ok: false, reason: 'absent', message: `${head}${elsewhere(body, segments, anchor, exact)}${listCandidates(body, closest)}`, candidates: closest };
  }
  const rivals = found.slice(1).filter((c) => c.score >= FUZZY_MIN && best.score - c.score < TIE_SCORE && best.context - c.context < TIE_CONTEXT);
  if (rivals.length > 0) {
    const tied = [best, ...rivals];
    return {
      ok: false, reason: 'ambiguous',
      message: `anchors ambiguously: ${tied.length} places in the ${where} match equally well; a prefix or suffix must tell them apart${listCandidates(body, tied)}`,
      candidates: tied,
    };
  }
  const warnings: string[] = [];
  if (match === 'fuzzy') warnings.push(`anchored by fuzzy match (score ${best.score.toFixed(2)}); the message reads ${quoteOf(body, best.start, best.end)}`);
  if ((prefix || suffix) && best.context < STALE_CONTEXT) warnings.push(`prefix/suffix do not match the text around the anchor (context score ${best.context.toFixed(2)})`);
  return { ok: true, match, warnings, ...best };
}

/** Places where the normalised exact text occurs whole within one piece (overlaps included). */
function exactOccurrences(scope: ScopeText, exact: string): [number, number][] {
  const out: [number, number][] = [];
  for (let at = scope.text.indexOf(exact); at >= 0; at = scope.text.indexOf(exact, at + 1)) {
    if (pieceOf(scope, at, at + exact.length) >= 0) out.push([at, at + exact.length]);
  }
  return out;
}

export const isWord = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);

/** A fuzzy match widened to whole words, within its piece [lo, hi): highlights never cut a word. */
export function wholeWords(text: string, from: number, to: number, lo: number, hi: number): [number, number] {
  while (from > lo && isWord(text[from - 1]) && isWord(text[from])) from--;
  while (to < hi && isWord(text[to - 1]) && isWord(text[to])) to++;
  return [from, to];
}

/** A hint when the exact words are in another part of the same message. */
function elsewhere(body: string, segments: readonly Segment[], anchor: Anchor, exact: string): string {
  const other = ANCHOR_SCOPES.find((s) => s !== anchor.in && exactOccurrences(scopeText(body, segments, s), exact).length > 0);
  return other ? `; the exact text is in the ${SCOPE_NAMES[other]} (anchor "in: ${other}")` : '';
}

/** Lower-cased, without whitespace: context is compared on letters, not on how lines were wrapped. */
const squash = (s: string) => normalise(s).replace(/ /g, '').toLowerCase();

function similarity(want: string, got: string): number {
  return Math.max(0, 1 - editDistance(want, got) / want.length);
}

function listCandidates(body: string, cs: readonly AnchorCandidate[]): string {
  if (cs.length === 0) return '';
  return `; closest candidates:${cs.map((c) => `\n    ${c.score.toFixed(2)} (context ${c.context.toFixed(2)}) at line ${lineOf(body, c.start)}: ${snippet(body, c.start, c.end)}`).join('')}`;
}

const lineOf = (body: string, at: number) => body.slice(0, at).split('\n').length;

const flat = (s: string) => s.replace(/\s+/g, ' ');

function quoteOf(body: string, start: number, end: number): string {
  const s = flat(body.slice(start, end));
  return JSON.stringify(s.length > 120 ? `${s.slice(0, 57)} ... ${s.slice(-57)}` : s);
}

/** The candidate in «», with a little of its surroundings. */
function snippet(body: string, start: number, end: number): string {
  const before = flat(body.slice(Math.max(0, start - 30), start));
  const after = flat(body.slice(end, end + 30));
  return `"...${before}«${JSON.parse(quoteOf(body, start, end))}»${after}..."`;
}
