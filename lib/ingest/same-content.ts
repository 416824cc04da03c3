import type { Segment } from '../quote/types';
import { sha256Hex } from './archive-id';

/**
 * Whether two messages with one Message-ID are the same message. Copies of
 * one message differ in their bytes (each list adds its Received lines, its
 * List-Id, a subject tag, a footer), so the bytes cannot tell; the writer's
 * address and the text they wrote can. A list's footer (segment kind
 * "footer"), white space at line ends and mbox `>From ` quoting are left out. Not the date: mail
 * without a Date header is dated by each archive's own `From ` line, seconds
 * apart (ponymail's three copies of maven-dev, 2017-11).
 */
export function contentKey(fromAddress: string | null, body: string, segments: readonly Segment[]): string {
  let text = '';
  for (const s of segments) if (s.kind !== 'footer') text += body.slice(s.start, s.end);
  if (segments.length === 0) text = body;
  // `>From ` quoting is the mbox's, not the writer's: mboxo and mboxrd archives of one message differ there.
  return sha256Hex(`${fromAddress?.toLowerCase() ?? ''}\n${text.trim().replace(/[ \t]+$/gm, '').replace(/^>+From /gm, 'From ')}`);
}

/** What ingest compares of two copies with one Message-ID when their content differs. */
export interface CopyContent {
  /** Its bytes as archived. */
  raw: Uint8Array;
  fromAddress: string | null;
  body: string;
}

/**
 * Whether `whole` is the complete form of `part`, a copy cut short (a download or a
 * disk that stopped mid-message) or decoded to no text: `part`'s bytes are a shorter
 * prefix of `whole`'s; or, the copies coming from different archives (their headers
 * differ), the same writer and `part`'s text a shorter prefix of `whole`'s; or `part`
 * has no text where `whole` has some.
 */
export function completes(whole: CopyContent, part: CopyContent): boolean {
  if (part.raw.byteLength < whole.raw.byteLength && Buffer.from(whole.raw.buffer, whole.raw.byteOffset, part.raw.byteLength).equals(part.raw)) return true;
  const partText = part.body.trimEnd();
  const wholeText = whole.body.trimEnd();
  if (partText === '') return wholeText !== '';
  return (part.fromAddress ?? '').toLowerCase() === (whole.fromAddress ?? '').toLowerCase() && wholeText.length > partText.length && wholeText.startsWith(partText);
}
