// PostgreSQL's search index as it is written: triggers queue every message
// and claim whose indexed text changed (the search migration); these drain
// the queues into message_search and claim_search, and replace the scenarios'
// rows. Each row's tsvector is made by the caller (lib/search/postgres/document.ts).
import type pg from 'pg';
import { withPostgres } from './postgres-client';
import type { MessageSource } from './search-sql';

/** Queue entries taken at a time, in one transaction. */
const BATCH = 1000;

/** A queue of changed rows and the index it feeds: how to read the rows and write their documents. */
interface Queue {
  queue: string;
  /** The queue's and the index's column naming the row. */
  key: string;
  index: string;
  /** The rows with these ids (one parameter) that still exist: what their documents are made of. */
  rows: string;
  /** Writes documents (two parameters: the ids, and the documents as tsvector text). */
  upsert: string;
}

const MESSAGES: Queue = {
  queue: 'search_queue',
  key: '"messageId"',
  index: 'message_search',
  rows: `SELECT m.id, m.subject, m."fromName", m."fromAddress", m."toJson", m."ccJson", coalesce(t.body, '') AS body, coalesce(t."segmentsJson", '[]') AS "segmentsJson"
    FROM "Message" m LEFT JOIN "MessageText" t ON t."messageId" = m.id WHERE m.id = ANY($1::int[])`,
  // The date from the row itself, as stored: no round trip through JavaScript's clock.
  upsert: `INSERT INTO message_search ("messageId", "date", "document")
    SELECT u.id, m."date", u.document::tsvector FROM unnest($1::int[], $2::text[]) AS u(id, document) JOIN "Message" m ON m.id = u.id
    ON CONFLICT ("messageId") DO UPDATE SET "date" = EXCLUDED."date", "document" = EXCLUDED."document"`,
};

const CLAIMS: Queue = {
  queue: 'claim_search_queue',
  key: '"claimId"',
  index: 'claim_search',
  rows: 'SELECT id, statement, claimant, exact FROM "Claim" WHERE id = ANY($1::int[])',
  upsert: `INSERT INTO claim_search ("claimId", "document") SELECT id, document::tsvector FROM unnest($1::int[], $2::text[]) AS u(id, document)
    ON CONFLICT ("claimId") DO UPDATE SET "document" = EXCLUDED."document"`,
};

/** A claim's text as the index reads it. */
export interface ClaimSource {
  statement: string;
  claimant: string;
  exact: string;
}

/** How a message's and a claim's tsvector, as text, are made. */
export interface Documents {
  message(m: MessageSource): string;
  claim(c: ClaimSource): string;
}

/**
 * Indexes one batch of a queue in one transaction; returns how many rows (0:
 * the queue is empty). One indexer at a time (an advisory lock): two would
 * each read a message, and the one that read it first could write last.
 * The entries taken are those committed before the rows are read, all of
 * each row's at once (a copied message has one from "Message" and one from
 * "MessageText"); an entry committed later stays queued, for the next batch.
 */
async function indexBatch<R>(client: pg.ClientBase, q: Queue, document: (row: R) => string): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('threadlab search index'))`);
    const { rows: next } = await client.query<{ key: number }>(`SELECT ${q.key} AS key FROM ${q.queue} ORDER BY ${q.queue}.id LIMIT ${BATCH}`);
    const ids = [...new Set(next.map((r) => r.key))];
    if (ids.length) {
      await client.query(`DELETE FROM ${q.queue} WHERE ${q.key} = ANY($1::int[])`, [ids]);
      // Read after the entries went: this statement's snapshot holds every change they stood for.
      const { rows } = await client.query<R & { id: number }>(q.rows, [ids]);
      await client.query(q.upsert, [rows.map((r) => r.id), rows.map(document)]);
      const kept = new Set(rows.map((r) => r.id));
      const gone = ids.filter((id) => !kept.has(id));
      if (gone.length) await client.query(`DELETE FROM ${q.index} WHERE ${q.key} = ANY($1::int[])`, [gone]);
    }
    await client.query('COMMIT');
    return ids.length;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

/** After this many rows went in at once, the planner's statistics are renewed. */
const ANALYZE_AFTER = 5000;

/**
 * Indexes every queued message and claim, in batches of their own
 * transactions. Returns how many of each it indexed.
 */
export async function drainSearchQueues(url: string, documents: Documents): Promise<{ messages: number; claims: number }> {
  return withPostgres(url, async (client) => {
    const drain = async <R>(q: Queue, document: (row: R) => string) => {
      let n = 0;
      for (let got = await indexBatch(client, q, document); got > 0; got = await indexBatch(client, q, document)) n += got;
      // GIN keeps new entries in a pending list (4 MB), which every query reads through, until it
      // merges them into the index. (A longer list merged in larger runs took the 50k archive's
      // rows in in 22 s instead of 29, into an index of 85 MB instead of 31.)
      if (n > 0) await client.query(`SELECT gin_clean_pending_list('${q.index}_document_idx'::regclass)`);
      if (n >= ANALYZE_AFTER) await client.query(`ANALYZE ${q.index}`);
      return n;
    };
    return { messages: await drain(MESSAGES, documents.message), claims: await drain(CLAIMS, documents.claim) };
  });
}

/** Replaces the indexed scenarios with these, each with its tsvector as text. */
export async function replaceScenarioIndex(url: string, scenarios: ReadonlyArray<{ scenario: string; title: string; prose: string; document: string }>): Promise<void> {
  await withPostgres(url, async (client) => {
    await client.query('BEGIN');
    try {
      // Two servers starting at once each replace them: one after the other, not interleaved.
      await client.query('LOCK TABLE scenario_search IN SHARE ROW EXCLUSIVE MODE');
      await client.query('DELETE FROM scenario_search');
      await client.query(`INSERT INTO scenario_search (id, scenario, title, prose, document)
        SELECT n, s, t, p, d::tsvector FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(n, s, t, p, d)`, [
        scenarios.map((_, i) => i + 1), scenarios.map((s) => s.scenario), scenarios.map((s) => s.title), scenarios.map((s) => s.prose),
        scenarios.map((s) => s.document),
      ]);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {});
      throw e;
    }
  });
}

/** Whether the database has the search index (its migration applied). */
export async function hasSearchIndex(url: string): Promise<boolean> {
  return withPostgres(url, async (client) => (await client.query(`SELECT to_regclass('message_search') IS NOT NULL AS has`)).rows[0].has);
}
