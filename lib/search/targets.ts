// Where SQLite keeps each kind of hit: its FTS5 table (compile.ts, Target).
import type { MessageColumn } from './fields';
import type { Target } from './compile';

/** Messages and ghosts: a message's rowid in message_fts is its id. */
export const messageTarget: Target = { hit: 'message', table: 'message_fts' };

/** BM25 weights in message_fts column order: the subject above the body, quoted and patch context below new text. */
export const MESSAGE_WEIGHTS: Record<MessageColumn, number> = {
  subject: 4, sender: 2, recipients: 1, copied: 1,
  new_text: 1, quoted_text: 0.4, diff_files: 1.5, diff_removed: 0.8, diff_added: 0.8, diff_context: 0.3,
};

/** Claims: a claim's rowid in claim_fts is its id. */
export const claimTarget: Target = { hit: 'claim', table: 'claim_fts' };

/** Scenarios: scenario_fts, whose first column, the scenario's id, is not indexed. */
export const scenarioTarget: Target = { hit: 'scenario', table: 'scenario_fts' };
