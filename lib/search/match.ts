// Finding a query's words in text, for snippets and highlights, as the
// index finds them: whole words, folded the same way (lib/search/tokens.ts).
// Plain data out ({text, hit} parts); whoever renders them escapes the text.
import { fold, WORD_CHAR } from './tokens';

export interface Part {
  text: string;
  hit: boolean;
}

/** A word, a `word*` prefix or a phrase, folded. */
export interface Pattern {
  words: readonly string[];
  prefix: boolean;
}

/**
 * The text folded character by character, so that offsets stay those of
 * the text: "Élan" becomes "elan" in place. A character whose folding is
 * not one UTF-16 unit (rare: ligatures, some capitals) is left as it is.
 */
function foldInPlace(text: string): string {
  // UTF-16 unit by unit (no u flag: three times faster); halves of a surrogate pair fold to themselves.
  const fast = text.replace(/[^\x00-\x7f]/g, (ch) => {
    const f = fold(ch);
    return f.length === ch.length ? f : ch;
  }).toLowerCase();
  if (fast.length === text.length) return fast;
  // A character kept whole above changed length in toLowerCase (İ): go one by one.
  let out = '';
  for (const ch of text) {
    const f = fold(ch);
    out += f.length === ch.length ? f : ch;
  }
  return out;
}

const isWordAt = (text: string, i: number) => i >= 0 && i < text.length && WORD_CHAR.test(text[i]);

/** Where a pattern matches at `at` (a word start), its end; -1 if it does not. */
function matchAt(folded: string, at: number, p: Pattern): number {
  let i = at;
  for (let w = 0; w < p.words.length; w++) {
    const word = p.words[w];
    if (w > 0) {
      // Words of a phrase are apart by anything that is not a word.
      const gap = i;
      while (i < folded.length && !isWordAt(folded, i)) i++;
      if (i === gap) return -1;
    }
    if (!folded.startsWith(word, i)) return -1;
    i += word.length;
    if (p.prefix && w === p.words.length - 1) {
      while (isWordAt(folded, i)) i++;
    } else if (isWordAt(folded, i)) return -1;
  }
  return i;
}

/**
 * Character ranges of the matches, in order, merged where they touch: all
 * of them, or the first `limit` of each pattern (a snippet needs no more).
 */
export function findHits(text: string, patterns: readonly Pattern[], limit = Infinity): Array<[number, number]> {
  if (patterns.length === 0) return [];
  const folded = foldInPlace(text);
  const ranges: Array<[number, number]> = [];
  for (const p of patterns) {
    // The first word found fast, then checked to be a whole word and the rest of the pattern to follow.
    let found = 0;
    for (let at = folded.indexOf(p.words[0]); at >= 0 && found < limit; at = folded.indexOf(p.words[0], at + 1)) {
      if (isWordAt(folded, at - 1)) continue;
      const end = matchAt(folded, at, p);
      if (end >= 0) ranges.push([at, end]), found++;
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const hits: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = hits[hits.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else hits.push(r);
  }
  return hits;
}

/** The whole text, cut into parts at its matches. */
export function highlight(text: string, patterns: readonly Pattern[]): Part[] {
  return partsOf(text, 0, text.length, findHits(text, patterns));
}

function partsOf(text: string, from: number, to: number, hits: Array<[number, number]>): Part[] {
  const parts: Part[] = [];
  let at = from;
  for (const [s, e] of hits) {
    if (e <= from || s >= to) continue;
    if (s > at) parts.push({ text: text.slice(at, s), hit: false });
    parts.push({ text: text.slice(Math.max(s, at), Math.min(e, to)), hit: true });
    at = Math.min(e, to);
  }
  if (at < to) parts.push({ text: text.slice(at, to), hit: false });
  return parts;
}

const LEAD = 50;
/** Matches of each pattern a snippet looks among: a long patch may hold thousands. */
const SNIPPET_HITS = 64;

/**
 * About `width` characters of the text around its densest cluster of
 * matches, cut at word boundaries, whitespace runs made single spaces,
 * "…" where text was left out. Null when nothing in the text matches.
 */
export function snippet(text: string, patterns: readonly Pattern[], width = 240): Part[] | null {
  const hits = findHits(text, patterns, SNIPPET_HITS);
  if (hits.length === 0) return null;
  // The run of matches that fits the most into one window, centred in it (but never far from its start).
  let best = { start: 0, count: 0 };
  for (let i = 0; i < hits.length; i++) {
    let last = i;
    while (last + 1 < hits.length && hits[last + 1][1] - hits[i][0] <= width) last++;
    if (last - i + 1 > best.count) {
      const lead = Math.min(LEAD, Math.floor((width - (hits[last][1] - hits[i][0])) / 2));
      best = { start: Math.max(0, hits[i][0] - lead), count: last - i + 1 };
    }
  }
  return windowOf(text, best.start, width, hits);
}

/** The opening of the text, for a hit whose match is not in the text shown (a subject-only or a filter query). */
export function opening(text: string, width = 240): Part[] {
  return windowOf(text, 0, width, []);
}

/** Whether offset i falls inside a word, or between the two halves of a surrogate pair. */
const inWord = (text: string, i: number) =>
  i > 0 && i < text.length && ((WORD_CHAR.test(text[i - 1]) && WORD_CHAR.test(text[i])) || /[\udc00-\udfff]/.test(text[i]));

function windowOf(text: string, start: number, width: number, hits: Array<[number, number]>): Part[] {
  // Start at a word and end after one: never cut a word in two.
  let from = start;
  while (inWord(text, from)) from++;
  let to = Math.min(text.length, from + width);
  while (inWord(text, to)) to++;
  const parts = partsOf(text, from, to, hits).map((p) => ({ ...p, text: p.text.replace(/\s+/g, ' ') }));
  if (parts.length && !parts[0].hit) parts[0].text = parts[0].text.trimStart();
  if (parts.length && !parts[parts.length - 1].hit) parts[parts.length - 1].text = parts[parts.length - 1].text.trimEnd();
  if (from > 0) parts.unshift({ text: '… ', hit: false });
  if (to < text.length && text.slice(to).trim()) parts.push({ text: ' …', hit: false });
  return parts.filter((p) => p.text !== '');
}
