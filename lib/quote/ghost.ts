/**
 * The text of a ghost: a message not in the archive that others quote. Its
 * words survive only in those quotes, so they are put back together: each
 * quoting message's fragments in order, fragments that overlap another
 * message's merged, and a "[...]" line where the text is known to have a
 * gap (a replier's elision mark) or where fragments from different
 * messages do not connect. Author and date come from the attribution lines
 * (threading reads those); this module gives the text. Pure: no I/O.
 */
import { isElision, linesOf } from './text';
import { segmentBody } from './segment';
import type { QuoteSource, Segment } from './types';

export interface GhostQuoter {
  body: string;
  segments: readonly Segment[];
  /**
   * Indexes (into `segments`) of the quote segments that quote the ghost, in
   * order: the depth-1 quotes of the ghost's replies, the depth-2 quotes of
   * replies to those, and so on. Default: the depth-1 quotes (a direct reply).
   */
  quotes?: readonly number[];
}

/** The quote segments of a quoter that quote the ghost, in order. */
function quotesOf(quoter: GhostQuoter): number[] {
  if (quoter.quotes) return [...quoter.quotes].sort((a, b) => a - b);
  return quoter.segments.flatMap((s, i) => (s.kind === 'quote' && s.depth === 1 ? [i] : []));
}

export interface ReconstructedGhost {
  body: string;
  segments: Segment[];
  /** Per quoter (same order as given), one QuoteSource per listed quote segment, pointing into `body`. */
  sources: QuoteSource[][];
}

/** The line that marks a gap in a reconstructed ghost. */
export const GAP = '[...]';

/** One line of the ghost's text; the same object wherever several quotes share it. */
interface GhostLine {
  text: string;
  /** Whitespace-insensitive form, for finding the line in other quotes. */
  key: string;
}

/** Lines known to be contiguous in the ghost. */
type Run = GhostLine[];

const keyOf = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * The quoted text of one quoter, as runs of lines, and for each listed
 * segment its first and last line. Quote markers are stripped; segments in
 * between listed ones that are deeper (the ghost's own quotes and their
 * attributions) are kept with the markers the ghost gave them.
 */
function quotedRuns(quoter: GhostQuoter): { runs: Run[]; spans: ({ first: GhostLine; last: GhostLine } | null)[] } {
  const runs: Run[] = [];
  const spans: ({ first: GhostLine; last: GhostLine } | null)[] = [];
  let run: Run = [];
  const cut = () => {
    if (run.length > 0) runs.push(run);
    run = [];
  };
  const listed = quotesOf(quoter);
  const depth = listed.length > 0 ? quoter.segments[listed[0]!]!.depth : 0;
  const take = (segment: Segment, markers: number): { first: GhostLine; last: GhostLine } | null => {
    const lines = linesOf(quoter.body, segment.start, segment.end);
    // Blank lines at the edges of a quote are the replier's spacing, not the ghost's.
    let from = 0;
    let to = lines.length;
    while (from < to && lines[from]!.trim() === '') from++;
    while (to > from && lines[to - 1]!.trim() === '') to--;
    let first: GhostLine | null = null;
    let last: GhostLine | null = null;
    for (const line of lines.slice(from, to)) {
      if (isElision(line)) {
        cut();
        continue;
      }
      const text = markers > 0 ? '>'.repeat(markers) + (line === '' ? '' : ' ') + line : line;
      const ghostLine = { text, key: keyOf(text) };
      run.push(ghostLine);
      first ??= ghostLine;
      last = ghostLine;
    }
    return first && last ? { first, last } : null;
  };
  listed.forEach((index, k) => {
    spans.push(take(quoter.segments[index]!, 0));
    const next = listed[k + 1];
    if (next === undefined) return;
    // Between two quotes of the ghost: its own deeper quotes belong to its text; the replier's text does not.
    for (let s = index + 1; s < next; s++) {
      const between = quoter.segments[s]!;
      if (between.depth > depth && (between.kind === 'quote' || between.kind === 'attribution')) take(between, between.depth - depth);
    }
  });
  cut();
  return { runs, spans };
}

/** Least text two runs must share to be joined end to end: a lone "}" or "Thanks," is no evidence. */
const MIN_JOIN = 20;

/** Characters of lines[from, from + count). */
function textLength(lines: Run, from: number, count: number): number {
  let n = 0;
  for (let k = from; k < from + count; k++) n += lines[k]!.key.length;
  return n;
}

/**
 * Where `run` overlaps `existing`, comparing lines by key: `at` >= 0 when
 * run[0] is existing[at] (run ends inside existing, or goes on past its
 * end); `at` < 0 when existing[0] is run[-at] (run starts before existing).
 * Null when they do not overlap.
 */
function overlap(existing: Run, run: Run): number | null {
  for (let at = 0; at < existing.length; at++) {
    if (existing[at]!.key !== run[0]!.key) continue;
    let k = 0;
    while (k < run.length && at + k < existing.length && existing[at + k]!.key === run[k]!.key) k++;
    if (k === run.length || (at + k === existing.length && textLength(run, 0, k) >= MIN_JOIN)) return at;
  }
  for (let at = 1; at < run.length; at++) {
    if (run[at]!.key !== existing[0]!.key) continue;
    let k = 0;
    while (at + k < run.length && k < existing.length && run[at + k]!.key === existing[k]!.key) k++;
    if (k === existing.length || (at + k === run.length && textLength(existing, 0, k) >= MIN_JOIN)) return -at;
  }
  return null;
}

/** The ghost's runs, in order, and which lines turned out to be the same as which. */
class GhostText {
  readonly runs: Run[] = [];
  private readonly same = new Map<GhostLine, GhostLine>();

  /** The line that `line` became through merges. */
  resolve(line: GhostLine): GhostLine {
    let at = line;
    for (let next = this.same.get(at); next !== undefined; next = this.same.get(at)) at = next;
    return at;
  }

  /**
   * Adds a run of contiguous lines: merged with every run it overlaps, else
   * inserted at `position`. Returns the run it ended up in.
   */
  add(run: Run, position: number): Run {
    for (let r = 0; r < this.runs.length; r++) {
      const joined = this.join(this.runs[r]!, run);
      if (joined === null) continue;
      this.runs.splice(r, 1);
      // The joined run may reach another one now (a quote that bridges two others).
      return this.add(joined, r);
    }
    this.runs.splice(Math.min(position, this.runs.length), 0, run);
    return run;
  }

  /** One run of `existing` and `run` when they overlap; run's lines that existing has become existing's. */
  private join(existing: Run, run: Run): Run | null {
    const at = overlap(existing, run);
    if (at === null) return null;
    const lead = Math.max(-at, 0);
    const shift = Math.max(at, 0);
    const joined = [...run.slice(0, lead), ...existing];
    run.forEach((line, k) => {
      const i = k - lead + shift;
      if (k < lead) return;
      if (i < existing.length) this.same.set(line, existing[i]!);
      else joined.push(line);
    });
    return joined;
  }
}

/**
 * Rebuilds a ghost's text from the messages that quote it, earliest first.
 * `ghostArchiveId` names the ghost in the QuoteSources returned.
 */
export function reconstructGhost(quoters: readonly GhostQuoter[], ghostArchiveId: string): ReconstructedGhost {
  const text = new GhostText();
  /** Per quoter, per listed segment: its first and last line as quoted. */
  const spans = quoters.map((quoter) => {
    const quoted = quotedRuns(quoter);
    let position = text.runs.length;
    for (const run of quoted.runs) position = text.runs.indexOf(text.add(run, position)) + 1;
    return quoted.spans;
  });

  const start = new Map<GhostLine, number>();
  const parts: string[] = [];
  let length = 0;
  text.runs.forEach((run, r) => {
    if (r > 0) {
      parts.push(GAP);
      length += GAP.length + 1;
    }
    for (const line of run) {
      start.set(line, length);
      parts.push(line.text);
      length += line.text.length + 1;
    }
  });
  const body = parts.join('\n');
  const sources = quoters.map((quoter, q) =>
    quotesOf(quoter).map((segment, k): QuoteSource => {
      const span = spans[q]![k];
      if (!span) return { segment, sourceArchiveId: null, sourceStart: null, sourceEnd: null, match: 'unmatched', score: 0 };
      const first = text.resolve(span.first);
      const last = text.resolve(span.last);
      const from = start.get(first)!;
      const to = start.get(last)! + last.text.length;
      return { segment, sourceArchiveId: ghostArchiveId, sourceStart: Math.min(from, to), sourceEnd: Math.max(from, to), match: 'exact', score: 1 };
    }),
  );
  return { body, segments: segmentBody(body), sources };
}
