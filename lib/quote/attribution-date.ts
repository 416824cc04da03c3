/**
 * The date of an attribution, as mail clients write it in English, French,
 * German and Italian (`Fri, Dec 31, 2010 at 10:29 AM`, `mardi 31 octobre
 * 2017, 16:08:01 CET`, `10.07.20 um 12:47`, `dom 3 dic 2017, 13:21`), read
 * word by word so that the longest leading date of "<date>, <author>" is
 * found in one pass. Pure: no I/O.
 */
import { zoneOffset } from '../mail/zones';

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
export class DateScanner {
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
    // Zone names are written in capitals ("CET"); the words of an attribution are names too ("Art Haas").
    const zone = word === word.toUpperCase() ? zoneOffset(word) : undefined;
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
export function dateWords(text: string): { word: string; end: number }[] {
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
