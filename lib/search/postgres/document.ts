// A hit's document in PostgreSQL's index: the words our tokenizer makes of
// each of its fields (FTS5's rules, so that both engines find the same hits),
// each field weighted as the rank weighs it, written as a tsvector by lib/db.
import { tsvectorOf } from '../../db/postgres-tsvector';
import { WEIGHTS_IN_ORDER } from '../weights';
import { wordsOf } from '../tokens';
import { HIT_FIELDS, type HitField, type HitKind } from '../prefixes';

/** The tsvector, as text for `::tsvector`, of a hit whose fields hold this text. */
export function documentOf<K extends HitKind>(hit: K, text: Partial<Record<HitField<K>, string>>): string {
  return tsvectorOf((HIT_FIELDS[hit] as readonly HitField<K>[]).map((field, i) => ({ words: wordsOf(text[field] ?? ''), weight: WEIGHTS_IN_ORDER[hit][i] })));
}
