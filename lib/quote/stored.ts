/**
 * The stored form of a body's segments (MessageText.segmentsJson): one array
 * per segment, [kind, start, end, depth] and for attributions name, address,
 * the date as written, the date parsed and the quote form. Field names
 * repeated per segment cost about 20 MB on a 50k message archive, which is
 * what kept the database under 1.5 x its mail.
 */
import type { QuoteForm, Segment, SegmentKind } from './types';

type Stored = [SegmentKind, number, number, number, ...(string | null)[]];

export function storeSegments(segments: readonly Segment[]): string {
  return JSON.stringify(
    segments.map((s): Stored =>
      s.kind !== 'attribution'
        ? [s.kind, s.start, s.end, s.depth]
        : s.date === undefined || s.quoteForm === undefined
          ? [s.kind, s.start, s.end, s.depth, s.name ?? null, s.address ?? null, s.dateText ?? null] // read from an old row: still old
          : [s.kind, s.start, s.end, s.depth, s.name ?? null, s.address ?? null, s.dateText ?? null, s.date, s.quoteForm],
    ),
  );
}

const QUOTE_FORMS = new Set<unknown>(['deeper', 'inside', 'unmarked'] satisfies QuoteForm[]);

/**
 * Segments as stored; anything unreadable reads as none (the body is then
 * shown whole). Attributions stored before their parsed date and quote form
 * were (seven fields) read without them.
 */
export function readSegments(json: string): Segment[] {
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(stored)) return [];
  return (stored.filter((s) => Array.isArray(s)) as Stored[]).map(([kind, start, end, depth, name, address, dateText, date, quoteForm]): Segment => {
    if (kind !== 'attribution') return { kind, start, end, depth };
    const segment: Segment = { kind, start, end, depth, name: name ?? null, address: address ?? null, dateText: dateText ?? null };
    if (date !== undefined && QUOTE_FORMS.has(quoteForm)) {
      segment.date = date;
      segment.quoteForm = quoteForm as QuoteForm;
    }
    return segment;
  });
}
