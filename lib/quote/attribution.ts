/**
 * Attribution lines: the "On <date>, <name> wrote:" line a mail client puts
 * above quoted text, in the forms read here (English, French, German and
 * Italian clients, mutt, old Gmail, "Quoting X:"). One line at a time,
 * already joined when it wrapped: finding them in a body is
 * ./find-attributions. Quote segmentation labels quote blocks with them;
 * threading finds the parents of messages with no reply headers by them.
 * Pure: no I/O.
 */
import { DateScanner, dateWords, parseAttributionDate, type AttributionLanguage } from './attribution-date';
import { parseAuthor, type Author } from './author';

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
  author: Author | null,
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

/**
 * Whether lines may be one attribution wrapped over several: the first
 * starts as an attribution does, or the last is the verb alone ("wrote:").
 */
export function mayBeWrappedAttribution(first: string, last: string): boolean {
  return WRAP_START.test(first.trim()) || WRAP_VERB_ONLY.test(last.trim());
}
