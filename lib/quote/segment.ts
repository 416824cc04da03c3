/**
 * Splits a message body into segments (see Segment in ./types): the writer's
 * new text, quotes with their depth, attribution lines, signatures, list
 * footers and inline patches (diff, diffstat, trailers). Runs on every
 * message at ingest, so it is one pass over the lines plus a few bounded
 * look-arounds, with character tests before any regular expression.
 * Pure: no I/O.
 */
import { attributionsIn, type AttributionLine } from './find-attributions';
import { quoteDepth, type QuotedLine } from './quote-depth';
import type { Segment, SegmentKind } from './types';

/** A blank line (only quote markers and spaces), before it is given to a neighbouring segment. */
const BLANK = 'blank';
type LineKind = SegmentKind | typeof BLANK;

interface Lines {
  /** Offset of each line's first character; one more entry holds the body's length. */
  starts: number[];
  /** Each line's depth and text, its `\r` dropped. */
  quoted: QuotedLine[];
}

function splitLines(body: string): Lines {
  const starts: number[] = [];
  const quoted: QuotedLine[] = [];
  for (let at = 0; at < body.length; ) {
    let nl = body.indexOf('\n', at);
    const next = nl < 0 ? body.length : nl + 1;
    if (nl < 0) nl = body.length;
    const end = nl > at && body.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    starts.push(at);
    quoted.push(quoteDepth(body.slice(at, end)));
    at = next;
  }
  starts.push(body.length);
  return { starts, quoted };
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

export function segmentBody(body: string): Segment[] {
  if (body.length === 0) return [];
  const { starts, quoted } = splitLines(body);
  const n = quoted.length;
  const kind = new Array<LineKind>(n).fill(BLANK);
  const depth = new Int32Array(n);
  /** Lines of one attribution share a group no other line has, so that two attributions in a row stay apart. */
  const group = new Int32Array(n);

  const attributions = attributionsIn(quoted);
  const footer = footerStart(quoted, n);
  assignDepths(quoted, attributions, footer, kind, depth, group);
  classifyOwnText(quoted, footer, kind, depth);
  markSignOff(quoted, kind);
  giveBlankLines(kind, depth, group);

  const segments: Segment[] = [];
  for (let i = 0; i < n; i++) {
    const k = kind[i] as SegmentKind;
    const last = segments[segments.length - 1];
    if (last && last.kind === k && last.depth === depth[i] && group[i] === group[i - 1]) {
      last.end = starts[i + 1]!;
      continue;
    }
    const segment: Segment = { kind: k, start: starts[i]!, end: starts[i + 1]!, depth: depth[i]! };
    if (k === 'attribution') {
      const a = attributions[group[i]! - 1]!;
      segment.name = a.name;
      segment.address = a.address;
      segment.dateText = a.dateText;
      segment.date = a.date;
      segment.quoteForm = a.insideQuote ? 'inside' : a.unmarked ? 'unmarked' : 'deeper';
    }
    segments.push(segment);
  }
  return segments;
}

/**
 * Depth of every line and the lines that are attributions or footer. Below
 * an Outlook header block (`unmarked`) the text is quoted without markers:
 * its lines are one level deeper than their markers say, until a line with
 * fewer markers than the block ends its scope.
 */
function assignDepths(
  quoted: readonly QuotedLine[],
  attributions: readonly AttributionLine[],
  footer: number,
  kind: LineKind[],
  depth: Int32Array,
  group: Int32Array,
): void {
  /** Marker depths of the Outlook blocks whose scope is open. */
  const scopes: number[] = [];
  let next = 0;
  for (let i = 0; i < quoted.length; i++) {
    if (i >= footer) {
      kind[i] = 'footer';
      depth[i] = 0;
      continue;
    }
    const { depth: markers, text } = quoted[i]!;
    const blank = isBlank(text);
    // Blank lines neither open nor close a scope: a quoted paragraph break is still inside the quote.
    if (!blank) while (scopes.length > 0 && scopes[scopes.length - 1]! > markers) scopes.pop();
    depth[i] = markers + scopes.length;
    const a = attributions[next];
    if (a && i >= a.startLine) {
      kind[i] = 'attribution';
      group[i] = next + 1;
      if (i === a.endLine - 1) {
        if (a.unmarked) scopes.push(a.depth);
        next++;
      }
      continue;
    }
    kind[i] = blank ? BLANK : depth[i]! > 0 ? 'quote' : 'new';
  }
}

/* ---------------------------------------------------------------- footers */

/**
 * First line of a list footer: the mailman rule of underscores above
 * "<List> mailing list", pipermail's "More information about the ... mailing
 * list", majordomo's and ezmlm's "To unsubscribe ...", Google Groups.
 */
const FOOTER_ANCHOR =
  /^(?:To unsubscribe\b|More information about the .*mailing list|You received this message because you are subscribed to|Unsubscribe: |For additional commands, e-mail:)/i;
const MAILMAN_RULE = /^_{10,}\s*$/;
const MAILMAN_LIST = /mailing list\s*$/i;
/** A separator line above a footer: `--`, `-- `, or a rule of dashes or underscores. */
const FOOTER_SEPARATOR = /^(?:--\s*|-{10,}\s*|_{10,}\s*)$/;
/** How far from the end of the body a footer may start. */
const FOOTER_REACH = 30;
/** How many lines of sponsor text may sit between a footer's rule and its anchor (SourceForge lists). */
const FOOTER_PREAMBLE = 7;

/**
 * Where the list footer at the end of the body starts (the body's length in
 * lines when it has none). Only unquoted lines count: a quoted footer stays
 * part of its quote.
 */
function footerStart(quoted: readonly QuotedLine[], n: number): number {
  let anchor = -1;
  for (let i = n - 1; i >= 0 && i >= n - FOOTER_REACH; i--) {
    const { depth, text } = quoted[i]!;
    if (depth > 0) break;
    const c = text.charCodeAt(0);
    // Only lines starting with T, M, Y, U, F or _ can anchor a footer.
    if (c !== 84 && c !== 77 && c !== 89 && c !== 85 && c !== 70 && c !== 95) continue;
    if (FOOTER_ANCHOR.test(text) || (MAILMAN_RULE.test(text) && i + 1 < n && MAILMAN_LIST.test(quoted[i + 1]!.text))) anchor = i;
  }
  if (anchor < 0) return n;
  let start = anchor;
  // A rule a few lines above takes the sponsor text between it and the anchor along.
  for (let i = anchor - 1; i >= 0 && i >= anchor - FOOTER_PREAMBLE; i--) {
    const { depth, text } = quoted[i]!;
    if (depth > 0 || isBlank(text)) break;
    if (FOOTER_SEPARATOR.test(text) && (i === anchor - 1 || /^[-_]{10,}/.test(text))) {
      start = i;
      break;
    }
  }
  return start;
}

/* ------------------------------------------------- patches and signatures */

const HUNK = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;
const DIFF_COMMAND = /^diff (?:--git |-[a-zA-Z]+ )\S/;
/** Lines of a diff's file header (after `diff --git` or before the first hunk). */
const FILE_HEADER =
  /^(?:diff |index [0-9a-f]|Index: |={20,}\s*$|--- |\+\+\+ |(?:new|deleted) file mode |old mode |new mode |(?:dis)?similarity index |rename (?:from|to) |copy (?:from|to) |Binary files |GIT binary patch)/;
/**
 * git's extended header lines that say what a `diff --git` block is when it has no
 * hunk: a mode change, a new empty or deleted file, a rename or copy, a binary patch.
 * (`index` is not one: git writes it above hunks too.)
 */
const GIT_HUNKLESS =
  /^(?:old mode \d|new mode \d|(?:new|deleted) file mode \d|(?:dis)?similarity index \d|rename (?:from|to) \S|copy (?:from|to) \S|Binary files .* differ\s*$|GIT binary patch\s*$)/;
/** A hunk of a `GIT binary patch`: `literal <size>` or `delta <size>`, then base85 lines. */
const BINARY_HUNK = /^(?:literal|delta) \d+\s*$/;
const BASE85 = /^[0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]+$/;
/** ` mm/memory.c | 12 ++--`, ` foo.png | Bin 0 -> 1234 bytes`. */
const DIFFSTAT_FILE = /^\s?\S.*\s\|\s+(?:\d+ ?[+-]*|Bin\b.*)\s*$/;
const DIFFSTAT_SUMMARY = /^\s?\d+ files? changed(?:, \d+ insertions?\(\+\))?(?:, \d+ deletions?\(-\))?\s*$/;
const DIFFSTAT_MODE = /^\s(?:create|delete) mode \d+ |^\s(?:rename|copy|mode change) /;
/** `Signed-off-by:`, `Co-developed-by:`, and the few that people also write with a space ("Acked By:"). */
const BY = String.raw`(?:[A-Za-z]+(?:-[A-Za-z]+)*-[Bb]y|(?:Acked|Reviewed|Tested|Reported|Suggested|Nacked) [Bb]y)`;
const TRAILER = new RegExp(String.raw`^(?:${BY}|Cc|CC|Fixes|Link|Closes|BugLink|Change-Id)\s*:\s*\S`);
const TRAILER_BY = new RegExp(String.raw`^(?:${BY}|Fixes)\s*:`);
/** A bare `--` starts a signature only when little follows it (git's "--" between cover note and patch does not). */
const BARE_DASHES_MAX_LINES = 10;

/** The writer's own lines (depth 0, not yet classified) above the footer. */
class OwnText {
  constructor(
    private readonly quoted: readonly QuotedLine[],
    private readonly kind: readonly LineKind[],
    private readonly depth: Int32Array,
    readonly limit: number,
  ) {}

  own(i: number): boolean {
    return i < this.limit && this.depth[i] === 0 && (this.kind[i] === 'new' || this.kind[i] === BLANK);
  }

  text(i: number): string {
    return this.quoted[i]!.text;
  }
}

/**
 * The writer's own (depth 0) lines that are not prose: inline patches
 * (file headers and hunks, counted by the hunk header so that the "-- "
 * after the last hunk is not taken for a removed line; or git's headers
 * alone, for a rename, a mode change, an empty file or a binary patch), diffstat blocks,
 * trailer blocks, and the signature from "-- " to the footer or the next
 * quote.
 */
function classifyOwnText(quoted: readonly QuotedLine[], footer: number, kind: LineKind[], depth: Int32Array): void {
  const own = new OwnText(quoted, kind, depth, footer);
  for (let i = 0; i < footer; ) {
    if (!own.own(i)) {
      i++;
      continue;
    }
    const line = own.text(i);
    const c = line.charCodeAt(0);
    let end = -1;
    if (c === 100 /* d */ || c === 73 /* I */ || c === 45 /* - */ || c === 64 /* @ */) {
      end = diffEnd(own, i);
      if (end > i) {
        fill(kind, i, end, 'diff');
        i = end;
        continue;
      }
    }
    if (c === 45 && /^--\s*$/.test(line)) {
      end = signatureEnd(own, i, line.startsWith('-- '));
      if (end > i) {
        fill(kind, i, end, 'signature');
        i = end;
        continue;
      }
    }
    if (line.includes('|') || (c === 45 && /^-{3}\s*$/.test(line))) {
      end = diffstatEnd(own, i);
      if (end > i) {
        fill(kind, i, end, 'diffstat');
        i = end;
        continue;
      }
    }
    if (c >= 65 && TRAILER.test(line)) {
      end = trailersEnd(own, i);
      if (end > i) {
        fill(kind, i, end, 'trailers');
        i = end;
        continue;
      }
    }
    i++;
  }
}

function fill(kind: LineKind[], from: number, to: number, k: SegmentKind): void {
  for (let i = from; i < to; i++) kind[i] = k;
}

/** End (exclusive) of the diff starting at line i, or -1 when no diff starts there. */
function diffEnd(own: OwnText, i: number): number {
  const limit = own.limit;
  const first = own.text(i);
  const startsDiff =
    DIFF_COMMAND.test(first) ||
    HUNK.test(first) ||
    (first.startsWith('Index: ') && i + 1 < limit && /^={20,}\s*$/.test(own.text(i + 1))) ||
    (first.startsWith('--- ') && i + 1 < limit && own.text(i + 1).startsWith('+++ '));
  if (!startsDiff) return -1;
  let j = i;
  /** Lines owed to the current hunk, from its header; -1 outside a counted hunk. */
  let oldLeft = -1;
  let newLeft = -1;
  /** After a file header but before any hunk header: edited patches may have hunk lines without one. */
  let loose = false;
  /**
   * A diff needs a hunk, a `+++` line, or a `diff --git` line with an extended header
   * that makes a diff of it without hunks (GIT_HUNKLESS): "diff -u" in prose is not one.
   */
  let real = false;
  /** Under a `diff --git` line, before its hunks: where git's extended headers go. */
  let gitHeader = false;
  /** Inside a `GIT binary patch`: its `literal`/`delta` lines and base85 data. */
  let binary = false;
  while (j < limit && own.own(j)) {
    const line = own.text(j);
    if (binary) {
      // A blank line ends each binary hunk; the reverse hunk may follow it.
      if (BINARY_HUNK.test(line) || isBase85Line(line) || (line.length === 0 && j + 1 < limit && own.own(j + 1) && BINARY_HUNK.test(own.text(j + 1)))) {
        j++;
        continue;
      }
      binary = false;
    }
    if (oldLeft > 0 || newLeft > 0) {
      const c = line.charCodeAt(0);
      if (line.length === 0 || c === 32) {
        oldLeft--;
        newLeft--;
      } else if (c === 45) oldLeft--;
      else if (c === 43) newLeft--;
      else if (c !== 92 /* \ No newline at end of file */) {
        oldLeft = newLeft = -1; // a hunk shorter than its header says: it ends here
        continue;
      }
      j++;
      continue;
    }
    if (line.startsWith('\\')) {
      j++;
      continue;
    }
    const hunk = HUNK.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      loose = gitHeader = false;
      real = true;
      j++;
      continue;
    }
    if (FILE_HEADER.test(line) && (!line.startsWith('--- ') || (j + 1 < limit && own.text(j + 1).startsWith('+++ ')))) {
      if (line.startsWith('+++ ')) loose = real = true;
      if (line.startsWith('diff ')) gitHeader = line.startsWith('diff --git ');
      else if (gitHeader && GIT_HUNKLESS.test(line)) {
        real = true;
        binary = line.startsWith('GIT binary patch');
      }
      j++;
      continue;
    }
    if (loose && line.length > 0 && ' +-'.includes(line[0]!) && !/^--\s*$/.test(line)) {
      j++;
      continue;
    }
    break;
  }
  return real ? j : -1;
}

/**
 * A line of base85 data in a `GIT binary patch`: a length letter (A-Z for 1-26
 * bytes, a-z for 27-52) and five characters for every four bytes.
 */
function isBase85Line(line: string): boolean {
  const c = line.charCodeAt(0);
  const bytes = c >= 65 && c <= 90 ? c - 64 : c >= 97 && c <= 122 ? c - 70 : 0;
  return bytes > 0 && line.length === 1 + 5 * Math.ceil(bytes / 4) && BASE85.test(line);
}

/**
 * End of the signature starting at line i: the footer, the next quote or
 * attribution, or the end. A bare `--` (no trailing space) counts only when
 * a few lines follow it.
 */
function signatureEnd(own: OwnText, i: number, dashSpace: boolean): number {
  let j = i + 1;
  let content = 0;
  while (j < own.limit && own.own(j)) {
    if (!isBlank(own.text(j))) content++;
    j++;
  }
  if (!dashSpace && (content === 0 || content > BARE_DASHES_MAX_LINES)) return -1;
  return j;
}

/** End of the diffstat block starting at line i (maybe with a `---` line above it), or -1. */
function diffstatEnd(own: OwnText, i: number): number {
  let j = /^-{3}\s*$/.test(own.text(i)) ? i + 1 : i;
  const files = j;
  while (own.own(j) && DIFFSTAT_FILE.test(own.text(j))) j++;
  if (j === files || !own.own(j) || !DIFFSTAT_SUMMARY.test(own.text(j))) return -1;
  j++;
  while (own.own(j) && DIFFSTAT_MODE.test(own.text(j))) j++;
  return j;
}

/** End of the trailer block starting at line i, or -1 when it holds no `...-by:` or `Fixes:` line. */
function trailersEnd(own: OwnText, i: number): number {
  let j = i;
  let signed = false;
  while (own.own(j)) {
    const line = own.text(j);
    if (TRAILER.test(line)) signed ||= TRAILER_BY.test(line);
    // `[akpm: fix typo]` notes and wrapped values belong to the block.
    else if (!(/^\[.*\]\s*$/.test(line) || (j > i && /^[ \t]+\S/.test(line)))) break;
    j++;
  }
  if (!signed) return -1;
  // The `---` that ends a commit message, when no diffstat follows it.
  if (own.own(j) && /^-{3}\s*$/.test(own.text(j)) && diffstatEnd(own, j) < 0) j++;
  return j;
}

/* --------------------------------------------------------------- sign-offs */

/** A closing word, maybe with a few more ("Thanks for the review,"). */
const CLOSING =
  /^(?:thanks|thank you|many thanks|thx|tia|cheers|regards|best regards|kind regards|warm regards|best wishes|best|br|greetings|sincerely|yours|ciao|bye|gruss|gruß|grüße|viele grüße|cordialement|merci|salutations)\b(?:[ \t]+\w+){0,3}[,.!]*\s*$/i;
/** A name under a closing: one word ("sage"), or up to three capitalised ones ("Jan Kara", "Aneesh Kumar K. V"). */
const SIGN_OFF_NAME = /^(?:[\p{L}][\p{L}\p{M}'’-]*|\p{Lu}[\p{L}\p{M}'’-]*\.?(?: \p{Lu}[\p{L}\p{M}'’-]*\.?){1,3})$/u;
/** "Thanks, Nick" on one line; no `i` flag, under which \p{Lu} would match any letter. */
const CLOSING_AND_NAME = /^(?:[Tt]hanks|[Cc]heers|[Rr]egards|[Bb]est regards|[Bb]est|BR|Br)\s*,\s*\p{Lu}[\p{L}\p{M}.'’-]*(?: \p{Lu}[\p{L}\p{M}.'’-]*)?\s*$/u;

/**
 * The short sign-off at the very end of the writer's text ("Thanks,\nNick"):
 * a closing line and one or two name lines, ending the last run of new text,
 * with new text before it. Marked as a signature.
 */
function markSignOff(quoted: readonly QuotedLine[], kind: LineKind[]): void {
  let last = kind.length - 1;
  while (last >= 0 && kind[last] !== 'new') last--;
  if (last < 0) return;
  /** The last few non-blank lines of the final run of new text, last first. */
  const tail: number[] = [];
  for (let i = last; i >= 0 && tail.length < 4; i--) {
    if (kind[i] === 'new') tail.push(i);
    else if (kind[i] !== BLANK) break;
  }
  const text = (i: number) => quoted[i]!.text.trim();
  let closing = -1;
  if (CLOSING_AND_NAME.test(text(tail[0]!))) closing = 0;
  else {
    for (let names = 1; names <= 2 && names < tail.length; names++) {
      if (!SIGN_OFF_NAME.test(text(tail[names - 1]!))) break;
      if (CLOSING.test(text(tail[names]!))) {
        closing = names;
        break;
      }
    }
  }
  if (closing < 0) return;
  const from = tail[closing]!;
  // Conservative: only when the writer said something before signing off.
  let before = from - 1;
  while (before >= 0 && kind[before] !== 'new') before--;
  if (before < 0) return;
  fill(kind, from, last + 1, 'signature');
}

/* ------------------------------------------------------------ blank lines */

/**
 * Gives every run of blank lines to a neighbour. Between two parts of one
 * segment it joins them; otherwise an unquoted blank line goes to the new
 * text beside it (a quote ends at its last quoted line), a quoted one (`>`)
 * to the neighbour at its depth or else to a quote rather than to new text,
 * and the rest to the segment above.
 */
function giveBlankLines(kind: LineKind[], depth: Int32Array, group: Int32Array): void {
  const n = kind.length;
  for (let a = 0; a < n; a++) {
    if (kind[a] !== BLANK) continue;
    let b = a;
    while (b < n && kind[b] === BLANK) b++;
    const prev = a - 1;
    const next = b < n ? b : -1;
    let split: number;
    if (prev < 0 && next < 0) split = b; // an all-blank body: new text
    else if (prev < 0) split = a;
    else if (next < 0) split = b;
    else if (kind[prev] === kind[next] && depth[prev] === depth[next] && group[prev] === group[next]) split = b;
    else {
      split = b;
      for (let j = a; j < b; j++) {
        const d = depth[j]!;
        const toNext =
          d > 0
            ? depth[prev] !== d && (depth[next] === d || (depth[prev] === 0 && depth[next]! > 0))
            : kind[next] === 'new' || depth[prev]! > 0;
        if (toNext) {
          split = j;
          break;
        }
      }
    }
    for (let j = a; j < b; j++) {
      const from = j < split ? prev : next;
      if (from < 0) {
        kind[j] = 'new';
        depth[j] = 0;
      } else {
        kind[j] = kind[from]!;
        depth[j] = depth[from]!;
        group[j] = group[from]!;
      }
    }
    a = b - 1;
  }
}
