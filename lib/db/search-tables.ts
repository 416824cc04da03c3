// The database objects of the search migration (prisma/migrations/*_search),
// none of them a Prisma model.

/**
 * Tables Prisma must treat as external: the FTS5 tables, the shadow tables
 * FTS5 keeps for each, and the queue. A schema diff that does not know them
 * would write a migration dropping them.
 */
export const SEARCH_TABLES = [
  ...fts5('message_fts', false),
  ...fts5('claim_fts', false),
  ...fts5('scenario_fts', true),
  'search_queue',
  'search_dates',
];

/**
 * Triggers that keep the index in step with "Message", "MessageText" and "Claim". SQLite
 * drops a table's triggers with it, and a Prisma migration that redefines
 * the table (CREATE new_X, copy, DROP X, RENAME) would lose them: such a
 * migration must create them again. tests/search/schema.test.ts checks.
 */
export const SEARCH_TRIGGERS = [
  'message_search_insert', 'message_search_update', 'message_search_delete',
  'message_text_search_insert', 'message_text_search_update', 'message_text_search_delete',
  'claim_search_insert', 'claim_search_update', 'claim_search_delete',
];

function fts5(name: string, storesContent: boolean): string[] {
  return [name, `${name}_data`, `${name}_idx`, `${name}_docsize`, `${name}_config`, ...(storesContent ? [`${name}_content`] : [])];
}

/**
 * PostgreSQL's tables outside the schema, schema-qualified as the engine wants them there:
 * the archive's version (the data_version migration) and the search index (the search migration).
 */
export const POSTGRES_EXTERNAL_TABLES = [
  'public.data_version',
  'public.message_search', 'public.search_queue', 'public.claim_search', 'public.claim_search_queue', 'public.scenario_search',
];
