/**
 * Time-zone abbreviations, in minutes east of UTC: the one table for Date
 * headers and pipermail dates (./dates) and for the dates written in
 * attribution lines (lib/quote/attribution-date). RFC 5322 4.3 gives the
 * obsolete US zones (EST -0500, EDT -0400, CST -0600, CDT -0500, MST -0700,
 * MDT -0600, PST -0800, PDT -0700) and UT/GMT; the rest are those common in
 * mail, in their standard and summer forms. Of the military single letters
 * only Z is read: RFC 5322 says the others are to be taken as -0000, as
 * RFC 822 gave them the wrong sign. Pure: no I/O.
 */

const ZONES: Readonly<Record<string, number>> = {
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
const AMBIGUOUS: Readonly<Record<string, string>> = {
  IST: 'IST is ambiguous (India +05:30, Ireland +01:00, Israel +02:00); read as India +05:30',
};

/** The offset of a zone abbreviation in minutes east of UTC, in any case (`PDT`, `pdt`); undefined when unknown. */
export function zoneOffset(abbreviation: string): number | undefined {
  return ZONES[abbreviation.toUpperCase()];
}

/** Why the reading of an abbreviation that names several zones is a guess; undefined for the others. */
export function zoneAmbiguity(abbreviation: string): string | undefined {
  return AMBIGUOUS[abbreviation.toUpperCase()];
}
