/**
 * The attribution lines of a segmented body read back from its attribution
 * segments: what findAttributions found when ingest segmented the body, in
 * the form findAttributions gives, without parsing the body again.
 * Re-threading reads them (lib/ingest/rethread.ts). One difference: lines
 * that segmentation gave to a list footer are footer, not attribution, even
 * when they look like a header block (none of the corpora's 2,938
 * attributions is such a case). Pure: no I/O.
 */
import type { AttributionLine } from './find-attributions';
import { quoteDepth } from './quote-depth';
import type { Segment } from './types';

/** Whether a line is blank once its quote markers are off (\r aside), without allocating. */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/**
 * The attributions of `body` as its segments record them; null when they
 * cannot tell: segments stored before attribution segments carried their
 * parsed date and quote form, or a body never segmented. The caller then
 * finds the attributions in the body.
 */
export function attributionsOfSegments(body: string, segments: readonly Segment[]): AttributionLine[] | null {
  if (segments.length === 0) return body.length === 0 ? [] : null;
  const found: AttributionLine[] = [];
  /** The line starting at offset `at`: lines are counted as body.split(/\r?\n/) counts them. */
  let line = 0;
  let at = 0;
  for (const s of segments) {
    if (s.kind !== 'attribution') continue;
    if (s.date === undefined || s.quoteForm === undefined) return null;
    for (let nl = body.indexOf('\n', at); nl >= 0 && nl < s.start; nl = body.indexOf('\n', nl + 1)) line++;
    at = s.start;
    // Segmentation gives blank lines around an attribution to it: the attribution is its non-blank lines.
    let first = -1;
    let last = -1;
    let depth = 0;
    for (; at < s.end; line++) {
      let end = body.indexOf('\n', at);
      if (end < 0 || end > s.end) end = s.end;
      const quoted = quoteDepth(body.slice(at, end));
      if (!isBlank(quoted.text)) {
        if (first < 0) [first, depth] = [line, quoted.depth];
        last = line;
      }
      at = end + 1;
      if (end === s.end) break;
    }
    if (first < 0) return null;
    const attribution: AttributionLine = {
      name: s.name ?? null,
      address: s.address ?? null,
      dateText: s.dateText ?? null,
      date: s.date,
      startLine: first,
      endLine: last + 1,
      depth,
    };
    if (s.quoteForm === 'inside') attribution.insideQuote = true;
    else if (s.quoteForm === 'unmarked') attribution.unmarked = true;
    found.push(attribution);
  }
  return found;
}
