/**
 * Attribution lines: the "On <date>, <name> wrote:" line a mail client puts
 * above quoted text. Threading uses them to find the parent of messages that
 * carry no reply headers (pipermail pages); quote segmentation uses them to
 * label quote blocks. Pure functions, no I/O.
 */

import { deobfuscateText } from '../mail/obfuscation';

export { deobfuscateText as deobfuscateAddress };

export interface Attribution {
  /** The quoted author's display name, as written. */
  name: string | null;
  /** The quoted author's address, de-obfuscated ("x at y.org" -> "x@y.org"), domain lower-cased. */
  address: string | null;
  /** The date as written in the attribution, if any. */
  dateText: string | null;
  /**
   * The date parsed to ISO 8601: UTC (`...Z`) when the attribution names a
   * zone or offset; otherwise the writer's local time without offset
   * (`2010-12-31T10:29:00`); a bare `YYYY-MM-DD` when no time is given.
   */
  date: string | null;
}

export interface AttributionLine extends Attribution {
  /** First line of the attribution (0-based index into the body's lines). */
  startLine: number;
  /** Line after the attribution; it may wrap over up to three lines. */
  endLine: number;
  /** Quote depth of the attribution itself: 0 in new text, 1 inside a `>` quote, ... */
  depth: number;
}

export interface QuotedLine {
  depth: number;
  /** The line without its quote markers. */
  text: string;
}

/** Splits a line into quote depth and text: `> > foo` and `>> foo` are depth 2. */
export function quoteDepth(line: string): QuotedLine {
  // Most lines are not quoted: skip the regex for them.
  const first = line.trimStart().charCodeAt(0);
  if (first !== 62 /* > */) return { depth: 0, text: line };
  const m = /^(?:[ \t]*>)+[ \t]?/.exec(line);
  if (!m) return { depth: 0, text: line };
  let depth = 0;
  for (const ch of m[0]) if (ch === '>') depth++;
  return { depth, text: line.slice(m[0].length) };
}

const ADDRESS = /^([^\s<>()@",;]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/;

function normaliseAddress(text: string): string | null {
  const m = ADDRESS.exec(deobfuscateText(text.trim()).replace(/^mailto:/i, ''));
  return m ? `${m[1]}@${m[2]!.toLowerCase()}` : null;
}

/** Words of prose that no display name contains ("de", "van", "bin" and the like are fine). */
const PROSE_WORDS = new Set(
  ('i we you he she they it me as that this the a an and or but so if then than think thought said says ' +
    'also hi hello dear thanks what which who when where earlier above below has have had was were is are ' +
    'be been to of in on at for with from by not no yes').split(' '),
);

/**
 * A display name must look like a name, not a sentence: this is what keeps
 * "I think Joe wrote:" or "Hi, as Linus wrote:" from being taken as attributions.
 */
function plausibleName(name: string): boolean {
  if (name.length === 0 || name.length > 60) return false;
  if (/[:;!?<>[\]{}=|\\/]/.test(name)) return false;
  if ((name.match(/,/g) ?? []).length > 1) return false;
  const words = name.split(/\s+/);
  if (words.length > 5) return false;
  if (words.some((w) => !w.endsWith('.') && PROSE_WORDS.has(w.toLowerCase().replace(/[^\p{L}]/gu, '')))) return false;
  // Initials ("Aneesh Kumar K. V", "J. Bruce Fields") may end with '.', other words may not.
  return words.every((w) => /^[\p{L}'"(][\p{L}\p{M}'".,()-]*$/u.test(w) && !/\p{L}{2,}\.$/u.test(w));
}

/** Parses the author part of an attribution: `Name <addr>`, `"Name" <addr>`, `<addr>`, `Name (addr)`, `Name`. */
export function parseAuthor(text: string): { name: string | null; address: string | null } | null {
  let rest = deobfuscateText(text.trim())
    // Clients that turn addresses into links: `joe@x.org <mailto:joe@x.org>`.
    .replace(/\s*<mailto:[^<>]*>/gi, '')
    .replace(/\[mailto:[^\]]*\]/gi, '')
    .trim();
  let address: string | null = null;
  // Wrapping may have split the address inside its brackets; spaces there are never part of it.
  const bracketed = /<([^<>]*)>\s*$/.exec(rest) ?? /\(([^()]*@[^()]*)\)\s*$/.exec(rest);
  if (bracketed) {
    address = normaliseAddress(bracketed[1]!.replace(/\s+/g, ''));
    if (!address) return null;
    rest = rest.slice(0, bracketed.index).trim();
  } else {
    const bare = /(?:^|\s)(\S+@\S+)$/.exec(rest);
    if (bare) {
      address = normaliseAddress(bare[1]!);
      if (!address) return null;
      rest = rest.slice(0, bare.index).trim();
    }
  }
  const name = rest.replace(/^["']+|["']+$/g, '').replace(/\s+/g, ' ').trim();
  if (name === '') return address ? { name: null, address } : null;
  if (!plausibleName(name)) return null;
  return { name, address };
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
  january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10,
  november: 11, december: 12,
};

/** Zone abbreviations common on mailing lists, in minutes east of UTC. */
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, west: 60, bst: 60, cet: 60, cest: 120, met: 60, mest: 120,
  eet: 120, eest: 180, msk: 180, ist: 330, sgt: 480, hkt: 480, cst: -360, cdt: -300, est: -300,
  edt: -240, mst: -420, mdt: -360, pst: -480, pdt: -420, akst: -540, akdt: -480, hst: -600,
  jst: 540, kst: 540, aest: 600, aedt: 660, acst: 570, acdt: 630, awst: 480, nzst: 720, nzdt: 780,
};

const WEEKDAY = /^(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day|nesday|sday|urday)?\.?$/;

function fullYear(y: string): number {
  const n = Number(y);
  return y.length <= 2 ? (n < 70 ? 2000 + n : 1900 + n) : n;
}

type Time = { h: number; m: number; s: number };

/**
 * Reads the words of a date one at a time, so that the longest prefix of
 * "<date>, <author>" that is a date is found in one pass. `push` returns
 * false at the first word that cannot belong to a date.
 */
class DateScanner {
  private year: number | null = null;
  private month: number | null = null;
  private day: number | null = null;
  private time: Time | null = null;
  private meridiem: 'am' | 'pm' | null = null;
  private offset: number | null = null;
  private weekday = false;

  push(word: string): boolean {
    const t = word.toLowerCase();
    let m: RegExpExecArray | null;
    if (t === 'at') return true;
    if (!this.weekday && WEEKDAY.test(t)) {
      this.weekday = true;
      return true;
    }
    const month = MONTHS[t.endsWith('.') ? t.slice(0, -1) : t];
    if (month !== undefined) {
      if (this.month !== null) return false;
      this.month = month;
      return true;
    }
    if ((m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:([ap])\.?(?:m\.?)?)?$/.exec(t))) {
      if (this.time !== null) return false;
      this.time = { h: Number(m[1]), m: Number(m[2]), s: Number(m[3] ?? 0) };
      if (m[4]) this.meridiem = m[4] === 'a' ? 'am' : 'pm';
      return true;
    }
    if ((m = /^([ap])\.?m\.?$/.exec(t))) {
      if (this.meridiem !== null) return false;
      this.meridiem = m[1] === 'a' ? 'am' : 'pm';
      return true;
    }
    if (/^[+-]\d{2}:?\d{2}$/.test(t) || ZONES[t] !== undefined) {
      if (this.offset !== null) return false;
      this.offset = ZONES[t] ?? zoneMinutes(t);
      return true;
    }
    if ((m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(t))) return this.ymd(Number(m[1]), Number(m[2]), Number(m[3]));
    if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(t))) {
      // US clients write month first; a first number above 12 can only be a day (en-GB, 24/12/17).
      const [a, b] = [Number(m[1]), Number(m[2])];
      return a > 12 ? this.ymd(fullYear(m[3]!), b, a) : this.ymd(fullYear(m[3]!), a, b);
    }
    // Dots and dashes with the year last are day first (de-DE, mutt's `%d-%m-%y`).
    if ((m = /^(\d{1,2})[.-](\d{1,2})[.-](\d{2}|\d{4})$/.exec(t))) return this.ymd(fullYear(m[3]!), Number(m[2]), Number(m[1]));
    if ((m = /^(\d{1,2})-([a-z]{3})-(\d{2}|\d{4})$/.exec(t)) && MONTHS[m[2]!] !== undefined) {
      return this.ymd(fullYear(m[3]!), MONTHS[m[2]!]!, Number(m[1]));
    }
    if (/^\d{4}$/.test(t)) {
      if (this.year !== null) return false;
      this.year = Number(t);
      return true;
    }
    if ((m = /^(\d{1,2})(?:st|nd|rd|th)?\.?$/.exec(t))) {
      if (this.day !== null) return false;
      this.day = Number(m[1]);
      return true;
    }
    return false;
  }

  private ymd(y: number, mo: number, d: number): boolean {
    if (this.year !== null || this.month !== null || this.day !== null) return false;
    [this.year, this.month, this.day] = [y, mo, d];
    return true;
  }

  /** The date read so far as ISO 8601, or null while it is incomplete or impossible. */
  result(): string | null {
    if (this.year === null || this.month === null || this.day === null) return null;
    let time = this.time;
    if (time !== null && this.meridiem !== null) {
      if (time.h < 1 || time.h > 12) return null;
      time = { ...time, h: (time.h % 12) + (this.meridiem === 'pm' ? 12 : 0) };
    } else if (this.meridiem !== null) return null;
    return formatDate(this.year, this.month, this.day, time, time === null ? null : this.offset);
  }
}

/** Words of a date or attribution with their end offsets; commas and parentheses only separate. */
function dateWords(text: string): { word: string; end: number }[] {
  return [...text.matchAll(/[^\s,()]+/g)].map((m) => ({ word: m[0], end: m.index + m[0].length }));
}

/**
 * Parses the date of an attribution in the forms mail clients write:
 * `Fri, Dec 31, 2010 at 10:29 AM`, `Thu, 12 Mar 2009 18:08:44 -0400`,
 * `Thu, Mar 12, 2009 at 06:08:44PM -0400`, `Tue 03-03-09 10:58:35`,
 * `Thu, 2009-03-12 at 18:08 -0400`, `24/12/17 10:40`, `12/31/2010 10:29 AM`,
 * `5 Nov 2017, at 10:42`, `2010-12-31 10:29:00 -0800`, ISO 8601.
 * Every word must be accounted for, so "Fri, Dec 31, 2010 Joel" fails.
 */
export function parseAttributionDate(text: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (iso) {
    const [, y, mo, d, h, mi, s, zone] = iso;
    const offset = zone === undefined ? null : zone === 'Z' ? 0 : zoneMinutes(zone);
    return formatDate(Number(y), Number(mo), Number(d), { h: Number(h), m: Number(mi), s: Number(s ?? 0) }, offset);
  }
  const scanner = new DateScanner();
  for (const { word } of dateWords(text)) if (!scanner.push(word)) return null;
  return scanner.result();
}

function zoneMinutes(zone: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

const pad = (n: number) => String(n).padStart(2, '0');

function formatDate(
  y: number,
  mo: number,
  d: number,
  time: { h: number; m: number; s: number } | null,
  offsetMinutes: number | null,
): string | null {
  if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCDate() !== d) return null;
  if (time === null) return `${y}-${pad(mo)}-${pad(d)}`;
  if (time.h > 23 || time.m > 59 || time.s > 60) return null;
  if (offsetMinutes === null) return `${y}-${pad(mo)}-${pad(d)}T${pad(time.h)}:${pad(time.m)}:${pad(time.s)}`;
  const utc = Date.UTC(y, mo - 1, d, time.h, time.m, time.s) - offsetMinutes * 60_000;
  return new Date(utc).toISOString().replace('.000Z', 'Z');
}

const VERB = String.raw`(?:wrote|writes|said|says)`;
/** `On <date>, <author> wrote:` and Eudora's `At <date>, <author> wrote:`. */
const ON_DATE = new RegExp(String.raw`^(?:On|At)\s+(.+?)\s+${VERB}\s*:$`, 'i');
/** mutt: `* Name <addr> [2010-12-31 10:29:00 -0800]:` or `* Name <addr> wrote:`. */
const STAR = new RegExp(String.raw`^\*\s+(.+?)\s*(?:\[([^\]]+)\]\s*:|${VERB}\s*:)$`, 'i');
/** Old Gmail: `2010/12/31 Joel Becker <Joel.Becker@oracle.com>:`. */
const GMAIL_OLD = /^(\d{4}\/\d{1,2}\/\d{1,2})\s+(.+?<[^<>]+>)\s*:$/;
const QUOTING = /^Quoting\s+(.+?)\s*:$/i;
const AUTHOR_WROTE = new RegExp(String.raw`^(.+?)\s+${VERB}\s*:$`, 'i');

/**
 * Parses one attribution (already joined into one line when it wrapped).
 * Returns null for text that is not an attribution.
 */
export function parseAttribution(line: string): Attribution | null {
  const text = line.replace(/\s+/g, ' ').trim();
  if (text.length > 300 || !text.endsWith(':')) return null;
  let m: RegExpExecArray | null;
  if ((m = ON_DATE.exec(text))) return splitDateAndAuthor(m[1]!);
  if ((m = STAR.exec(text))) return withDate(parseAuthor(m[1]!), m[2] ?? null);
  if ((m = GMAIL_OLD.exec(text))) return withDate(parseAuthor(m[2]!), m[1]!);
  if ((m = QUOTING.exec(text))) return withDate(parseAuthor(m[1]!), null);
  if ((m = AUTHOR_WROTE.exec(text))) {
    // `<date>, <author> wrote:` without the "On".
    if (/^\d/.test(m[1]!)) return splitDateAndAuthor(m[1]!);
    return withDate(parseAuthor(m[1]!), null);
  }
  return null;
}

function withDate(author: { name: string | null; address: string | null } | null, dateText: string | null): Attribution | null {
  if (!author) return null;
  const trimmed = dateText?.trim() || null;
  return { ...author, dateText: trimmed, date: trimmed === null ? null : parseAttributionDate(trimmed) };
}

/**
 * `Fri, Dec 31, 2010 at 10:29 AM, Joel Becker <...>`: the date has commas of
 * its own and the name may too ("Bounine, Alexandre"), and some clients put
 * no comma at all before the name. Take the longest leading run of words
 * that reads as a date and leaves an author after it.
 */
function splitDateAndAuthor(text: string): Attribution | null {
  const scanner = new DateScanner();
  const dates: { end: number; date: string }[] = [];
  for (const { word, end } of dateWords(text)) {
    if (!scanner.push(word)) break;
    const date = scanner.result();
    if (date !== null) dates.push({ end, date });
  }
  for (let i = dates.length - 1; i >= 0; i--) {
    const { end, date } = dates[i]!;
    const author = parseAuthor(text.slice(end).replace(/^[\s,]+/, ''));
    if (author) return { ...author, dateText: text.slice(0, end), date };
  }
  // A date we cannot read: still an attribution when "<something with digits>, <author>" splits cleanly.
  const comma = text.lastIndexOf(', ');
  if (comma > 0 && /\d/.test(text.slice(0, comma))) {
    const author = parseAuthor(text.slice(comma + 2));
    if (author) return { ...author, dateText: text.slice(0, comma), date: null };
  }
  return null;
}

/** Starts that mark the first line of a wrapped attribution. */
const WRAP_START = /^(?:On|At|Quoting)\s|^\*\s|^\d/i;
const WRAP_VERB_ONLY = new RegExp(String.raw`^${VERB}\s*:$`, 'i');

/**
 * Finds the attribution lines of a body, at any quote depth. An attribution
 * counts only when quoted text one level deeper follows it (after blank
 * lines, if any): prose that happens to end in "wrote:" does not.
 */
export function findAttributions(body: string | readonly string[]): AttributionLine[] {
  const raw = typeof body === 'string' ? body.split(/\r?\n/) : body;
  const lines = raw.map(quoteDepth);
  const found: AttributionLine[] = [];
  const endsWithColon = (i: number) => i < lines.length && lines[i]!.text.trimEnd().endsWith(':');
  for (let i = 0; i < lines.length; i++) {
    const { depth, text } = lines[i]!;
    if (text.trim() === '') continue;
    let parsed: Attribution | null = null;
    let end = i + 1;
    if (!endsWithColon(i)) {
      // Wrapped over two or three lines, all at the same depth.
      for (let n = 2; n <= 3 && parsed === null; n++) {
        const last = i + n - 1;
        if (!endsWithColon(last)) continue;
        const parts = lines.slice(i, last + 1);
        if (parts.some((l) => l.depth !== depth || l.text.trim() === '')) break;
        if (!WRAP_START.test(text.trim()) && !WRAP_VERB_ONLY.test(parts[n - 1]!.text.trim())) break;
        parsed = parseAttribution(parts.map((l) => l.text.trim()).join(' '));
        end = last + 1;
      }
      if (parsed === null) continue;
    } else {
      parsed = parseAttribution(text);
    }
    if (parsed === null) continue;
    let next = end;
    while (next < lines.length && lines[next]!.text.trim() === '' && lines[next]!.depth === depth) next++;
    if (next >= lines.length || lines[next]!.depth <= depth) continue;
    found.push({ ...parsed, startLine: i, endLine: end, depth });
    i = end - 1;
  }
  return found;
}
