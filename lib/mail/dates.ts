/**
 * Mail dates to ISO 8601 UTC. Handles RFC 5322 (`Fri, 31 Dec 2010 01:31:44 -0800`),
 * asctime / pipermail (`Fri Dec 31 01:31:44 PST 2010`) and ISO forms. Written by
 * hand rather than with `new Date(s)` because V8's fallback parser accepts garbage
 * (`new Date('garbage 12')` is 2001-12-01) and knows only the US zone names.
 */

export interface ParsedDate {
  /** ISO 8601 UTC, or null when the string is not a date. */
  iso: string | null;
  /** Set when the result rests on a guess (no zone, unknown or ambiguous zone). */
  note?: string;
}

/** Zone abbreviations seen in mail and on pipermail pages, in minutes east of UTC. */
const ZONES: Record<string, number> = {
  UT: 0, UTC: 0, GMT: 0, Z: 0, WET: 0, WEST: 60, BST: 60,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  AKST: -540, AKDT: -480, HST: -600, AST: -240, ADT: -180, NST: -210, NDT: -150,
  BRT: -180, BRST: -120, ART: -180, CLT: -240,
  CET: 60, CEST: 120, MET: 60, MEST: 120, MEZ: 60, MESZ: 120,
  EET: 120, EEST: 180, MSK: 180, IST: 330, PKT: 300, ICT: 420, WIB: 420,
  SGT: 480, HKT: 480, AWST: 480, JST: 540, KST: 540,
  ACST: 570, ACDT: 630, AEST: 600, AEDT: 660, NZST: 720, NZDT: 780,
};

/** Abbreviations that name more than one zone; the table holds the reading we pick. */
const AMBIGUOUS: Record<string, string> = {
  IST: 'IST is ambiguous (India +05:30, Ireland +01:00, Israel +02:00); read as India +05:30',
};

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

// [day,] D Mon YYYY HH:MM[:SS] [zone]
const RFC5322 =
  /^\s*(?:[A-Za-z]+\s*,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[a-z]*\.?[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([+-]\d{2}:?\d{2}|[A-Za-z]{1,5}\b)?/;
// [day] Mon D HH:MM:SS [zone] YYYY (asctime, pipermail pages and mbox separators)
const ASCTIME =
  /^\s*(?:[A-Za-z]+,?\s+)?([A-Za-z]{3})[a-z]*\s+(\d{1,2}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:([+-]\d{4}|[A-Za-z]{1,5})\s+)?(\d{4})\b/;
const ISO = /^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i;

export function parseMailDate(input: string | null | undefined): ParsedDate {
  if (!input) return { iso: null };
  let m = RFC5322.exec(input);
  if (m) return build(+m[3], MONTHS[m[2].toLowerCase()], +m[1], +m[4], +m[5], +(m[6] ?? 0), m[7]);
  m = ASCTIME.exec(input);
  if (m) return build(+m[7], MONTHS[m[1].toLowerCase()], +m[2], +m[3], +m[4], +(m[5] ?? 0), m[6]);
  m = ISO.exec(input);
  if (m) return build(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0), m[7]);
  return { iso: null };
}

function build(
  year: number, month: number | undefined, day: number,
  hour: number, minute: number, second: number, zone: string | undefined,
): ParsedDate {
  if (month === undefined || month < 0 || month > 11) return { iso: null };
  // RFC 5322 4.3: two-digit years 00-49 are 20xx, 50-99 19xx; three-digit add 1900.
  if (year < 50) year += 2000;
  else if (year < 1000) year += 1900;
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return { iso: null };

  let offset = 0;
  let note: string | undefined;
  if (zone === undefined) {
    note = 'date has no time zone; read as UTC';
  } else if (/^[+-]/.test(zone)) {
    const digits = zone.replace(':', '');
    const sign = digits[0] === '-' ? -1 : 1;
    offset = sign * (+digits.slice(1, 3) * 60 + +digits.slice(3, 5));
  } else {
    const upper = zone.toUpperCase();
    const known = ZONES[upper];
    if (known === undefined) note = `unknown time zone "${zone}"; read as UTC`;
    else {
      offset = known;
      note = AMBIGUOUS[upper];
    }
  }

  const ms = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  // Date.UTC rolls 31 Feb over into March; such a date is not a date.
  if (new Date(ms).getUTCDate() !== day) return { iso: null };
  const iso = new Date(ms - offset * 60_000).toISOString().replace('.000Z', 'Z');
  return note ? { iso, note } : { iso };
}
