import fs from 'node:fs';
import path from 'node:path';
import { urlOf, type Connection } from '../db/connection';
import { holdsMail } from '../db/counts';
import { contentDir } from '../db/url';
import { finishOwedWork, ingestPaths, type Derived, type IngestSummary } from '.';
import type { StoreClaimsResult } from '../claims';
import { storeBundledClaims } from './claims';

/** The mail the site ships with: one folder per list under content/thread/. */
export const bundledMailDir = path.join(contentDir(), 'thread');

export interface BundledSummary {
  lists: IngestSummary[];
  claims: StoreClaimsResult;
}

/**
 * Ingests the bundled thread, each folder as the list it names, then its
 * annotations: claims anchored and their scenarios run. Re-running adds nothing.
 */
export async function ingestBundled(db: Connection): Promise<BundledSummary> {
  const lists = fs.readdirSync(bundledMailDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const summaries: IngestSummary[] = [];
  for (const list of lists) summaries.push(await ingestPaths(db, [path.join(bundledMailDir, list)], { list }));
  return { lists: summaries, claims: await storeBundledClaims(urlOf(db)) };
}

/** On an empty database (a fresh clone's first start), load the bundled content. */
export async function ingestBundledIfEmpty(db: Connection): Promise<BundledSummary | null> {
  if (holdsMail(db)) return null;
  return ingestBundled(db);
}

/**
 * What the site needs of the database before it serves (npm start): the bundled content
 * in an empty one; otherwise the work owed (left by an ingest that crashed, or still
 * running) and what a database made by an earlier version lacks; the bundled claims.
 * Two servers starting at once on an empty database both load it: the second finds
 * every copy stored (ingest's writers take turns) and adds nothing.
 */
export async function prepareForSite(db: Connection): Promise<{ loaded: BundledSummary | null; derived: Derived | null; claims: StoreClaimsResult }> {
  const loaded = await ingestBundledIfEmpty(db);
  const derived = loaded ? null : await finishOwedWork(db);
  return { loaded, derived, claims: loaded?.claims ?? (await storeBundledClaims(urlOf(db))) };
}
