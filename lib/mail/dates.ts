/**
 * Mail dates to ISO 8601 UTC. Handles RFC 5322 (`Fri, 31 Dec 2010 01:31:44 -0800`),
 * asctime / pipermail (`Fri Dec 31 01:31:44 PST 2010`) and ISO forms, on the 12-hour
 * clock too (`06:09:22 PM EDT`). Written by hand rather than with `new Date(s)` because
 * V8's fallback parser accepts garbage (`new Date('garbage 12')` is 2001-12-01) and
 * knows only the US zone names. messageDate picks a message's date among its sources.
 */

import { zoneAmbiguity, zoneOffset } from './zones';

export interface ParsedDate {
  /** ISO 8601 UTC, or null when the string is not a date. */
  iso: string | null;
  /** Set when the result rests on a guess (no zone, unknown or ambiguous zone). */
  note?: string;
}

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

// [day,] D Mon YYYY HH:MM[:SS] [AM|PM] [zone]
const RFC5322 =
  /^\s*(?:[A-Za-z]+\s*,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[a-z]*\.?[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:([AaPp])\.?[Mm]\.?(?![A-Za-z])\s*)?([+-]\d{2}:?\d{2}|[A-Za-z]{1,5}\b)?/;
// [day] Mon D HH:MM:SS [AM|PM] [zone] YYYY (asctime, pipermail pages and mbox separators)
const ASCTIME =
  /^\s*(?:[A-Za-z]+,?\s+)?([A-Za-z]{3})[a-z]*\s+(\d{1,2}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:([AaPp])\.?[Mm]\.?\s+)?(?:([+-]\d{4}|[A-Za-z]{1,5})\s+)?(\d{4})\b/;
/** The widest offsets in use are -12:00 and +14:00 (Kiribati); beyond +-14:00 a zone is not one. */
const MAX_OFFSET_MINUTES = 14 * 60;
const ISO = /^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i;

export function parseMailDate(input: string | null | undefined): ParsedDate {
  if (!input) return { iso: null };
  let m = RFC5322.exec(input);
  if (m) return build(+m[3], MONTHS[m[2].toLowerCase()], +m[1], clock(+m[4], m[7]), +m[5], +(m[6] ?? 0), m[8]);
  m = ASCTIME.exec(input);
  if (m) return build(+m[8], MONTHS[m[1].toLowerCase()], +m[2], clock(+m[3], m[6]), +m[4], +(m[5] ?? 0), m[7]);
  m = ISO.exec(input);
  if (m) return build(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0), m[7]);
  return { iso: null };
}

/**
 * The hour on the 24-hour clock: `12:xx AM` is 00:xx, `12:xx PM` 12:xx, `1-11 PM` +12.
 * An hour past 12 with PM is already 24-hour; AM with an hour past 12, or 0 with PM,
 * contradicts itself (NaN: not a date).
 */
function clock(hour: number, meridiem: string | undefined): number {
  if (meridiem === undefined) return hour;
  const pm = meridiem.toUpperCase() === 'P';
  if (hour === 0) return pm ? NaN : 0;
  if (hour > 12) return pm ? hour : NaN;
  return (hour % 12) + (pm ? 12 : 0);
}

function build(
  year: number, month: number | undefined, day: number,
  hour: number, minute: number, second: number, zone: string | undefined,
): ParsedDate {
  if (month === undefined || month < 0 || month > 11) return { iso: null };
  // RFC 5322 4.3: two-digit years 00-49 are 20xx, 50-99 19xx; three-digit add 1900.
  if (year < 50) year += 2000;
  else if (year < 1000) year += 1900;
  if (!(day >= 1 && day <= 31 && hour >= 0 && hour <= 23 && minute <= 59 && second <= 60)) return { iso: null };

  let offset = 0;
  let note: string | undefined;
  if (zone === undefined) {
    note = 'date has no time zone; read as UTC';
  } else if (/^[+-]/.test(zone)) {
    const digits = zone.replace(':', '');
    const sign = digits[0] === '-' ? -1 : 1;
    const hours = +digits.slice(1, 3);
    const minutes = +digits.slice(3, 5);
    // `-3000` is no zone: applied, it would move the date by 30 hours.
    if (minutes > 59 || hours * 60 + minutes > MAX_OFFSET_MINUTES) note = `time zone "${zone}" is out of range (beyond +-14:00); read as UTC`;
    else offset = sign * (hours * 60 + minutes);
  } else {
    const known = zoneOffset(zone);
    if (known === undefined) note = `unknown time zone "${zone}"; read as UTC`;
    else {
      offset = known;
      note = zoneAmbiguity(zone);
    }
  }

  const ms = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  // Date.UTC rolls 31 Feb over into March; such a date is not a date.
  if (new Date(ms).getUTCDate() !== day) return { iso: null };
  const iso = new Date(ms - offset * 60_000).toISOString().replace('.000Z', 'Z');
  return note ? { iso, note } : { iso };
}

/** Where a message's date came from; see messageDate. */
export type DateSource = 'date' | 'resent-date' | 'from-line' | 'archive';

export interface DateSources {
  /** The Date field's value; undefined when the message has none. */
  date?: string;
  /** The Resent-Date fields' values in header order (the latest resend first, RFC 5322 3.6.6). */
  resentDates?: readonly string[];
  /** The mbox separator line the message came after (`From sender Fri Dec 31 01:31:44 2010`). */
  fromLine?: string;
  /** A date the archive itself gives the message (a Maildir file's delivery time). */
  archive?: { iso: string; from: string };
}

export interface MessageDate {
  /** ISO 8601 UTC, or null when no source gave a date. */
  iso: string | null;
  source: DateSource | null;
  /** What went wrong and, when the date is not the Date field's, where it came from. */
  warnings: string[];
}

/**
 * The date of a message: its Date field; when that is missing or unreadable, the
 * oldest readable Resent-Date (the first resend, nearest the original sending), then
 * the mbox `From ` line's date, then the archive's own date. Each fallback used is
 * named in a warning (`date from ...`), which ingest stores with the message.
 */
export function messageDate(sources: DateSources): MessageDate {
  const warnings: string[] = [];
  const date = parseMailDate(sources.date);
  if (!sources.date) warnings.push('no Date header');
  else if (!date.iso) warnings.push(`unparseable Date: ${sources.date}`);
  if (date.iso) {
    if (date.note) warnings.push(`Date: ${date.note}`);
    return { iso: date.iso, source: 'date', warnings };
  }

  for (const value of [...(sources.resentDates ?? [])].reverse()) {
    const resent = parseMailDate(value);
    if (!resent.iso) continue;
    warnings.push(`date from Resent-Date: ${value.trim()}`);
    if (resent.note) warnings.push(`Resent-Date: ${resent.note}`);
    return { iso: resent.iso, source: 'resent-date', warnings };
  }

  const envelope = sources.fromLine === undefined ? null : fromLineDate(sources.fromLine);
  if (envelope?.iso) {
    warnings.push(`date from the mbox From line: ${sources.fromLine!.trim()}`);
    if (envelope.note) warnings.push(`From line: ${envelope.note}`);
    return { iso: envelope.iso, source: 'from-line', warnings };
  }

  if (sources.archive) {
    warnings.push(`date from the archive (${sources.archive.from}): ${sources.archive.iso}`);
    return { iso: sources.archive.iso, source: 'archive', warnings };
  }
  return { iso: null, source: null, warnings };
}

/**
 * Dates that tools write in From lines in place of a real one: git format-patch's
 * `Mon Sep 17 00:00:00 2001` and public-inbox's `Thu Jan  1 00:00:00 1970`.
 */
const PLACEHOLDER_DATES = new Set(['2001-09-17T00:00:00Z', '1970-01-01T00:00:00Z']);

/**
 * The date of an mbox separator, `From <sender> <asctime date> [remote from ...]`.
 * The sender is one word, or several in pipermail's `a at b.org`; the date is read
 * from the first word after the sender where one parses.
 */
export function fromLineDate(line: string): ParsedDate {
  const words = line.replace(/^From /, '').trim().split(/\s+/);
  for (let i = 1; i < words.length; i++) {
    const parsed = parseMailDate(words.slice(i).join(' '));
    if (parsed.iso) return PLACEHOLDER_DATES.has(parsed.iso) ? { iso: null } : parsed;
  }
  return { iso: null };
}
