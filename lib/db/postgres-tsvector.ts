// A hit's entry in PostgreSQL's index, as tsvector text: one tsvector of the
// words of all its fields. PostgreSQL's own parser would split page_mkwrite
// at '_' and keep diacritics; the words are the ones lib/search/tokens.ts
// makes (FTS5's rules), so that both engines find the same hits. Each word
// is tagged with its field's place in its kind ("4.page_mkwrite": new text),
// which lets one GIN index answer every prefix (a term in s: asks for
// "0.word") and the whole boolean query be one tsquery; positions count
// within each field, as FTS5's columns do, so a phrase never runs from one
// field into the next. Each position carries its field's weight class, for ts_rank.

// The limits of PostgreSQL's tsvector. The 50k-message bench archive has no
// field past MAX_POSITION words and no word past MAX_LEXEME_BYTES; some 1,100
// (field, word) pairs occur more than MAX_POSITIONS times, whose later
// occurrences a phrase cannot be found at.
/** Positions past this are stored as this by PostgreSQL: a word first seen past it is kept without one. */
const MAX_POSITION = 16383;
/** Positions kept of one word. */
const MAX_POSITIONS = 256;
/** A lexeme's bytes. A longer word cannot be indexed, nor found. */
const MAX_LEXEME_BYTES = 2047;
/** What a tsvector's lexemes and positions may take (1 MB, less some room): words past it are left out. */
const MAX_DOCUMENT_BYTES = 1_000_000;

/**
 * ts_rank's four weight classes, D to C to B to A, and their weights. Each
 * field goes in the class nearest its weight (on a log scale). Four classes
 * are all a tsvector has: the rank keeps the order of the fields' weights, if not each ratio.
 */
const CLASSES = [['D', 0.4], ['C', 1], ['B', 2], ['A', 4]] as const;
type WeightClass = (typeof CLASSES)[number][0];

/** ts_rank's weights argument: the classes' weights, D first, the highest 1. */
export const RANK_WEIGHTS = `{${CLASSES.map(([, w]) => w / CLASSES[CLASSES.length - 1][1]).join(',')}}`;

const classOf = (weight: number): WeightClass =>
  CLASSES.reduce((best, c) => (Math.abs(Math.log(c[1] / weight)) < Math.abs(Math.log(best[1] / weight)) ? c : best))[0];

/** Whether a lexeme fits: UTF-16 units take at most three bytes each, so only long ones are measured. */
const fits = (l: string) => l.length * 3 <= MAX_LEXEME_BYTES || Buffer.byteLength(l) <= MAX_LEXEME_BYTES;

/** The word as the index holds it in the field at `place` of its kind; null when it is too long to be held. */
export function lexeme(place: number, word: string): string | null {
  const l = `${place}.${word}`;
  return fits(l) ? l : null;
}

/** A lexeme as tsvector and tsquery input read it: quoted, whatever it holds. */
export const quoted = (lexeme: string) => (/['\\]/.test(lexeme) ? `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'` : `'${lexeme}'`);

/** The tsvector, as text for `::tsvector`, of a hit's fields, in its kind's order: each one's words, and its weight in the rank. */
export function tsvectorOf(fields: ReadonlyArray<{ words: readonly string[]; weight: number }>): string {
  const out: string[] = [];
  let bytes = 0;
  fields.forEach(({ words, weight }, place) => {
    const positions = new Map<string, number[]>();
    for (let i = 0; i < words.length; i++) {
      let at = positions.get(words[i]);
      if (!at) positions.set(words[i], (at = []));
      if (i < MAX_POSITION && at.length < MAX_POSITIONS) at.push(i + 1);
    }
    const label = classOf(weight);
    for (const [word, at] of positions) {
      const l = lexeme(place, word);
      if (l === null) continue;
      bytes += Buffer.byteLength(l) + 4 + 2 * at.length;
      if (bytes > MAX_DOCUMENT_BYTES) return;
      out.push(at.length ? `${quoted(l)}:${at.join(`${label},`)}${label}` : quoted(l));
    }
  });
  return out.join(' ');
}
