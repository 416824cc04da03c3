/**
 * Parents of messages that carry no reply headers (pipermail pages), found
 * from what the message itself shows: its attribution line and the text it
 * quotes. Pure: works on the inputs handed to threading, no I/O.
 */
import { findAttributions, type AttributionLine } from '../quote/find-attributions';
import { quoteDepth } from '../quote/quote-depth';
import type { Ghost, ThreadInput } from './types';

export type InferredParent = { kind: 'message'; key: string } | { kind: 'ghost'; ghost: Ghost };

/** The attribution's date is the replier's local time with no zone: it may be off by any zone offset. */
const LOCAL_TIME_SLACK_MS = 14 * 3600_000;
/** An attribution with a zone is exact up to clock skew between the two senders' machines. */
const ZONED_SLACK_MS = 2 * 3600_000;
/** Without a date in the attribution, look this far back from the reply, nearest first. */
const UNDATED_LOOKBACK_MS = 90 * 24 * 3600_000;
const UNDATED_MAX_CANDIDATES = 200;
/** Allowed skew when a quoted message seems to be dated after its reply. */
const REPLY_SKEW_MS = 3600_000;
/** Share of the quoted word n-grams that must occur in a candidate's own text. */
const MIN_QUOTE_MATCH = 0.5;
const SHINGLE = 4;

interface Known {
  input: ThreadInput;
  time: number;
}

/** Lower-cased words without punctuation: the sequence survives re-wrapping and reflowed quotes. */
function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/**
 * Share of the quoted text found in a candidate's own words. A fragment (a run
 * of quoted lines) found whole counts fully; otherwise its word 4-grams are
 * looked up one by one, so a quote the replier trimmed still scores. Gives up
 * (returns 0) as soon as the share cannot reach `needed`.
 */
function quoteScore(fragments: readonly QuotedFragment[], own: string, needed: number): number {
  let total = 0;
  for (const fragment of fragments) total += fragment.grams.length;
  let hit = 0;
  let unseen = total;
  for (const fragment of fragments) {
    if (own.includes(fragment.whole)) {
      hit += fragment.grams.length;
      unseen -= fragment.grams.length;
      continue;
    }
    for (const gram of fragment.grams) {
      if (fragment.grams.length > 1 && own.includes(gram)) hit++;
      unseen--;
      if ((hit + unseen) / total < needed) return 0;
    }
  }
  return hit / total;
}

interface QuotedFragment {
  /** The fragment's words, space-separated and space-padded so that only whole words match. */
  whole: string;
  /** Its word 4-grams, padded likewise (the whole fragment when it is shorter). */
  grams: string[];
}

function quotedFragment(ws: readonly string[]): QuotedFragment {
  const grams: string[] = [];
  for (let i = 0; i + SHINGLE <= ws.length; i++) grams.push(` ${ws.slice(i, i + SHINGLE).join(' ')} `);
  const whole = ` ${ws.join(' ')} `;
  return { whole, grams: grams.length > 0 ? grams : [whole] };
}

/** Names compare without case, punctuation or order: "Becker, Joel" is "Joel Becker". */
export function normaliseName(name: string): string {
  return words(name).sort().join(' ');
}

/** cyrb53: a 53-bit string hash, stable across runs and platforms, no crypto dependency. */
function hash53(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/**
 * Key of the ghost for a quoted message that is not in the archive. Same
 * author and same date give the same key, so every reply quoting that
 * message shares the ghost and re-running gives the same key. With no date
 * in the attribution, "Joel wrote:" says too little to identify one
 * message: the ghost is then private to the reply that quotes it.
 */
export function attributionGhostKey(attribution: AttributionLine, replyKey: string): string {
  const author = attribution.address?.toLowerCase() ?? normaliseName(attribution.name ?? '');
  const when = attribution.date ?? attribution.dateText?.replace(/\s+/g, ' ').toLowerCase() ?? null;
  return 'ghost:' + hash53(when === null ? `${author}\n\n${replyKey}` : `${author}\n${when}`);
}

/** Milliseconds for an ISO date; NaN when absent or unreadable. Zone-less local times read as UTC. */
function timeOf(iso: string | null): number {
  if (iso === null) return NaN;
  return Date.parse(/T\d{2}:\d{2}(:\d{2})?$/.test(iso) ? iso + 'Z' : iso);
}

/** When the message an attribution names may have been written: around its date, or before the reply when it gives none. */
function candidateWindow(attribution: AttributionLine, replyTime: number): [number, number] {
  const attributed = timeOf(attribution.date);
  if (!Number.isNaN(attributed)) {
    const slack = attribution.date!.endsWith('Z') ? ZONED_SLACK_MS : LOCAL_TIME_SLACK_MS;
    const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(attribution.date!);
    return [attributed - slack, attributed + slack + (dayOnly ? 24 * 3600_000 : 0)];
  }
  if (!Number.isNaN(replyTime)) return [replyTime - UNDATED_LOOKBACK_MS, replyTime + REPLY_SKEW_MS];
  return [-Infinity, Infinity];
}

/** How inference files a message by its author: `a:` address, `n:` normalised name. */
export function authorKeys(m: { fromName: string | null; fromAddress: string | null }): string[] {
  const keys: string[] = [];
  if (m.fromAddress) keys.push('a:' + m.fromAddress.toLowerCase());
  const name = m.fromName ? normaliseName(m.fromName) : '';
  if (name !== '') keys.push('n:' + name);
  return keys;
}

/** The author keys under which inference looks for the message an attribution names. */
export function attributionKeys(attribution: AttributionLine): string[] {
  const keys: string[] = [];
  if (attribution.address) keys.push('a:' + attribution.address.toLowerCase());
  if (attribution.name) keys.push('n:' + normaliseName(attribution.name));
  return keys;
}

/**
 * Whether a message by the attribution's author, dated `date`, is among those inference
 * considers for it (lib/ingest/rethread.ts uses it to tell which threads new mail can
 * change). Same window as candidatesFor.
 */
export function inCandidateWindow(attribution: AttributionLine, reply: { date: string | null }, date: string | null): boolean {
  const replyTime = timeOf(reply.date);
  const t = timeOf(date);
  const time = Number.isNaN(t) ? Infinity : t;
  const [lo, hi] = candidateWindow(attribution, replyTime);
  return time >= lo && time <= hi && !(!Number.isNaN(replyTime) && time > replyTime + REPLY_SKEW_MS);
}

function lowerBound(list: readonly Known[], time: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The depth of the text an attribution introduces: one deeper than the line,
 * except after Apple Mail's (written inside the quote) and Outlook's header
 * block (the text below it has no markers).
 */
const quotedDepthOf = (a: AttributionLine): number => (a.insideQuote || a.unmarked ? a.depth : a.depth + 1);

/** Whether the attribution introduces what the reply itself quotes, not a quote within a quote. */
const introducesReplyQuote = (a: AttributionLine): boolean => (a.unmarked ? a.depth === 0 : quotedDepthOf(a) === 1);

/** The quoted fragments (runs of lines at `depth`) that belong to an attribution. */
function quotedFragments(lines: readonly string[], from: number, to: number, quoted: number): QuotedFragment[] {
  const fragments: QuotedFragment[] = [];
  let current: string[] = [];
  for (let i = from; i < to; i++) {
    const { depth, text } = quoteDepth(lines[i]!);
    if (depth === quoted) {
      current.push(...words(text));
    } else if (current.length > 0) {
      fragments.push(quotedFragment(current));
      current = [];
    }
  }
  if (current.length > 0) fragments.push(quotedFragment(current));
  return fragments;
}

/**
 * Prepares inference over the known messages. Returns a function that, for
 * a message with no reply headers, finds the message it quotes (by author,
 * date and quoted text) or describes the missing one as a ghost; null when
 * the message shows no attribution.
 */
export function createParentInference(inputs: readonly ThreadInput[]): (message: ThreadInput) => InferredParent | null {
  const ownWords = new Map<string, string>();
  /** Known messages by author (`a:` address, `n:` normalised name), oldest first; built on first need. */
  let authors: Map<string, Known[]> | null = null;
  const byAuthor = (author: string): Known[] => {
    if (authors === null) {
      const index = new Map<string, Known[]>();
      const add = (key: string, known: Known) => {
        const list = index.get(key);
        if (list) list.push(known);
        else index.set(key, [known]);
      };
      for (const input of inputs) {
        // Undated messages sort last and only match attributions that give no date.
        const time = timeOf(input.date);
        const known = { input, time: Number.isNaN(time) ? Infinity : time };
        for (const key of authorKeys(input)) add(key, known);
      }
      const byTime = (a: Known, b: Known) => a.time - b.time || (a.input.key < b.input.key ? -1 : 1);
      for (const list of index.values()) list.sort(byTime);
      authors = index;
    }
    return authors.get(author) ?? [];
  };

  /** The candidate's own (unquoted) words: a reply's quotes must come from what its parent wrote. */
  const ownWordsOf = (input: ThreadInput): string => {
    let own = ownWords.get(input.key);
    if (own === undefined) {
      own = ` ${words(input.body.replace(/^[ \t]*>.*$/gm, '')).join(' ')} `;
      ownWords.set(input.key, own);
    }
    return own;
  };

  const candidatesFor = (attribution: AttributionLine, reply: ThreadInput): Known[] => {
    const lists = attributionKeys(attribution).map(byAuthor);
    const replyTime = timeOf(reply.date);
    const attributed = timeOf(attribution.date);
    const [lo, hi] = candidateWindow(attribution, replyTime);
    const seen = new Set<string>();
    const out: Known[] = [];
    for (const list of lists) {
      for (let i = lowerBound(list, lo); i < list.length && list[i]!.time <= hi; i++) {
        const known = list[i]!;
        if (known.input.key === reply.key || seen.has(known.input.key)) continue;
        if (!Number.isNaN(replyTime) && known.time > replyTime + REPLY_SKEW_MS) continue;
        seen.add(known.input.key);
        out.push(known);
      }
    }
    if (Number.isNaN(attributed) && out.length > UNDATED_MAX_CANDIDATES) {
      out.sort((a, b) => b.time - a.time);
      out.length = UNDATED_MAX_CANDIDATES;
    }
    return out;
  };

  const bestMatch = (attribution: AttributionLine, reply: ThreadInput, quoted: QuotedFragment[]): Known | null => {
    const candidates = candidatesFor(attribution, reply);
    const target = Number.isNaN(timeOf(attribution.date)) ? timeOf(reply.date) : timeOf(attribution.date);
    if (quoted.length === 0) {
      // Nothing quoted to compare: author and a timed date must single out one message.
      const timed = attribution.date !== null && attribution.date.includes('T');
      return timed && candidates.length === 1 ? candidates[0]! : null;
    }
    // Nearest in time first: the first perfect match cannot be beaten, the search stops there.
    candidates.sort((a, b) => Math.abs(a.time - target) - Math.abs(b.time - target) || (a.input.key < b.input.key ? -1 : 1));
    let best: Known | null = null;
    let bestScore = 0;
    for (const c of candidates) {
      const score = quoteScore(quoted, ownWordsOf(c.input), Math.max(MIN_QUOTE_MATCH, bestScore));
      if (score > bestScore) {
        best = c;
        bestScore = score;
        if (score === 1) break;
      }
    }
    return bestScore >= MIN_QUOTE_MATCH ? best : null;
  };

  return (message) => {
    const lines = message.body.split(/\r?\n/);
    const attributions = (message.attributions ?? findAttributions(lines)).filter(introducesReplyQuote);
    if (attributions.length === 0) return null;
    // A reply may answer several messages; the first attribution that leads to a known one wins.
    for (let i = 0; i < attributions.length; i++) {
      const a = attributions[i]!;
      const to = i + 1 < attributions.length ? attributions[i + 1]!.startLine : lines.length;
      const match = bestMatch(a, message, quotedFragments(lines, a.endLine, to, quotedDepthOf(a)));
      if (match) return { kind: 'message', key: match.input.key };
    }
    const first = attributions[0]!;
    return {
      kind: 'ghost',
      ghost: {
        key: attributionGhostKey(first, message.key),
        messageId: null,
        authorName: first.name,
        authorAddress: first.address,
        dateText: first.dateText,
        date: first.date,
      },
    };
  };
}
