/**
 * The stored form of a body's segments (MessageText.segmentsJson): one array
 * per segment, [kind, start, end, depth] and for attributions name, address
 * and date. Field names repeated per segment cost about 20 MB on a 50k
 * message archive, which is what kept the database under 1.5 x its mail.
 */
import type { Segment, SegmentKind } from './types';

type Stored = [SegmentKind, number, number, number, ...(string | null)[]];

export function storeSegments(segments: readonly Segment[]): string {
  return JSON.stringify(
    segments.map((s): Stored =>
      s.kind === 'attribution' ? [s.kind, s.start, s.end, s.depth, s.name ?? null, s.address ?? null, s.dateText ?? null] : [s.kind, s.start, s.end, s.depth],
    ),
  );
}

/** Segments as stored; anything unreadable reads as none (the body is then shown whole). */
export function readSegments(json: string): Segment[] {
  let stored: unknown;
  try {
    stored = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(stored)) return [];
  return (stored.filter((s) => Array.isArray(s)) as Stored[]).map(([kind, start, end, depth, name, address, dateText]) =>
    kind === 'attribution' ? { kind, start, end, depth, name: name ?? null, address: address ?? null, dateText: dateText ?? null } : { kind, start, end, depth },
  );
}
