/**
 * What a message body is made of. Segments are computed once, at ingest,
 * and stored with the message (MessageText.segmentsJson) so that pages, search
 * and claim anchoring all read the same split.
 */

export type SegmentKind =
  /** The writer's own words. */
  | 'new'
  /** Quoted text, at `depth` >= 1. */
  | 'quote'
  /** "On <date>, <name> wrote:" and its relatives, at the depth it was written at. */
  | 'attribution'
  /** "-- " and what follows, or a short sign-off block. */
  | 'signature'
  /** A list's own footer (pipermail, majordomo, ...). */
  | 'footer'
  /** An inline patch: `diff --git`, `---`/`+++` file headers and hunks. */
  | 'diff'
  /** A diffstat block (" mm/memory.c | 12 ++--", " 2 files changed, ..."). */
  | 'diffstat'
  /** Signed-off-by:, Acked-by:, Reviewed-by:, Cc: ... trailers. */
  | 'trailers';

export interface Segment {
  kind: SegmentKind;
  /**
   * Offsets into the stored body (MessageText.body), in UTF-16 code units as
   * JavaScript strings count them, end exclusive. Segments cover whole
   * lines, are in order, do not overlap, and together cover the body.
   */
  start: number;
  end: number;
  /** Quote depth: 0 for new text, signatures, diffs written by this writer; n for n levels of `>`. */
  depth: number;
  /** For attribution segments: who and when, as parsed by lib/quote/attribution. */
  name?: string | null;
  address?: string | null;
  dateText?: string | null;
  /**
   * For attribution segments: the date parsed (Attribution.date), and how the
   * quote it introduces is written (see QuoteForm). Threading reads them
   * instead of parsing the body again (./segment-attributions). Undefined in
   * segments stored before they were recorded.
   */
  date?: string | null;
  quoteForm?: QuoteForm;
}

/**
 * How the text after an attribution quotes: one `>` deeper than the
 * attribution (the usual), at the attribution's own depth (Apple Mail writes
 * it as the first line of the quote), or without markers (Outlook's header
 * block: the lines below it are one level deeper than their markers say).
 */
export type QuoteForm = 'deeper' | 'inside' | 'unmarked';

/** How a quoted segment was found in the message it quotes. */
export type QuoteMatch = 'exact' | 'fuzzy' | 'unmatched';

/** Provenance of one quoted segment (stored as a QuoteLink row). */
export interface QuoteSource {
  /** Index of the quoted segment in the quoting message's segments. */
  segment: number;
  /** Archive id of the message quoted (a ghost when the source is not in the archive), or null when unmatched. */
  sourceArchiveId: string | null;
  /** The quoted span in the source's body, UTF-16 offsets, end exclusive; null when unmatched. */
  sourceStart: number | null;
  sourceEnd: number | null;
  match: QuoteMatch;
  /** 1 for exact; in (0, 1) for fuzzy; 0 for unmatched. */
  score: number;
}
