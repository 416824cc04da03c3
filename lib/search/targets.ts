// Where SQLite keeps each kind of hit: its FTS5 table (compile.ts, Target);
// and how much a match in each field counts, on either engine.
import type { Target } from './compile';
import type { HitField, HitKind } from './prefixes';

/** Messages and ghosts: a message's rowid in message_fts is its id. */
export const messageTarget: Target = { hit: 'message', table: 'message_fts' };

/** Claims: a claim's rowid in claim_fts is its id. */
export const claimTarget: Target = { hit: 'claim', table: 'claim_fts' };

/** Scenarios: scenario_fts, whose first column, the scenario's id, is not indexed. */
export const scenarioTarget: Target = { hit: 'scenario', table: 'scenario_fts' };

/**
 * The weight of a match in each field, for the rank: BM25's column weights
 * on SQLite, ts_rank's weight classes on PostgreSQL (postgres/document.ts).
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
