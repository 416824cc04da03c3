// One zone table (lib/mail/zones.ts) for Date headers and for the dates in attribution
// lines: both readers give every abbreviation the same offset.
import { describe, expect, it } from 'vitest';
import { parseMailDate } from '../../lib/mail';
import { zoneAmbiguity, zoneOffset } from '../../lib/mail/zones';
import { parseAttribution } from '../../lib/quote/attribution';
import { parseAttributionDate } from '../../lib/quote/attribution-date';

const ABBREVIATIONS = (
  'UT UTC GMT Z WET WEST BST EST EDT CST CDT MST MDT PST PDT AKST AKDT HST AST ADT NST NDT BRT BRST ART CLT ' +
  'CET CEST MET MEST MEZ MESZ EET EEST MSK IST PKT ICT WIB SGT HKT AWST JST KST ACST ACDT AEST AEDT NZST NZDT'
).split(' ');

describe('the zone table', () => {
  it('gives the obsolete zones of RFC 5322 4.3 their offsets', () => {
    const rfc5322 = { UT: 0, GMT: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420 };
    for (const [zone, minutes] of Object.entries(rfc5322)) expect(zoneOffset(zone), zone).toBe(minutes);
  });

  it('reads abbreviations in any case, and nothing else', () => {
    expect(zoneOffset('cest')).toBe(120);
    expect(zoneOffset('Nzdt')).toBe(780);
    expect(zoneOffset('XYZ')).toBeUndefined();
    expect(zoneOffset('constructor')).toBeUndefined();
    expect(zoneOffset('A')).toBeUndefined(); // military zones other than Z: RFC 5322 reads them as -0000
  });

  it('notes the ambiguous IST', () => {
    expect(zoneAmbiguity('IST')).toMatch(/India/);
    expect(zoneAmbiguity('CET')).toBeUndefined();
  });

  it.each(ABBREVIATIONS)('%s: a Date header and an attribution read it alike', (zone) => {
    const header = parseMailDate(`Fri, 31 Dec 2010 10:29:00 ${zone}`).iso;
    expect(header).not.toBeNull();
    expect(parseAttributionDate(`Fri, 31 Dec 2010 10:29:00 ${zone}`)).toBe(header);
    const minutes = zoneOffset(zone)!;
    expect(Date.parse(header!)).toBe(Date.UTC(2010, 11, 31, 10, 29) - minutes * 60_000);
  });

  it('takes a zone in an attribution only in capitals: "Art" is a name, ART a zone', () => {
    expect(parseAttribution('On Mon, Jan 4, 2010 at 10:00 AM, Art Haas <ahaas@example.org> wrote:')).toEqual({
      name: 'Art Haas', address: 'ahaas@example.org', dateText: 'Mon, Jan 4, 2010 at 10:00 AM', date: '2010-01-04T10:00:00',
    });
    expect(parseAttribution('On Mon, Jan 4, 2010 at 10:00 AM ART, Art Haas <ahaas@example.org> wrote:')).toMatchObject({
      name: 'Art Haas', date: '2010-01-04T13:00:00Z',
    });
  });
});
