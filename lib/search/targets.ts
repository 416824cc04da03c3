// What each prefix searches, for each kind of hit.
import { BODY_COLUMNS, MESSAGE_COLUMNS, type MessageColumn } from './fields';
import { messageFilter, type Target } from './compile';
import type { TextField } from './query/ast';

const body: readonly MessageColumn[] = BODY_COLUMNS;

const MESSAGE_FIELDS: Record<TextField, readonly MessageColumn[]> = {
  default: ['subject', 'sender', ...body],
  s: ['subject'],
  f: ['sender'],
  t: ['recipients'],
  c: ['copied'],
  a: ['sender', 'recipients', 'copied'],
  tc: ['recipients', 'copied'],
  b: body,
  bs: ['subject', ...body],
  nq: ['new_text'],
  q: ['quoted_text'],
  dfn: ['diff_files'],
  dfa: ['diff_removed'],
  dfb: ['diff_added'],
  dfctx: ['diff_context'],
};

/** Messages and ghosts: a message's rowid in message_fts is its id. */
export const messageTarget: Target = {
  table: 'message_fts',
  columns: MESSAGE_COLUMNS,
  fieldColumns: (field) => MESSAGE_FIELDS[field],
  filter: messageFilter,
};

/** BM25 weights in message_fts column order: the subject above the body, quoted and patch context below new text. */
export const MESSAGE_WEIGHTS: Record<MessageColumn, number> = {
  subject: 4, sender: 2, recipients: 1, copied: 1,
  new_text: 1, quoted_text: 0.4, diff_files: 1.5, diff_removed: 0.8, diff_added: 0.8, diff_context: 0.3,
};

const CLAIM_COLUMNS = ['statement', 'claimant', 'exact'] as const;
type ClaimColumn = (typeof CLAIM_COLUMNS)[number];

/**
 * Claims: the statement is the claim's own words, the claimant who made
 * it, `exact` the words of the message it is anchored to; d:, mid: and l:
 * ask about that message.
 */
const CLAIM_FIELDS: Partial<Record<TextField, readonly ClaimColumn[]>> = {
  default: CLAIM_COLUMNS,
  s: ['statement'],
  f: ['claimant'],
  a: ['claimant'],
  b: ['statement', 'exact'],
  bs: ['statement', 'exact'],
  nq: ['statement'],
  q: ['exact'],
};

export const claimTarget: Target = {
  table: 'claim_fts',
  columns: CLAIM_COLUMNS,
  fieldColumns: (field) => CLAIM_FIELDS[field] ?? null,
  filter: messageFilter,
};

/** Scenarios, in scenario_fts: a title and prose; no addresses, dates or lists. */
const SCENARIO_FIELDS: Partial<Record<TextField, readonly string[]>> = {
  default: ['title', 'prose'],
  s: ['title'],
  b: ['prose'],
  bs: ['title', 'prose'],
  nq: ['prose'],
};

export const scenarioTarget: Target = {
  table: 'scenario_fts',
  columns: ['title', 'prose'],
  fieldColumns: (field) => SCENARIO_FIELDS[field] ?? null,
  filter: () => null,
};
