// What of a message goes in which column of the index. The same split feeds
// the index and, for the hits shown, the snippets: computed here, from the
// stored body and its segments, never stored a second time.
import { readSegments } from '../quote/stored';
import type { Segment, SegmentKind } from '../quote/types';
import type { Scenario } from '../engine/index';
import type { MessageSource } from '../db/search-sql';

/** A message's fields, in the index's order (SQLite's message_fts has a column of each). */
export const MESSAGE_COLUMNS = [
  'subject', 'sender', 'recipients', 'copied',
  'new_text', 'quoted_text', 'diff_files', 'diff_removed', 'diff_added', 'diff_context',
] as const;
export type MessageColumn = (typeof MESSAGE_COLUMNS)[number];

/** The body columns, in the order a snippet prefers them. */
export const BODY_COLUMNS = ['new_text', 'quoted_text', 'diff_added', 'diff_removed', 'diff_files', 'diff_context'] as const satisfies readonly MessageColumn[];

export type MessageFields = Record<MessageColumn, string>;

export type { MessageSource };

interface Address {
  name?: string | null;
  address?: string | null;
}

const addresses = (json: string): string => {
  try {
    return (JSON.parse(json) as Address[]).map((a) => [a.name, a.address].filter(Boolean).join(' ')).join('\n');
  } catch {
    return '';
  }
};

/** Where a segment's text goes: a column, the patch columns, or nowhere. */
type Place = 'new_text' | 'quoted_text' | 'patch' | 'diff_context' | null;

/**
 * - new text: the writer's words, trailers (Signed-off-by: ...) and
 *   signature, as lore's nq: has them;
 * - quoted text: quotes and attribution lines ("On ..., X wrote:"), as lore
 *   counts attributions with the quote they introduce; a patch quoted in a
 *   reply is quoted text too;
 * - the writer's own patches: file names, removed lines, added lines, and
 *   the rest (context lines, hunk headers, index lines; diffstats too);
 * - list footers: nowhere. They are the list's boilerplate, not the message,
 *   and would make every message of a list match its footer's words.
 */
const PLACES: Record<SegmentKind, Place> = {
  new: 'new_text', trailers: 'new_text', signature: 'new_text',
  quote: 'quoted_text', attribution: 'quoted_text',
  diff: 'patch', diffstat: 'diff_context', footer: null,
};

const placeOf = (kind: SegmentKind, depth: number): Place => (kind === 'diff' && depth > 0 ? 'quoted_text' : PLACES[kind]);

export const PATCH_COLUMNS = ['diff_files', 'diff_removed', 'diff_added', 'diff_context'] as const satisfies readonly MessageColumn[];

/** What one message puts in the index: its columns and its date; no fields when the message is gone. */
export interface IndexEntry {
  id: number;
  date: string | null;
  fields: MessageFields | null;
}

/**
 * The entry of message `id` as stored (`m`), or of a message no longer there.
 * Pure: link planning makes them too, with the segments it has parsed already.
 */
export const indexEntry = (id: number, m: (MessageSource & { date: string | null }) | undefined, segments?: readonly Segment[]): IndexEntry =>
  ({ id, date: m?.date ?? null, fields: m ? messageFields(m, MESSAGE_COLUMNS, segments) : null });

/** The columns the text of a segment of this kind is indexed in. */
export function segmentColumns(kind: SegmentKind, depth = 0): readonly MessageColumn[] {
  const place = placeOf(kind, depth);
  return place === null ? [] : place === 'patch' ? PATCH_COLUMNS : [place];
}

/**
 * The message split into the index's columns (those in `wanted`: a snippet
 * needs one or two). A message not segmented yet ('[]') is all new text.
 */
export function messageFields(m: MessageSource, wanted: readonly MessageColumn[] = MESSAGE_COLUMNS, segments: readonly Segment[] = readSegments(m.segmentsJson)): MessageFields {
  const parts: Record<MessageColumn, string[]> = {
    subject: [m.subject], sender: [[m.fromName, m.fromAddress].filter(Boolean).join(' ')],
    recipients: wanted.includes('recipients') ? [addresses(m.toJson)] : [], copied: wanted.includes('copied') ? [addresses(m.ccJson)] : [],
    new_text: [], quoted_text: [], diff_files: [], diff_removed: [], diff_added: [], diff_context: [],
  };
  const patch = PATCH_COLUMNS.some((c) => wanted.includes(c));
  if (segments.length === 0) parts.new_text.push(m.body);
  for (const s of segments) {
    const place = placeOf(s.kind, s.depth);
    if (place === 'patch') {
      if (patch) splitPatch(m.body.slice(s.start, s.end), parts);
    } else if (place !== null && wanted.includes(place)) parts[place].push(m.body.slice(s.start, s.end));
  }
  const fields = {} as MessageFields;
  for (const c of MESSAGE_COLUMNS) fields[c] = parts[c].join('\n');
  return fields;
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@ ?(.*)$/;
const FILE_HEADER = /^(?:--- |\+\+\+ )(.+?)(?:\t.*)?$/;

/**
 * A unified diff, line by line. Hunk lengths decide what is a removed or
 * added line, so a removed line that reads "--- x" is not taken for a file
 * header. File names lose git's a/ and b/.
 */
function splitPatch(text: string, parts: Record<MessageColumn, string[]>): void {
  const files = new Set<string>();
  const file = (p: string) => {
    const name = p.trim().replace(/^[ab]\//, '');
    if (name && name !== '/dev/null') files.add(name);
  };
  let oldLeft = 0;
  let newLeft = 0;
  for (const line of text.split('\n')) {
    if (oldLeft > 0 || newLeft > 0) {
      const mark = line[0];
      if (mark === '-') {
        parts.diff_removed.push(line.slice(1));
        oldLeft--;
        continue;
      }
      if (mark === '+') {
        parts.diff_added.push(line.slice(1));
        newLeft--;
        continue;
      }
      if (mark === ' ' || line === '') {
        parts.diff_context.push(line.slice(1));
        oldLeft--;
        newLeft--;
        continue;
      }
      if (mark === '\\') continue; // "\ No newline at end of file"
      oldLeft = newLeft = 0; // a malformed hunk ends here
    }
    const hunk = HUNK.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      if (hunk[3]) parts.diff_context.push(hunk[3]);
      continue;
    }
    const git = /^diff --git (\S+) (\S+)/.exec(line);
    if (git) {
      file(git[1]);
      file(git[2]);
      continue;
    }
    const header = FILE_HEADER.exec(line) ?? /^Index: (.+)$/.exec(line);
    if (header) file(header[1]);
    else parts.diff_context.push(line);
  }
  parts.diff_files.push([...files].join('\n'));
}

/** A scenario's searched fields: its title, and its prose (the claim it makes, then its text). */
export const scenarioFields = (s: Pick<Scenario, 'title' | 'claim' | 'body'>): { title: string; prose: string } =>
  ({ title: s.title, prose: [s.claim, s.body].filter(Boolean).join('\n\n') });
