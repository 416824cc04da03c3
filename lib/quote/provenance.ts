/**
 * Quote provenance: for each quoted segment of a message, the message it
 * quotes and the span quoted there. Quotes are compared as words (markers
 * stripped, whitespace ignored, lower-cased), so re-wrapped, trimmed and
 * re-indented quotes still match, and "[...]" / "[snip]" / "<snip>" split a
 * quote into pieces matched one by one. Each source is indexed once by word
 * trigrams: a lookup costs the length of the quote, not of the source.
 * Pure: no I/O.
 */
import { quotePieces, wordsOf } from './text';
import type { QuoteSource, Segment } from './types';

export interface ProvenanceMessage {
  body: string;
  segments: readonly Segment[];
}

export interface QuotedAncestor extends ProvenanceMessage {
  archiveId: string;
  /** A message not in the archive; its body is what ghost reconstruction made of the quotes of it (maybe empty). */
  isGhost: boolean;
}

/**
 * Least share of a quote's words found, in order, in a source for a fuzzy
 * match (quotes edited by hand, words changed or dropped); below it the
 * quote is unmatched.
 */
export const FUZZY_MIN_SCORE = 0.5;
/** Words per index key. */
const GRAM = 3;
/** Occurrences looked at per trigram: a common phrase must not cost a scan of the whole source. */
const MAX_GRAM_HITS = 32;
/** How far (in words) a trigram may sit off the best alignment and still count: words added or dropped by the replier. */
const BAND = 8;

function gramKey(a: number, b: number, c: number): number {
  return Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ 0x5bd1e995, 0x85ebca77) ^ Math.imul(c ^ 0x1b873593, 0xc2b2ae3d);
}

/**
 * A hash table of the positions of a word sequence's n-grams: a bucket heads
 * a chain of positions linked by `next`, the last position first, so that
 * walking a chain meets positions in descending order.
 */
class GramTable {
  private readonly heads: Int32Array;
  readonly next: Int32Array;
  private readonly mask: number;

  constructor(
    hashes: Int32Array,
    private readonly gram: 1 | typeof GRAM,
  ) {
    const grams = Math.max(hashes.length - gram + 1, 0);
    let size = 16;
    while (size < grams * 2) size *= 2;
    this.mask = size - 1;
    this.heads = new Int32Array(size).fill(-1);
    this.next = new Int32Array(grams);
    for (let i = 0; i < grams; i++) {
      const bucket = this.bucket(hashes, i);
      this.next[i] = this.heads[bucket]!;
      this.heads[bucket] = i;
    }
  }

  private bucket(words: Int32Array, j: number): number {
    return (this.gram === 1 ? Math.imul(words[j]!, 0x9e3779b1) : gramKey(words[j]!, words[j + 1]!, words[j + 2]!)) & this.mask;
  }

  /** The chain of positions where words[j]'s n-gram may occur (-1 ends it; a bucket holds other n-grams too). */
  first(words: Int32Array, j: number): number {
    return this.heads[this.bucket(words, j)]!;
  }
}

/** A source message's words (hashed) with their offsets, indexed by word trigram. */
class IndexedSource {
  readonly hashes: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  private readonly trigrams: GramTable;
  /** Single words, for quotes too short for a trigram: made the first time one is looked up. */
  private singles: GramTable | null = null;

  constructor(
    readonly archiveId: string,
    readonly body: string,
  ) {
    ({ hashes: this.hashes, starts: this.starts, ends: this.ends } = wordsOf(body));
    this.trigrams = new GramTable(this.hashes, GRAM);
  }

  private matchesAt(q: Int32Array, p: number, length = q.length, offset = 0): boolean {
    if (p < 0 || p + length > this.hashes.length) return false;
    for (let k = 0; k < length; k++) if (this.hashes[p + k] !== q[offset + k]) return false;
    return true;
  }

  /** Positions where q's trigram at j occurs, at most `limit` of them, latest first. */
  private gramHits(q: Int32Array, j: number, limit: number): number[] {
    const hits: number[] = [];
    for (let p = this.trigrams.first(q, j); p >= 0 && hits.length < limit; p = this.trigrams.next[p]!) {
      if (this.matchesAt(q, p, GRAM, j)) hits.push(p);
    }
    return hits;
  }

  /** Word index where q occurs whole: the first occurrence at or after `from`, else the first. -1 if none. */
  exact(q: Int32Array, from: number): number {
    let first = -1;
    let after = -1;
    const candidates = q.length >= GRAM ? this.gramHits(q, 0, Infinity) : this.shortHits(q);
    for (const p of candidates) {
      if (!this.matchesAt(q, p)) continue;
      if (first < 0 || p < first) first = p;
      if (p >= from && (after < 0 || p < after)) after = p;
    }
    return after >= 0 ? after : first;
  }

  /** Where a quote of one or two words may start: positions of its first word. */
  private shortHits(q: Int32Array): number[] {
    const singles = (this.singles ??= new GramTable(this.hashes, 1));
    const hits: number[] = [];
    for (let p = singles.first(q, 0); p >= 0; p = singles.next[p]!) if (this.hashes[p] === q[0]) hits.push(p);
    return hits;
  }

  /**
   * The best alignment of q with the source, trigram by trigram: the share
   * of q's trigrams found near one diagonal, and the words they span.
   */
  fuzzy(q: Int32Array): { score: number; from: number; to: number } | null {
    const total = q.length - GRAM + 1;
    if (total <= 0) return null;
    const hits = Array.from({ length: total }, (_, j) => this.gramHits(q, j, MAX_GRAM_HITS));
    const votes = new Map<number, number>();
    hits.forEach((positions, j) => {
      for (const p of positions) votes.set(p - j, (votes.get(p - j) ?? 0) + 1);
    });
    let best = 0;
    let bestVotes = 0;
    for (const [offset, n] of votes) if (n > bestVotes) [best, bestVotes] = [offset, n];
    if (bestVotes === 0) return null;
    let matched = 0;
    let from = Infinity;
    let to = -1;
    hits.forEach((positions, j) => {
      const p = positions.find((p) => Math.abs(p - j - best) <= BAND);
      if (p === undefined) return;
      matched++;
      from = Math.min(from, p);
      to = Math.max(to, p + GRAM);
    });
    return { score: matched / total, from, to };
  }
}

/**
 * The indexed sources of a thread, by archive id. Pass one to every
 * linkQuotes call of a thread so that each ancestor is indexed once.
 */
export class QuoteIndex {
  private readonly sources = new Map<string, IndexedSource>();

  source(message: QuotedAncestor): IndexedSource {
    let source = this.sources.get(message.archiveId);
    // A ghost's body may have been reconstructed since: index the body given.
    if (!source || source.body !== message.body) {
      source = new IndexedSource(message.archiveId, message.body);
      this.sources.set(message.archiveId, source);
    }
    return source;
  }
}

interface SourceMatch {
  source: IndexedSource;
  exact: boolean;
  score: number;
  from: number;
  to: number;
}

/**
 * How well a quote (its pieces, as word hashes) matches one source. With
 * `exactOnly`, null unless every piece is found whole: the cheap first pass.
 */
function matchQuote(pieces: readonly Int32Array[], source: IndexedSource, cursor: number, exactOnly: boolean): SourceMatch | null {
  let total = 0;
  let found = 0;
  let exact = true;
  let from = Infinity;
  let to = -1;
  for (const q of pieces) {
    total += q.length;
    const p = source.exact(q, cursor);
    if (p >= 0) {
      found += q.length;
      from = Math.min(from, p);
      to = Math.max(to, p + q.length);
      cursor = p + q.length;
      continue;
    }
    if (exactOnly) return null;
    exact = false;
    const fuzzy = source.fuzzy(q);
    if (fuzzy) {
      found += fuzzy.score * q.length;
      from = Math.min(from, fuzzy.from);
      to = Math.max(to, fuzzy.to);
    }
  }
  if (total === 0 || to < 0) return null;
  return { source, exact, score: exact ? 1 : found / total, from, to };
}

/**
 * Ancestors in the order a quote at `depth` tries them: the one `depth`
 * generations up first (the parent for `>`, the grandparent for `> >`),
 * then the others, nearest first.
 */
function preference(depth: number, count: number): number[] {
  if (count === 0) return [];
  const first = Math.min(Math.max(depth - 1, 0), count - 1);
  const order = [first];
  for (let d = 1; order.length < count; d++) {
    if (first - d >= 0) order.push(first - d);
    if (first + d < count) order.push(first + d);
  }
  return order;
}

/**
 * Links each quote segment of `message` to the ancestor and span it quotes.
 * `ancestors`: parent first, then grandparent, and so on. One QuoteSource
 * per quote segment, in segment order; 'exact' when every quoted word is
 * found in order (pieces cut at elision marks may sit apart), 'fuzzy' when
 * at least FUZZY_MIN_SCORE of them are, else 'unmatched'.
 */
export function linkQuotes(
  message: ProvenanceMessage,
  ancestors: readonly QuotedAncestor[],
  index: QuoteIndex = new QuoteIndex(),
): QuoteSource[] {
  const sources = ancestors.map((a) => index.source(a));
  /** Per source, the word after the last span matched there: interleaved replies quote in order. */
  const cursors = new Map<IndexedSource, number>();
  const out: QuoteSource[] = [];
  message.segments.forEach((segment, i) => {
    if (segment.kind !== 'quote') return;
    const unmatched: QuoteSource = { segment: i, sourceArchiveId: null, sourceStart: null, sourceEnd: null, match: 'unmatched', score: 0 };
    const pieces = quotePieces(message.body, segment.start, segment.end);
    const order = pieces.length > 0 ? preference(segment.depth, sources.length).map((k) => sources[k]!) : [];
    // Most quotes are exact: look for that in every source before scoring any fuzzy match.
    let best: SourceMatch | null = null;
    for (const source of order) {
      best = matchQuote(pieces, source, cursors.get(source) ?? 0, true);
      if (best) break;
    }
    for (const source of best ? [] : order) {
      const match = matchQuote(pieces, source, cursors.get(source) ?? 0, false);
      if (match && (best === null || match.score > best.score)) best = match;
    }
    if (best === null || (!best.exact && best.score < FUZZY_MIN_SCORE)) {
      out.push(unmatched);
      return;
    }
    cursors.set(best.source, best.to);
    out.push({
      segment: i,
      sourceArchiveId: best.source.archiveId,
      sourceStart: best.source.starts[best.from]!,
      sourceEnd: best.source.ends[best.to - 1]!,
      match: best.exact ? 'exact' : 'fuzzy',
      // A fuzzy match is never a perfect one, whatever the rounding.
      score: best.exact ? 1 : Math.min(best.score, 0.999),
    });
  });
  return out;
}
