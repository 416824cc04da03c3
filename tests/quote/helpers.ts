/** Test helpers: segments as readable tuples, and the structural contract every segmentation must keep. */
import { expect } from 'vitest';
import { segmentBody } from '../../lib/quote/segment';
import type { Segment } from '../../lib/quote/types';

/** `kind:depth` and the segment's text, for terse expectations. */
export function view(body: string, segments: readonly Segment[] = segmentBody(body)): [string, string][] {
  return segments.map((s) => [`${s.kind}:${s.depth}`, body.slice(s.start, s.end)]);
}

/** Whole lines, in order, no gaps or overlaps, covering the body. */
export function expectContract(body: string, segments: readonly Segment[]): void {
  let at = 0;
  for (const s of segments) {
    expect(s.start).toBe(at);
    expect(s.end).toBeGreaterThan(s.start);
    if (s.start > 0) expect(body[s.start - 1]).toBe('\n');
    if (s.end < body.length) expect(body[s.end - 1]).toBe('\n');
    at = s.end;
  }
  expect(at).toBe(body.length);
}

/** The segment whose text starts with (trimmed) `prefix`. */
export function segmentStarting(body: string, segments: readonly Segment[], prefix: string): { index: number; segment: Segment } {
  const index = segments.findIndex((s) => body.slice(s.start, s.end).trimStart().startsWith(prefix));
  if (index < 0) throw new Error(`no segment starts with ${JSON.stringify(prefix)}`);
  return { index, segment: segments[index]! };
}
