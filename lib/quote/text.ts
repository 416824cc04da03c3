/**
 * Quoted text as provenance and ghost reconstruction compare it: lines
 * without their quote markers, words without the whitespace between them,
 * and the elision marks ("[...]", "[snip]", "<snip>") repliers put where
 * they cut. Pure: no I/O.
 */
import { quoteDepth } from './quote-depth';

/** The lines of body[from, to), each without its quote markers (and line break). */
export function linesOf(body: string, from = 0, to = body.length): string[] {
  const lines: string[] = [];
  for (let at = from; at < to; ) {
    let nl = body.indexOf('\n', at);
    if (nl < 0 || nl > to) nl = to;
    const end = nl > at && body.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    lines.push(quoteDepth(body.slice(at, end)).text);
    at = nl + 1;
  }
  return lines;
}

/** "[...]", "[ snip ]", "[snipped]", "<snip>", "[..]", "…", "---snip---": where a replier cut the quoted text. */
const ELISION = /^(?:\[\s*(?:\.{2,}|…|snip(?:ped)?|cut|trimmed|deleted|removed)[^\]]*\]|<\s*snip(?:ped)?\s*>|\.{3,}|…|-+\s*(?:snip|8<|>8)\s*-+)$/i;

export function isElision(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && t.length < 40 && ELISION.test(t);
}

/** Words of a body as hashes, with their offsets: one contiguous piece of text. */
export interface Words {
  /** FNV-1a of each word, ASCII letters lower-cased: equal words, equal hashes. */
  hashes: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
}

/** from[start, end) in an array of its own (TypedArray.slice is slower for the short runs quotes give). */
function copy(from: Int32Array, start: number, end: number): Int32Array {
  const out = new Int32Array(end - start);
  for (let i = start; i < end; i++) out[i - start] = from[i]!;
  return out;
}

const newScratch = (size: number): Words => ({ hashes: new Int32Array(size), starts: new Int32Array(size), ends: new Int32Array(size) });
let scratch = newScratch(4096);

/** Space, tab, no-break space, zero-width no-break space (a BOM some clients leave in), form feeds, CR. */
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 160 || c === 0xfeff || c === 13 || c === 12 || c === 11;
}

/** Whether body[i] may start an elision mark: `[`, `<`, `…`, `..`, `--` (not the `-` of every removed line of a patch). */
function mayStartElision(body: string, i: number): boolean {
  const c = body.charCodeAt(i);
  if (c === 91 || c === 60 || c === 0x2026) return true;
  return (c === 46 || c === 45) && body.charCodeAt(i + 1) === c;
}

/** The words of body[from, to), quote markers stripped, with their offsets: a source that quotes are looked for in. */
export function wordsOf(body: string, from = 0, to = body.length): Words {
  const n = scanWords(body, from, to, null);
  return { hashes: scratch.hashes.slice(0, n), starts: scratch.starts.slice(0, n), ends: scratch.ends.slice(0, n) };
}

/**
 * The words of a quote, body[from, to), as hashes, split into pieces at
 * elision marks: each piece was contiguous in the quoted message, the
 * replier cut what was between.
 */
export function quotePieces(body: string, from: number, to: number): Int32Array[] {
  const cuts: number[] = [];
  cuts.push(scanWords(body, from, to, cuts));
  const pieces: Int32Array[] = [];
  for (let k = 0, start = 0; k < cuts.length; start = cuts[k++]!) if (cuts[k]! > start) pieces.push(copy(scratch.hashes, start, cuts[k]!));
  return pieces;
}

/**
 * Hashes the words of body[from, to) with quote markers stripped into the
 * scratch arrays, in one pass over the characters (no string per word), and
 * returns how many there are. With `cuts`, elision marks are dropped and the
 * word count at each is pushed there.
 */
function scanWords(body: string, from: number, to: number, cuts: number[] | null): number {
  // At most one word per two characters. The scratch arrays are reused: most quotes are short, and
  // zeroing fresh arrays for each would cost more than reading the words.
  const capacity = ((to - from) >> 1) + 1;
  if (scratch.hashes.length < capacity) scratch = newScratch(Math.max(capacity, scratch.hashes.length * 2));
  const { hashes, starts, ends } = scratch;
  let n = 0;
  for (let at = from; at < to; ) {
    let end = body.indexOf('\n', at);
    if (end < 0 || end > to) end = to;
    // After the quote markers, as quoteDepth reads them.
    let text = at;
    for (let i = at; ; ) {
      let c = body.charCodeAt(i);
      while (i < end && (c === 32 || c === 9)) c = body.charCodeAt(++i);
      if (i >= end || c !== 62) break;
      text = ++i;
    }
    let i = text;
    while (i < end && isSpace(body.charCodeAt(i))) i++;
    if (cuts && i < end && mayStartElision(body, i) && isElision(body.slice(i, end))) {
      cuts.push(n);
      at = end + 1;
      continue;
    }
    while (i < end) {
      while (i < end && isSpace(body.charCodeAt(i))) i++;
      if (i >= end) break;
      const start = i;
      let h = 0x811c9dc5;
      for (let c = body.charCodeAt(i); i < end && !isSpace(c); c = body.charCodeAt(++i)) {
        h = Math.imul(h ^ (c >= 65 && c <= 90 ? c + 32 : c), 16777619);
      }
      // An elision mark inside a line ("... foo [...] bar") cuts too.
      if (cuts && i - start < 12 && mayStartElision(body, start) && isElision(body.slice(start, i))) {
        cuts.push(n);
        continue;
      }
      hashes[n] = h;
      starts[n] = start;
      ends[n] = i;
      n++;
    }
    at = end + 1;
  }
  return n;
}
