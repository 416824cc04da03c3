/**
 * The flavour of an mbox: how it keeps a body's `From ` lines from reading as separators.
 * mboxrd writes one more `>` before every `>*From ` line; mboxo writes `>From ` for
 * `From ` only, so a body's own `>From ` reads back as `From `; mboxcl2 quotes nothing
 * and gives each message a Content-Length header instead, which says where it ends.
 */
import { contentLength, isEmptyLine, isFromLine, NL, quotedFromDepth, separatorAfter, SEPARATOR_LOOKAHEAD, startsMessage } from './mbox-lines';

export const MBOX_VARIANTS = ['mboxrd', 'mboxo', 'mboxcl2'] as const;
export type MboxVariant = (typeof MBOX_VARIANTS)[number];

export const isMboxVariant = (name: string): name is MboxVariant => (MBOX_VARIANTS as readonly string[]).includes(name);

/**
 * The flavour of an mbox from its first bytes, `sample` (all of it when `whole`; starting
 * inside a message's header block when `headless`). What the bytes can tell:
 *
 * - Content-Length delimited. When every message judged has a Content-Length whose body
 *   ends at a `From ` line (after at most one blank line) or at the end of the input,
 *   the file was written by a program that counts: mboxcl2 if a measured body holds an
 *   unquoted `From ` line (no quoting writer leaves one) or no `>From ` line is seen at
 *   all; mboxcl (mboxo quoting plus Content-Length) if `>From ` lines are seen and no
 *   unquoted one, read as mboxo. A mboxcl file whose start shows no quoting is read as
 *   mboxcl2: the same, but for `>From ` lines further on, kept as written.
 * - mboxrd or mboxo: the bytes cannot tell. Both write `>From ` for a body's `From `; a
 *   `>>From ` line is a body's `>From ` in mboxrd and a body's own `>>From ` in mboxo
 *   (ponymail's lists.a.o mboxo exports hold such lines). mboxrd, the one that undoes
 *   exactly and what public-inbox and ponymail's mbox-vm write, is assumed; mboxo has
 *   to be said (ReaderOptions.mboxVariant, `--mbox=mboxo`).
 *
 * A message is judged once its header block and, if it has a Content-Length, the bytes
 * after its body are in the sample. Null when none is and more input may follow.
 */
export function detectMboxVariant(sample: Buffer, whole: boolean, headless: boolean): MboxVariant | null {
  let measured = 0; // messages whose Content-Length holds
  let unmeasured = 0; // messages without one, or with one that does not hold
  let quoted = false; // a `>From ` line in a body
  let unquoted = false; // a `From ` line inside a measured body
  let inHeader = headless;
  let length: number | null = null;
  let start = 0;
  for (let nl = sample.indexOf(NL); nl !== -1; nl = sample.indexOf(NL, start)) {
    const end = nl + 1;
    if (inHeader) {
      if (!isEmptyLine(sample, start, end)) length ??= contentLength(sample, start, end);
      else {
        inHeader = false;
        const bodyEnd = length === null ? -1 : end + length;
        length = null;
        if (bodyEnd >= 0 && !whole && bodyEnd + SEPARATOR_LOOKAHEAD > sample.length) break;
        const next = bodyEnd < 0 ? -1 : separatorAfter(sample, bodyEnd, whole);
        if (next >= 0) {
          measured++;
          for (let s = end; s < bodyEnd; ) {
            const e = Math.min(sample.indexOf(NL, s) + 1 || bodyEnd, bodyEnd);
            if (isFromLine(sample, s, e)) unquoted = true;
            else if (quotedFromDepth(sample, s, e) > 0) quoted = true;
            s = e;
          }
          start = next;
          continue;
        }
        unmeasured++;
      }
    } else if (isFromLine(sample, start, end)) {
      const after = sample.indexOf(NL, end);
      if (after === -1) break; // the line that says whether it separates is not whole
      inHeader = startsMessage(sample, start, end, sample.subarray(end, after + 1));
    } else if (quotedFromDepth(sample, start, end) > 0) quoted = true;
    start = end;
  }
  if (measured + unmeasured === 0) return whole ? 'mboxrd' : null;
  if (unmeasured > 0) return 'mboxrd';
  return unquoted || !quoted ? 'mboxcl2' : 'mboxo';
}
