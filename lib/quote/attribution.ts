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
  /**
   * Apple Mail writes the attribution inside the quote it introduces
   * (`> On 5 Nov 2017, at 10:42, X wrote:` then `> text`): the quoted text is
   * at `depth`, not `depth + 1`.
   */
  insideQuote?: true;
  /**
   * Outlook's header block (`From:` / `Sent:` / `To:` / `Subject:`, often under
   * `-----Original Message-----`) quotes the message below it without markers:
   * every line after it is one level deeper than its `>` markers say.
   */
  unmarked?: true;
}

export interface QuotedLine {
  depth: number;
  /** The line without its quote markers. */
  text: string;
}

/** Splits a line into quote depth and text: `> > foo` and `>> foo` are depth 2. */
export function quoteDepth(line: string): QuotedLine {
  // By hand rather than /^(?:[ \t]*>)+[ \t]?/: every line of every body goes through here.
  let depth = 0;
  let textStart = 0;
  for (let at = 0; ; depth++) {
    let c = line.charCodeAt(at);
    while (c === 32 || c === 9) c = line.charCodeAt(++at);
    if (c !== 62 /* > */) break;
    textStart = ++at;
  }
  if (depth === 0) return { depth, text: line };
  const c = line.charCodeAt(textStart);
  return { depth, text: line.slice(c === 32 || c === 9 ? textStart + 1 : textStart) };
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

/** Languages of the attribution forms read here; other languages' dates are written day first. */
export type AttributionLanguage = 'en' | 'fr' | 'de' | 'it';

/** Month names and abbreviations (without their dot), by language, from a space-separated list of `name:number`. */
function table(entries: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of entries.trim().split(/\s+/)) {
    const [name, n] = entry.split(':');
    out[name!] = Number(n);
  }
  return out;
}

const MONTHS: Record<AttributionLanguage, Record<string, number>> = {
  en: table(`jan:1 feb:2 mar:3 apr:4 may:5 jun:6 jul:7 aug:8 sep:9 sept:9 oct:10 nov:11 dec:12 january:1 february:2
    march:3 april:4 june:6 july:7 august:8 september:9 october:10 november:11 december:12`),
  fr: table(`janvier:1 janv:1 jan:1 février:2 fevrier:2 févr:2 fevr:2 fév:2 fev:2 mars:3 avril:4 avr:4 mai:5 juin:6
    juillet:7 juil:7 août:8 aout:8 septembre:9 sept:9 sep:9 octobre:10 oct:10 novembre:11 nov:11 décembre:12
    decembre:12 déc:12 dec:12`),
  de: table(`januar:1 jänner:1 jan:1 jän:1 februar:2 feb:2 märz:3 maerz:3 mär:3 mrz:3 april:4 apr:4 mai:5 juni:6 jun:6
    juli:7 jul:7 august:8 aug:8 september:9 sept:9 sep:9 oktober:10 okt:10 november:11 nov:11 dezember:12 dez:12`),
  it: table(`gennaio:1 gen:1 febbraio:2 feb:2 marzo:3 mar:3 aprile:4 apr:4 maggio:5 mag:5 giugno:6 giu:6 luglio:7
    lug:7 agosto:8 ago:8 settembre:9 set:9 sett:9 ottobre:10 ott:10 novembre:11 nov:11 dicembre:12 dic:12`),
};

/** Weekday names and abbreviations, without their dot. */
const WEEKDAYS: Record<AttributionLanguage, Set<string>> = {
  en: new Set('mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun sunday'.split(' ')),
  fr: new Set('lundi mardi mercredi jeudi vendredi samedi dimanche lun mar mer jeu ven sam dim'.split(' ')),
  de: new Set('montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag mo di mi do fr sa so'.split(' ')),
  it: new Set('lunedì lunedi martedì martedi mercoledì mercoledi giovedì giovedi venerdì venerdi sabato domenica lun mar mer gio ven sab dom'.split(' ')),
};

/** Words that join the parts of a date: "at 10:29", "à 10:29", "um 10:29 Uhr", "alle ore 13:21". */
const CONNECTIVES: Record<AttributionLanguage, Set<string>> = {
  en: new Set(['at']),
  fr: new Set(['à', 'a']),
  de: new Set(['um', 'uhr']),
  it: new Set(['alle', 'ore', 'giorno']),
};

/** Zone abbreviations common on mailing lists, in minutes east of UTC. */
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0, west: 60, bst: 60, cet: 60, cest: 120, met: 60, mest: 120,
  eet: 120, eest: 180, msk: 180, ist: 330, sgt: 480, hkt: 480, cst: -360, cdt: -300, est: -300,
  edt: -240, mst: -420, mdt: -360, pst: -480, pdt: -420, akst: -540, akdt: -480, hst: -600,
  jst: 540, kst: 540, aest: 600, aedt: 660, acst: 570, acdt: 630, awst: 480, nzst: 720, nzdt: 780,
};

const MERIDIEM: Record<string, 'am' | 'pm'> = { am: 'am', 'a.m.': 'am', 'a.m': 'am', pm: 'pm', 'p.m.': 'pm', 'p.m': 'pm' };

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
  constructor(private readonly lang: AttributionLanguage = 'en') {}

  private year: number | null = null;
  private month: number | null = null;
  private day: number | null = null;
  private time: Time | null = null;
  private meridiem: 'am' | 'pm' | null = null;
  private offset: number | null = null;
  private weekday = false;
  private zoneNamed = false;

  push(word: string): boolean {
    const t = word.toLowerCase();
    const c = t.charCodeAt(0);
    if (c >= 48 && c <= 57) return this.pushNumber(t);
    if (c === 43 || c === 45) return /^[+-]\d{2}:?\d{2}$/.test(t) && this.pushZone(zoneMinutes(t), false);
    // Gmail's `GMT+01:00`.
    if (/^(?:gmt|utc)[+-]\d{2}:?\d{2}$/.test(t)) return this.pushZone(zoneMinutes(t.slice(3)), false);
    const bare = t.endsWith('.') ? t.slice(0, -1) : t;
    if (CONNECTIVES[this.lang].has(t)) return true;
    if (!this.weekday && WEEKDAYS[this.lang].has(bare)) {
      this.weekday = true;
      return true;
    }
    const month = MONTHS[this.lang][bare];
    if (month !== undefined) {
      if (this.month !== null) return false;
      this.month = month;
      return true;
    }
    const meridiem = MERIDIEM[t];
    if (meridiem !== undefined) {
      if (this.meridiem !== null) return false;
      this.meridiem = meridiem;
      return true;
    }
    const zone = ZONES[t];
    return zone !== undefined && this.pushZone(zone, true);
  }

  private pushZone(minutes: number, named: boolean): boolean {
    if (this.offset !== null) {
      // `-0700 (PDT)`: a zone name after the offset is a comment.
      if (!named || this.zoneNamed) return false;
      this.zoneNamed = true;
      return true;
    }
    this.zoneNamed = named;
    this.offset = minutes;
    return true;
  }

  private pushNumber(t: string): boolean {
    let m: RegExpExecArray | null;
    if ((m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:([ap])\.?(?:m\.?)?)?$/.exec(t))) {
      if (this.time !== null) return false;
      this.time = { h: Number(m[1]), m: Number(m[2]), s: Number(m[3] ?? 0) };
      if (m[4]) this.meridiem = m[4] === 'a' ? 'am' : 'pm';
      return true;
    }
    if ((m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(t))) return this.ymd(Number(m[1]), Number(m[2]), Number(m[3]));
    if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(t))) {
      // US clients write month first; a first number above 12 can only be a day (en-GB, 24/12/17).
      // French, German and Italian clients always write the day first.
      const [a, b] = [Number(m[1]), Number(m[2])];
      return a > 12 || this.lang !== 'en' ? this.ymd(fullYear(m[3]!), b, a) : this.ymd(fullYear(m[3]!), a, b);
    }
    // Dots and dashes with the year last are day first (de-DE, mutt's `%d-%m-%y`).
    if ((m = /^(\d{1,2})[.-](\d{1,2})[.-](\d{2}|\d{4})$/.exec(t))) return this.ymd(fullYear(m[3]!), Number(m[2]), Number(m[1]));
    if ((m = /^(\d{1,2})-([a-z]{3})-(\d{2}|\d{4})$/.exec(t)) && MONTHS[this.lang][m[2]!] !== undefined) {
      return this.ymd(fullYear(m[3]!), MONTHS[this.lang][m[2]!]!, Number(m[1]));
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

/** Space, tab, comma, parentheses, line breaks, no-break space. */
function separatesWords(c: number): boolean {
  return c === 32 || c === 9 || c === 44 || c === 40 || c === 41 || c === 10 || c === 13 || c === 160;
}

/** Words of a date or attribution with their end offsets; commas and parentheses only separate. */
function dateWords(text: string): { word: string; end: number }[] {
  const words: { word: string; end: number }[] = [];
  for (let at = 0; at < text.length; ) {
    while (at < text.length && separatesWords(text.charCodeAt(at))) at++;
    const start = at;
    while (at < text.length && !separatesWords(text.charCodeAt(at))) at++;
    if (at > start) words.push({ word: text.slice(start, at), end: at });
  }
  return words;
}

/**
 * Parses the date of an attribution in the forms mail clients write:
 * `Fri, Dec 31, 2010 at 10:29 AM`, `Thu, 12 Mar 2009 18:08:44 -0400`,
 * `Thu, Mar 12, 2009 at 06:08:44PM -0400`, `Tue 03-03-09 10:58:35`,
 * `Thu, 2009-03-12 at 18:08 -0400`, `24/12/17 10:40`, `12/31/2010 10:29 AM`,
 * `5 Nov 2017, at 10:42`, `2010-12-31 10:29:00 -0800`, ISO 8601.
 * Every word must be accounted for, so "Fri, Dec 31, 2010 Joel" fails.
 */
export function parseAttributionDate(text: string, lang: AttributionLanguage = 'en'): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (iso) {
    const [, y, mo, d, h, mi, s, zone] = iso;
    const offset = zone === undefined ? null : zone === 'Z' ? 0 : zoneMinutes(zone);
    return formatDate(Number(y), Number(mo), Number(d), { h: Number(h), m: Number(mi), s: Number(s ?? 0) }, offset);
  }
  const scanner = new DateScanner(lang);
  for (const { word } of dateWords(text)) if (!scanner.push(word)) return null;
  return scanner.result();
}

function zoneMinutes(zone: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function daysInMonth(y: number, mo: number): number {
  if (mo === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
}

const pad = (n: number) => String(n).padStart(2, '0');

function formatDate(
  y: number,
  mo: number,
  d: number,
  time: { h: number; m: number; s: number } | null,
  offsetMinutes: number | null,
): string | null {
  if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  if (time === null) return `${y}-${pad(mo)}-${pad(d)}`;
  if (time.h > 23 || time.m > 59 || time.s > 60) return null;
  if (offsetMinutes === null) return `${y}-${pad(mo)}-${pad(d)}T${pad(time.h)}:${pad(time.m)}:${pad(time.s)}`;
  const utc = Date.UTC(y, mo - 1, d, time.h, time.m, time.s) - offsetMinutes * 60_000;
  return new Date(utc).toISOString().replace('.000Z', 'Z');
}

const VERB = String.raw`(?:wrote|writes|said|says)`;
/** "wrote" in every language read here. */
const ANY_VERB = String.raw`(?:wrote|writes|said|says|a\s+écrit|schrieb|ha\s+scritto)`;
/** `On <date>, <author> wrote:` and Eudora's `At <date>, <author> wrote:`. */
const ON_DATE = new RegExp(String.raw`^(?:On|At)\s+(.+?)\s+${VERB}\s*:$`, 'i');
/** mutt: `* Name <addr> [2010-12-31 10:29:00 -0800]:` or `* Name <addr> wrote:`. */
const STAR = new RegExp(String.raw`^\*\s+(.+?)\s*(?:\[([^\]]+)\]\s*:|${VERB}\s*:)$`, 'i');
/** Old Gmail: `2010/12/31 Joel Becker <Joel.Becker@oracle.com>:`, `2017-11-04 18:17 GMT+01:00 Stephen Connolly <...>:`. */
const GMAIL_OLD = /^(\d{4}[/-]\d{1,2}[/-]\d{1,2}(?: \d{1,2}:\d{2}(?: GMT[+-]\d{2}:?\d{2})?)?)\s+(.+?<[^<>]+>)\s*:$/;
const QUOTING = /^Quoting\s+(.+?)\s*:$/i;
/** French: `Le 14/02/2011 11:56, Vasiliy Kulikov a écrit :`, `Le mardi 31 octobre 2017, 16:08:01 CET Hervé BOUTEMY a écrit :`. */
const FRENCH = /^Le\s+(.+?)\s+a\s+écrit\s*:$/i;
/** German: `Am 10.07.20 um 12:47 schrieb Mahmood Naderan:`, `Am Fr., 31. Dez. 2010 um 10:29 Uhr schrieb Joel Becker <...>:`. */
const GERMAN = /^Am\s+(.+?)\s+schrieb\s+(.+?)\s*:$/i;
/** German, author first: `Joel Becker <...> schrieb am 31.12.2010 10:29:`. */
const GERMAN_AUTHOR_FIRST = /^(.+?)\s+schrieb\s+am\s+(.+?)\s*:$/i;
/** Italian: `Il dom 3 dic 2017, 13:21 Tibor Digana <...> ha scritto:`. */
const ITALIAN = /^Il\s+(?:giorno\s+)?(.+?)\s+ha\s+scritto\s*:$/i;
const AUTHOR_WROTE = new RegExp(String.raw`^(.+?)\s+${ANY_VERB}\s*:$`, 'i');
/** What every form above contains: a cheap test that turns away the many other lines ending in ':'. */
const MAY_BE_ATTRIBUTION = /wrote|writes|said|says|écrit|schrieb|scritto|^\s*(?:\*|Quoting|\d{4}[/-])/i;

/**
 * Parses one attribution (already joined into one line when it wrapped).
 * Returns null for text that is not an attribution.
 */
export function parseAttribution(line: string): Attribution | null {
  if (line.length > 600 || !MAY_BE_ATTRIBUTION.test(line)) return null;
  const text = line.replace(/\s+/g, ' ').trim();
  if (text.length > 300 || !text.endsWith(':')) return null;
  // Replies quote the attributions of the messages they answer again and again: parse each text once.
  let parsed = parsedAttributions.get(text);
  if (parsed === undefined) {
    if (parsedAttributions.size >= PARSED_ATTRIBUTIONS_MAX) parsedAttributions.clear();
    parsed = parseAttributionText(text);
    parsedAttributions.set(text, parsed);
  }
  return parsed && { ...parsed };
}

/** Memo of parseAttribution, by normalised text; cleared when full. */
const parsedAttributions = new Map<string, Attribution | null>();
const PARSED_ATTRIBUTIONS_MAX = 4096;

function parseAttributionText(text: string): Attribution | null {
  let m: RegExpExecArray | null;
  if ((m = ON_DATE.exec(text))) return splitDateAndAuthor(m[1]!, 'en');
  if ((m = STAR.exec(text))) return withDate(parseAuthor(m[1]!), m[2] ?? null);
  if ((m = GMAIL_OLD.exec(text))) return withDate(parseAuthor(m[2]!), m[1]!);
  if ((m = QUOTING.exec(text))) return withDate(parseAuthor(m[1]!), null);
  if ((m = FRENCH.exec(text))) return splitDateAndAuthor(m[1]!, 'fr');
  // A German date is followed by its author, not prose: "Am Ende schrieb Joe:" is no attribution.
  if ((m = GERMAN.exec(text))) return /\d/.test(m[1]!) ? withDate(parseAuthor(m[2]!), m[1]!, 'de') : null;
  if ((m = GERMAN_AUTHOR_FIRST.exec(text))) return /\d/.test(m[2]!) ? withDate(parseAuthor(m[1]!), m[2]!, 'de') : null;
  if ((m = ITALIAN.exec(text))) return splitDateAndAuthor(m[1]!, 'it');
  if ((m = AUTHOR_WROTE.exec(text))) {
    // `<date>, <author> wrote:` without the "On".
    if (/^\d/.test(m[1]!)) return splitDateAndAuthor(m[1]!, 'en');
    return withDate(parseAuthor(m[1]!), null);
  }
  return null;
}

function withDate(
  author: { name: string | null; address: string | null } | null,
  dateText: string | null,
  lang: AttributionLanguage = 'en',
): Attribution | null {
  if (!author) return null;
  const trimmed = dateText?.trim() || null;
  return { ...author, dateText: trimmed, date: trimmed === null ? null : parseAttributionDate(trimmed, lang) };
}

/**
 * `Fri, Dec 31, 2010 at 10:29 AM, Joel Becker <...>`: the date has commas of
 * its own and the name may too ("Bounine, Alexandre"), and some clients put
 * no comma at all before the name. Take the longest leading run of words
 * that reads as a date and leaves an author after it.
 */
function splitDateAndAuthor(text: string, lang: AttributionLanguage): Attribution | null {
  const scanner = new DateScanner(lang);
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
const WRAP_START = /^(?:On|At|Quoting|Le|Am|Il)\s|^\*\s|^\d/i;
const WRAP_VERB_ONLY = new RegExp(String.raw`^(?:${ANY_VERB}|écrit)\s*:$`, 'i');

/** The separator line some clients put above a header block. */
const HEADER_SEPARATOR =
  /^\s*(?:-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Forwarded message|Message transféré|Weitergeleitete Nachricht)\s*-{2,}|_{10,})\s*$/i;
const HEADER_FROM = /^(?:From|Von|De)\s*:\s*(\S.*)$/i;
const HEADER_FIELD = /^(Sent|Date|Gesendet|Datum|Envoyé|To|An|À|Cc|Bcc|Subject|Betreff|Objet|Reply-To)\s*:\s*(.*)$/i;
const HEADER_DATE_LANG: Record<string, AttributionLanguage> = { gesendet: 'de', datum: 'de', 'envoyé': 'fr' };

/** The author of a `From:` header: a header, not prose, so any display name is taken. */
function headerAuthor(value: string): { name: string | null; address: string | null } {
  const parsed = /\[mailto:/i.test(value) ? null : parseAuthor(value);
  if (parsed) return parsed;
  const m = /^(.*?)\s*(?:<([^<>]*)>|\[mailto:([^\]]*)\])?\s*$/i.exec(value.trim())!;
  const name = m[1]!.replace(/^["']+|["']+$/g, '').trim() || null;
  return { name, address: normaliseAddress((m[2] ?? m[3] ?? '').replace(/\s+/g, '')) };
}

interface HeaderBlock extends Attribution {
  startLine: number;
  endLine: number;
  /** An Outlook block (a separator, or `Sent:`/`To:`/`Subject:` fields): it may quote without markers. */
  outlook: boolean;
}

/**
 * A header block quoted as an attribution: Outlook's `From:` / `Sent:` / `To:`
 * / `Subject:` (maybe under `-----Original Message-----` or a rule of `_`),
 * or `From:` / `Date:` above a `>` quote (David Miller's mailer). Needs a date.
 */
function headerBlockAt(lines: readonly QuotedLine[], i: number): HeaderBlock | null {
  const { depth, text } = lines[i]!;
  const from = HEADER_FROM.exec(text.trim());
  if (!from) return null;
  const separated = i > 0 && lines[i - 1]!.depth === depth && HEADER_SEPARATOR.test(lines[i - 1]!.text);
  let dateText: string | null = null;
  let lang: AttributionLanguage = 'en';
  let outlook = separated;
  let end = i + 1;
  let lastField = '';
  for (let wrapped = 0; end < lines.length && end < i + 10; end++) {
    const line = lines[end]!;
    if (line.depth !== depth || line.text.trim() === '') break;
    const field = HEADER_FIELD.exec(line.text.trim());
    if (field) {
      lastField = field[1]!.toLowerCase();
      if (lastField === 'date' || lastField === 'sent' || lastField in HEADER_DATE_LANG) {
        dateText = field[2]!.trim();
        lang = HEADER_DATE_LANG[lastField] ?? 'en';
      }
      if (lastField !== 'date') outlook = true;
    } else if ((lastField === 'subject' || lastField === 'to' || lastField === 'cc') && wrapped++ < 2) {
      continue; // a long Subject: or To: wrapped onto the next line
    } else break;
  }
  if (dateText === null) return null;
  return {
    ...headerAuthor(from[1]!),
    dateText,
    date: parseAttributionDate(dateText, lang),
    startLine: separated ? i - 1 : i,
    endLine: end,
    outlook,
  };
}

/**
 * Finds the attribution lines of a body, at any quote depth. An attribution
 * counts only when quoted text one level deeper follows it (after blank
 * lines, if any): prose that happens to end in "wrote:" does not. Two forms
 * are followed by text at their own depth: Apple Mail's attribution written
 * as the first line of the quote, and Outlook's header block (`unmarked`).
 */
export function findAttributions(body: string | readonly string[]): AttributionLine[] {
  const raw = typeof body === 'string' ? body.split(/\r?\n/) : body;
  return attributionsIn(raw.map(quoteDepth));
}

/** Whether a line's text is blank, without allocating. */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** Whether a line's text ends with ':' (trailing blanks aside), without allocating. */
function endsWithColon(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 13)) i--;
  return i >= 0 && text.charCodeAt(i) === 58;
}

/** How the text after an attribution quotes: one level deeper, at its depth (Apple Mail), or without markers (Outlook). */
type QuoteForm = 'deeper' | 'inside' | 'unmarked' | null;

const BLANK_LINE = 0;
const TEXT_LINE = 1;
const COLON_LINE = 2;

/** findAttributions over lines already split by quoteDepth (quote segmentation has them at hand). */
export function attributionsIn(lines: readonly QuotedLine[]): AttributionLine[] {
  const found: AttributionLine[] = [];
  const n = lines.length;
  const shape = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const text = lines[i]!.text;
    shape[i] = isBlank(text) ? BLANK_LINE : endsWithColon(text) ? COLON_LINE : TEXT_LINE;
  }
  /** The form of the quote after lines [start, end), checked before any parsing: it rules out most candidates. */
  const formAfter = (start: number, end: number, depth: number, outlook: boolean): QuoteForm => {
    let next = end;
    while (next < n && shape[next] === BLANK_LINE) next++;
    if (next >= n) return null;
    const nextDepth = lines[next]!.depth;
    if (nextDepth > depth) return 'deeper';
    if (nextDepth < depth) return null;
    if (depth > 0 && opensQuote(lines, shape, start, depth)) return 'inside';
    return outlook ? 'unmarked' : null;
  };
  for (let i = 0; i < n; i++) {
    if (shape[i] === BLANK_LINE) continue;
    const { depth, text } = lines[i]!;
    let parsed: Attribution | null = null;
    let form: QuoteForm = null;
    let start = i;
    let end = i + 1;
    if (shape[i] === COLON_LINE) {
      form = formAfter(i, end, depth, false);
      if (form !== null) parsed = parseAttribution(text);
    } else {
      const first = text.charCodeAt(0) | 0x20; // lower case: From:, Von:, De:
      const block = first === 0x66 || first === 0x76 || first === 0x64 ? headerBlockAt(lines, i) : null;
      if (block) {
        ({ startLine: start, endLine: end } = block);
        form = formAfter(start, end, depth, block.outlook);
        if (form !== null) parsed = { name: block.name, address: block.address, dateText: block.dateText, date: block.date };
      } else {
        // Wrapped over two or three lines, all at the same depth.
        for (let last = i + 1; last <= i + 2 && last < n; last++) {
          if (shape[last] === BLANK_LINE || lines[last]!.depth !== depth) break;
          if (shape[last] !== COLON_LINE) continue;
          if (!WRAP_START.test(text.trim()) && !WRAP_VERB_ONLY.test(lines[last]!.text.trim())) break;
          form = formAfter(i, last + 1, depth, false);
          if (form === null) break;
          const parts: string[] = [];
          for (let k = i; k <= last; k++) parts.push(lines[k]!.text.trim());
          parsed = parseAttribution(parts.join(' '));
          end = last + 1;
          break;
        }
      }
    }
    if (parsed === null) continue;
    const line: AttributionLine = { ...parsed, startLine: start, endLine: end, depth };
    if (form === 'inside') line.insideQuote = true;
    else if (form === 'unmarked') line.unmarked = true;
    found.push(line);
    i = end - 1;
  }
  return found;
}

/** Whether line `start` is the first non-blank line of a quote at `depth`. */
function opensQuote(lines: readonly QuotedLine[], shape: Uint8Array, start: number, depth: number): boolean {
  let before = start - 1;
  while (before >= 0 && shape[before] === BLANK_LINE) before--;
  return before < 0 || lines[before]!.depth < depth;
}
