// Highlighting a search's words on the page a hit links to (the message
// permalink with ?q=). Pure: no HTML, no database.
import type { SegmentKind } from '../quote/types';
import { BODY_COLUMNS, segmentColumns } from './fields';
import { highlight, type Part, type Pattern } from './match';
import { positiveTerms, QuerySyntaxError, type QueryNode } from './query/ast';
import { parseQuery } from './query/parse';
import { searchedFields, type HitField, type HitKind } from './prefixes';

/** The patterns of a query's required words that search any of these fields of a kind of hit. */
export function patternsFor<K extends HitKind>(query: QueryNode, hit: K, fields: readonly HitField<K>[]): Pattern[] {
  return positiveTerms(query)
    .filter((t) => searchedFields(t.field, hit)?.some((f) => (fields as readonly string[]).includes(f)))
    .map((t) => ({ words: t.words, prefix: t.prefix }));
}

/**
 * A function that cuts body text into parts, the query's words marked;
 * null when the query does not parse or has no words for body text.
 * With `kind`, only the words that search that kind of segment (nq: words
 * in new text, q: words in quotes, dfb: words in patches, unprefixed words
 * everywhere); without, every word that searches the body.
 */
export function termMatcher(query: string, kind?: SegmentKind): ((text: string) => Part[]) | null {
  let parsed: QueryNode;
  try {
    parsed = parseQuery(query);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return null;
    throw e;
  }
  const patterns = patternsFor(parsed, 'message', kind ? segmentColumns(kind) : BODY_COLUMNS);
  return patterns.length ? (text) => highlight(text, patterns) : null;
}
