import fs from 'node:fs';
import path from 'node:path';
import type { SqliteConnection } from '../db/sqlite';
import { projectRoot } from '../db/url';
import { ingestPaths, type IngestSummary } from '.';
import { defaultAnnotationsDir, storeClaims, type StoreClaimsResult } from '../claims';
import { defaultScenarioDir, loadScenarios } from '../scenarios/load';

/** The mail the site ships with: one folder per list under content/thread/. */
export const bundledMailDir = path.join(projectRoot, 'content', 'thread');

export interface BundledSummary {
  lists: IngestSummary[];
  claims: StoreClaimsResult;
}

/**
 * Ingests the bundled thread, each folder as the list it names, then its
 * annotations: claims anchored and their scenarios run. Re-running adds nothing.
 */
export async function ingestBundled(db: SqliteConnection): Promise<BundledSummary> {
  const lists = fs.readdirSync(bundledMailDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const summaries: IngestSummary[] = [];
  for (const list of lists) summaries.push(await ingestPaths(db, [path.join(bundledMailDir, list)], { list }));
  return { lists: summaries, claims: storeBundledClaims(db) };
}

/** The bundled annotations, anchored to the stored mail, with verdicts computed by running their scenarios. */
export function storeBundledClaims(db: SqliteConnection): StoreClaimsResult {
  const scenarios = loadScenarios(defaultScenarioDir(projectRoot)).flatMap((l) => (l.ok ? [l.scenario] : []));
  return storeClaims(db, defaultAnnotationsDir, scenarios);
}

/** On an empty database (a fresh clone's first start), load the bundled content. */
export async function ingestBundledIfEmpty(db: SqliteConnection): Promise<BundledSummary | null> {
  if (db.prepare('SELECT 1 FROM "Message" LIMIT 1').get()) return null;
  return ingestBundled(db);
}
