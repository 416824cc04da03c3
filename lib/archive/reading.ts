/**
 * How a message body reads on a thread page: its segments grouped into the
 * blocks a reader sees. Quoted text and the attribution above it fold into
 * one block named after whoever wrote it; a patch becomes diff lines; the
 * spans other messages quote are cut out so they can be highlighted and
 * linked back. Pure: the pages render what this returns.
 */
import type { Segment, SegmentKind } from '../quote/types';

/** A quote of this message by a later one (a QuoteLink seen from its source). */
export interface QuotedBy {
  linkId: number;
  start: number;
  end: number;
  /** The quoting message, and the index of the quoting segment in it. */
  messageId: number;
  segment: number;
  author: string;
}

/** Where one of this message's quoted segments came from. */
export interface QuoteOf {
  linkId: number;
  segment: number;
  sourceId: number | null;
  sourceAuthor: string | null;
  match: 'exact' | 'fuzzy' | 'unmatched';
  score: number;
}

/** A claim anchored in this message (a Claim row), for highlighting its words. */
export interface ClaimSpan {
  id: number;
  start: number;
  end: number;
}

/** A run of text; `quotedBy` names the links whose span covers it, `claims` the claims anchored on it. */
export interface Piece {
  text: string;
  quotedBy: number[];
  claims: number[];
  /** Links whose span starts here: the target a "source" link scrolls to. */
  anchors: number[];
}

export type DiffLineKind = 'file' | 'hunk' | 'add' | 'del' | 'context' | 'meta';

export type Block =
  | {
      kind: 'text'; segment: number; role: Exclude<SegmentKind, 'quote' | 'attribution' | 'diff'>; pieces: Piece[];
      /** A lone attribution read as text: not the writer's own words, so in no anchor scope. */
      attribution?: true;
    }
  | { kind: 'diff'; segment: number; lines: { kind: DiffLineKind; text: string }[] }
  | {
      kind: 'quote';
      /** Who wrote the quoted text: the attribution's name, else the matched source's author. */
      writer: string | null;
      lines: number;
      /** The first words of the quoted text, for the folded summary. */
      opening: string;
      parts: { segment: number; kind: 'quote' | 'attribution'; depth: number; pieces: Piece[]; source: QuoteOf | null }[];
      /** Claims anchored in the folded text: the summary says so, since they are hidden while it is folded. */
      claims: number;
    };

const OPENING_CHARS = 72;

export function blocksOf(body: string, segments: Segment[], quotes: QuoteOf[], quotedBy: QuotedBy[], claims: ClaimSpan[] = []): Block[] {
  const cut = (start: number, end: number) => piecesOf(body, start, end, quotedBy, claims);
  const sourceOf = new Map(quotes.map((q) => [q.segment, q]));
  const blocks: Block[] = [];
  let fold: Extract<Block, { kind: 'quote' }> | null = null;
  segments.forEach((s, i) => {
    const text = body.slice(s.start, s.end);
    // An attribution opens a fold; quotes join the open fold; anything else closes it.
    const quoted = s.kind === 'quote' || (s.kind === 'attribution' && s.depth > 0);
    if (s.kind === 'attribution' && s.depth === 0) {
      fold = { kind: 'quote', writer: s.name ?? s.address ?? null, lines: 0, opening: '', parts: [], claims: 0 };
      fold.parts.push({ segment: i, kind: 'attribution', depth: 0, pieces: cut(s.start, s.end), source: null });
      blocks.push(fold);
      return;
    }
    if (quoted) {
      if (!fold) blocks.push((fold = { kind: 'quote', writer: null, lines: 0, opening: '', parts: [], claims: 0 }));
      const source = sourceOf.get(i) ?? null;
      fold.parts.push({ segment: i, kind: s.kind as 'quote' | 'attribution', depth: s.depth, pieces: cut(s.start, s.end), source });
      fold.claims += claims.filter((c) => c.start >= s.start && c.start < s.end).length;
      if (s.kind === 'quote') {
        fold.lines += lineCount(text);
        fold.writer ??= source?.sourceAuthor ?? null;
        if (fold.opening.length < OPENING_CHARS) fold.opening = openingOf(fold.opening + ' ' + unquoted(text));
      }
      return;
    }
    fold = null;
    if (s.kind === 'diff') blocks.push({ kind: 'diff', segment: i, lines: diffLines(text) });
    else blocks.push({ kind: 'text', segment: i, role: s.kind as Exclude<SegmentKind, 'quote' | 'attribution' | 'diff'>, pieces: cut(s.start, s.end) });
  });
  // A lone attribution whose quote never came (a top-post's trailing "X wrote:") reads as text.
  const read = blocks.map((b): Block =>
    b.kind === 'quote' && b.lines === 0
      ? { kind: 'text', segment: b.parts[0]!.segment, role: 'new', pieces: b.parts.flatMap((p) => p.pieces), attribution: true }
      : b,
  );
  // A quoted span's anchor is the first piece shown of it, wherever the span starts.
  const anchored = new Set<number>();
  for (const b of read) {
    const pieces = b.kind === 'text' ? b.pieces : b.kind === 'quote' ? b.parts.flatMap((p) => p.pieces) : [];
    for (const p of pieces) for (const id of p.quotedBy) if (!anchored.has(id)) anchored.add(id), p.anchors.push(id);
  }
  return read;
}

function lineCount(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) if (line.trim() !== '') n++;
  return n;
}

function unquoted(text: string): string {
  return text.replace(/^[ \t>]*/gm, '').replace(/\s+/g, ' ').trim();
}

function openingOf(text: string): string {
  const t = text.trim();
  if (t.length <= OPENING_CHARS) return t;
  const cut = t.lastIndexOf(' ', OPENING_CHARS);
  return `${t.slice(0, cut > 40 ? cut : OPENING_CHARS)}…`;
}

const FILE_HEADER = /^(diff |index |--- |\+\+\+ |new file mode|deleted file mode|old mode |new mode |(dis)?similarity index|rename (from|to) |copy (from|to) |Binary files |GIT binary patch)/;

/**
 * The kind of each line of a unified diff, for colouring. Hunk headers give
 * their line counts, which is what tells a removed line "--- x" from the
 * next file's header.
 */
export function diffLines(text: string): { kind: DiffLineKind; text: string }[] {
  let oldLeft = 0;
  let newLeft = 0;
  return text.replace(/\n$/, '').split('\n').map((line) => {
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      oldLeft = Number(hunk[1] ?? 1);
      newLeft = Number(hunk[2] ?? 1);
      return { kind: 'hunk', text: line };
    }
    if (oldLeft > 0 || newLeft > 0) {
      if (line.startsWith('-') && oldLeft > 0) return oldLeft--, { kind: 'del', text: line };
      if (line.startsWith('+') && newLeft > 0) return newLeft--, { kind: 'add', text: line };
      if (line.startsWith(' ') || line === '') return oldLeft--, newLeft--, { kind: 'context', text: line };
      oldLeft = newLeft = 0;
    }
    return { kind: FILE_HEADER.test(line) ? 'file' : 'meta', text: line };
  });
}

/**
 * The text of [start, end) cut at every boundary of a span that a later
 * message quotes or a claim is anchored on, so each piece knows what covers it.
 */
export function piecesOf(body: string, start: number, end: number, quotedBy: QuotedBy[], claims: ClaimSpan[] = []): Piece[] {
  const spans = quotedBy.filter((q) => q.start < end && q.end > start);
  const claimed = claims.filter((c) => c.start < end && c.end > start);
  if (spans.length === 0 && claimed.length === 0) return [{ text: body.slice(start, end), quotedBy: [], claims: [], anchors: [] }];
  const cuts = new Set([start, end]);
  for (const q of [...spans, ...claimed]) {
    cuts.add(Math.max(q.start, start));
    cuts.add(Math.min(q.end, end));
  }
  const at = [...cuts].sort((a, b) => a - b);
  const pieces: Piece[] = [];
  for (let i = 0; i + 1 < at.length; i++) {
    const [a, b] = [at[i]!, at[i + 1]!];
    pieces.push({
      text: body.slice(a, b),
      quotedBy: spans.filter((q) => q.start < b && q.end > a).map((q) => q.linkId),
      claims: claimed.filter((c) => c.start < b && c.end > a).map((c) => c.id),
      anchors: [],
    });
  }
  return pieces;
}
