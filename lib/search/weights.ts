// How much a match in each field counts, for the rank, on either engine.
import { HIT_FIELDS, type HitField, type HitKind } from './prefixes';

/**
 * The weight of a match in each field: BM25's column weights on SQLite,
 * ts_rank's weight classes on PostgreSQL (lib/db/postgres-tsvector.ts).
 * A message's subject above its body, quoted text and patch context below
 * new text; a claim's statement above who made it and the words it quotes; a
 * scenario's title above its prose.
 */
export const FIELD_WEIGHTS: { [K in HitKind]: Record<HitField<K>, number> } = {
  message: {
    subject: 4, sender: 2, recipients: 1, copied: 1,
    new_text: 1, quoted_text: 0.4, diff_files: 1.5, diff_removed: 0.8, diff_added: 0.8, diff_context: 0.3,
  },
  claim: { statement: 3, claimant: 2, exact: 1 },
  scenario: { title: 3, prose: 1 },
};

const inOrder = (hit: HitKind): readonly number[] => (HIT_FIELDS[hit] as readonly string[]).map((f) => (FIELD_WEIGHTS[hit] as Record<string, number>)[f]!);

/** Each kind's weights, in its fields' order (HIT_FIELDS). */
export const WEIGHTS_IN_ORDER: Record<HitKind, readonly number[]> = { message: inOrder('message'), claim: inOrder('claim'), scenario: inOrder('scenario') };
