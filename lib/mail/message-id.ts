/**
 * Message-IDs as ingest stores them and as replies name them. Message-ID, In-Reply-To and
 * References go through the same extraction, so that an id a reply names is the very
 * string its parent is stored under; search's mid: and the claims' { mid } read ids with
 * it too.
 *
 * As public-inbox reads them (MID.pm): an id is the text between `<` and `>`, white space
 * inside kept, TAB dropped (the line breaks of a folded field are gone already); a
 * Message-ID with no brackets at all is its whole text, trimmed. Control characters go
 * (control-chars.ts). Two departures, so that two different ids are never stored as one:
 *
 * - A Message-ID field that is not bracketed ids with only white space, commas and
 *   (comments) between them (`<">foo@x>`, `<">foo@x`) is kept whole, brackets and all.
 *   public-inbox takes the text up to the first `>` (`"`), which every other id starting
 *   `<">` shares. Kept whole it holds a bracket, which no id read from between brackets
 *   does, so it is told apart from all of those too.
 * - Over MAX_MESSAGE_ID_LENGTH characters: public-inbox cuts the id there (Xapian's term
 *   limit), and two long ids that begin alike become one. Here the cut id is followed by a
 *   digest of the whole: two stay two, and a cut id, longer than the limit, is never an
 *   uncut one. The limit keeps permalinks within what servers take in a request line.
 *
 * In-Reply-To and References are read more loosely, as they carry prose (`Your message of
 * "Mon, 1 Jan 2001" <id@x>`): in pieces, split where a `>` is followed (after white space
 * or commas) by a `<`, each piece giving its bracketed ids, or itself whole when its
 * brackets do not pair. So a reference that quotes a malformed id as it was written,
 * `<">foo@x>`, names it; one left unclosed, `<">foo@x`, does not (it reads as `"`).
 */
import { createHash } from 'node:crypto';
import { withoutControlChars } from './control-chars';

/** public-inbox's MAX_MID_SIZE, in characters (code points). */
export const MAX_MESSAGE_ID_LENGTH = 244;

const BRACKET = /[<>]/;
const BRACKETED = /<([^<>]*)>/g;
/** Bracketed ids with white space, commas and comments between (one character per step: no backtracking blow-up). */
const WELL_FORMED_FIELD = /^(?:[\s,]|<[^<>]*>|\([^()]*\))*$/;
const ID_OR_COMMENT = /<([^<>]*)>|\([^()]*\)/g;
const PIECE_BREAK = /(?<=>)[\s,]*(?=<)/;

/** The id a Message-ID field gives its message: the first it names; null when it names none. */
export function messageIdOf(field: string | null | undefined): string | null {
  if (!field) return null;
  const text = withoutControlChars(field).trim();
  if (!BRACKET.test(text) || !WELL_FORMED_FIELD.test(text)) return storedId(text);
  for (const m of text.matchAll(ID_OR_COMMENT)) {
    const id = m[1] === undefined ? null : storedId(m[1]);
    if (id !== null) return id;
  }
  return null;
}

/**
 * The ids an In-Reply-To or References field names, in order, each once. Without any
 * bracket, its words that hold an `@`: ids cannot be told from the prose around them
 * (`In-Reply-To: your message of ...`) when nothing marks them.
 */
export function referencedIds(field: string | null | undefined): string[] {
  if (!field) return [];
  const text = withoutControlChars(field);
  const ids = BRACKET.test(text) ? idsInPieces(text) : text.split(/\s+/).filter((w) => w.includes('@')).map(storedId);
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

function idsInPieces(text: string): string[] {
  const ids: string[] = [];
  for (const piece of text.split(PIECE_BREAK)) {
    const paired = !BRACKET.test(piece.replace(BRACKETED, ''));
    const found = paired ? Array.from(piece.matchAll(BRACKETED), (m) => m[1]!) : [piece.trim()];
    for (const raw of found) {
      const id = storedId(raw);
      if (id !== null) ids.push(id);
    }
  }
  return ids;
}

/** An id as stored: TABs dropped, null when nothing is left but white space, bounded in length. */
function storedId(raw: string): string | null {
  const id = raw.replace(/\t/g, '');
  if (!/\S/.test(id)) return null;
  if (id.length <= MAX_MESSAGE_ID_LENGTH) return id; // UTF-16 units: never fewer than code points
  const chars = Array.from(id);
  if (chars.length <= MAX_MESSAGE_ID_LENGTH) return id;
  const digest = createHash('sha256').update(id).digest('hex').slice(0, 32);
  return `${chars.slice(0, MAX_MESSAGE_ID_LENGTH).join('')}~sha256:${digest}`;
}
