// The claims of a content folder stored from its files: apart from the mail's ingest, so that
// the site, which stores them again after an author's save, loads none of ingest's workers.

import path from 'node:path';
import { openDatabase } from '../db/client';
import { backendOf, contentDir } from '../db/url';
import { storeClaims, type StoreClaimsResult } from '../claims/store';
import { loadScenarios } from '../scenarios/load';
import { refreshSearchIndex } from '../search/postgres/indexer';

/**
 * The bundled annotations, anchored to the mail stored at `url`, with verdicts computed by
 * running their scenarios, and found by search: SQLite's triggers index a claim as it is
 * written, PostgreSQL's queue it for the indexer, run here as ingest runs it for messages.
 */
export async function storeBundledClaims(url: string, content: string = contentDir()): Promise<StoreClaimsResult> {
  const scenarios = loadScenarios(path.join(content, 'scenarios')).flatMap((l) => (l.ok ? [l.scenario] : []));
  const client = openDatabase(url);
  let stored: StoreClaimsResult;
  try {
    stored = await storeClaims(client, path.join(content, 'annotations'), scenarios);
  } finally {
    await client.$disconnect();
  }
  if (backendOf(url) === 'postgresql') await refreshSearchIndex(url);
  return stored;
}

