// The part of a message body an anchor is looked for in, as one normalised string with a map
// back to body offsets: quote markers and diff markers stripped, whitespace runs (line breaks
// included) collapsed to one space, typographic quotes made plain. That is what makes anchors
// indifferent to re-wrapping and re-quoting.

import type { Segment, SegmentKind } from '../quote/types';
import { quoteDepth } from '../quote/quote-depth';
import type { AnchorScope } from './types';

export interface ScopeText {
  text: string;
  /** Body offset (UTF-16) of each character of `text`. */
  offsets: number[];
  /** [start, end) ranges of `text`, one per run of adjacent in-scope segments; no match crosses two. */
  pieces: [number, number][];
}

const KINDS: Record<AnchorScope, readonly SegmentKind[]> = { new: ['new'], quote: ['quote'], diff: ['diff'] };

export const SCOPE_NAMES: Record<AnchorScope, string> = { new: 'new text', quote: 'quoted text', diff: 'patch' };

const PLAIN: Record<string, string> = { '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"' };
const isSpace = (ch: string) => /\s/.test(ch);

/** Collapses whitespace and plains quotes in a selector string, the same way as the scope text. */
export function normalise(s: string): string {
  return s.replace(/[\u2018-\u201f]/g, (c) => PLAIN[c] ?? c).replace(/\s+/g, ' ');
}

export function scopeText(body: string, segments: readonly Segment[], scope: AnchorScope): ScopeText {
  const kinds = KINDS[scope];
  const out: ScopeText = { text: '', offsets: [], pieces: [] };
  const chars: string[] = [];
  let space = -1; // body offset of a pending whitespace run, or -1
  const push = (ch: string, at: number) => {
    if (isSpace(ch)) {
      if (space < 0) space = at;
      return;
    }
    if (space >= 0 && chars.length > 0 && chars[chars.length - 1] !== ' ') {
      chars.push(' ');
      out.offsets.push(space);
    }
    space = -1;
    chars.push(PLAIN[ch] ?? ch);
    out.offsets.push(at);
  };
  let pieceStart = -1;
  let lastEnd = -1;
  for (const seg of segments) {
    if (!kinds.includes(seg.kind)) continue;
    if (seg.start !== lastEnd) {
      // a new run: close the last piece; one space keeps the words of two runs apart for context
      if (pieceStart >= 0) out.pieces.push([pieceStart, chars.length]);
      space = seg.start;
      pieceStart = -1;
    }
    lastEnd = seg.end;
    let lineStart = seg.start;
    while (lineStart < seg.end) {
      const nl = body.indexOf('\n', lineStart);
      const lineEnd = nl < 0 || nl >= seg.end ? seg.end : nl;
      const line = body.slice(lineStart, lineEnd);
      const skip = seg.kind === 'quote' ? line.length - quoteDepth(line).text.length : seg.kind === 'diff' && /^[-+ ]/.test(line) ? 1 : 0;
      for (let i = skip; i < line.length; i++) {
        push(line[i]!, lineStart + i);
        if (pieceStart < 0 && !isSpace(line[i]!)) pieceStart = chars.length - 1;
      }
      push('\n', lineEnd);
      lineStart = lineEnd + 1;
    }
  }
  if (pieceStart >= 0) out.pieces.push([pieceStart, chars.length]);
  out.text = chars.join('');
  return out;
}

/** The body range [start, end) of text[from, to), with any space at either end left out. */
export function bodyRange(s: ScopeText, from: number, to: number): [number, number] {
  while (from < to && s.text[from] === ' ') from++;
  while (to > from && s.text[to - 1] === ' ') to--;
  return [s.offsets[from]!, s.offsets[to - 1]! + 1];
}

/** The piece holding text[from, to), or -1 when the range crosses from one piece into another. */
export function pieceOf(s: ScopeText, from: number, to: number): number {
  return s.pieces.findIndex(([a, b]) => from >= a && to <= b);
}
