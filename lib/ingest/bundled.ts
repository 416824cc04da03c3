import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../db/client';
import { copyArchive } from '../db/copy';
import { migrateDeploy } from '../db/migrate';
import { openSqlite, type SqliteConnection } from '../db/sqlite';
import { projectRoot } from '../db/url';
import { finishOwedWork, ingestPaths, type Derived, type IngestSummary } from '.';
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
  return { lists: summaries, claims: await storeBundledClaims(`file:${db.name}`) };
}

/** The bundled annotations, anchored to the mail stored at `url`, with verdicts computed by running their scenarios. */
export async function storeBundledClaims(url: string): Promise<StoreClaimsResult> {
  const scenarios = loadScenarios(defaultScenarioDir(projectRoot)).flatMap((l) => (l.ok ? [l.scenario] : []));
  const client = openDatabase(url);
  try {
    return await storeClaims(client, defaultAnnotationsDir, scenarios);
  } finally {
    await client.$disconnect();
  }
}

/** On an empty database (a fresh clone's first start), load the bundled content. */
export async function ingestBundledIfEmpty(db: SqliteConnection): Promise<BundledSummary | null> {
  if (db.prepare('SELECT 1 FROM "Message" LIMIT 1').get()) return null;
  return ingestBundled(db);
}

/**
 * What the site needs of the database before it serves (npm start): the bundled content
 * in an empty one; otherwise the work owed (left by an ingest that crashed, or still
 * running) and what a database made by an earlier version lacks; the bundled claims.
 */
export async function prepareForSite(db: SqliteConnection): Promise<{ loaded: BundledSummary | null; derived: Derived | null; claims: StoreClaimsResult }> {
  const loaded = await ingestBundledIfEmpty(db);
  const derived = loaded ? null : await finishOwedWork(db);
  return { loaded, derived, claims: loaded?.claims ?? (await storeBundledClaims(`file:${db.name}`)) };
}

/**
 * What the site needs of a PostgreSQL database before it serves: the bundled content in an
 * empty one, the bundled claims (their verdicts computed again) in any. Ingest writes SQLite
 * only so far, so the bundled mail goes into a scratch file first and is copied in as
 * `npm run db:copy` would (one transaction: a second server starting at the same time finds
 * the database holding mail and copies nothing).
 */
export async function prepareForSiteOnPostgres(url: string): Promise<{ loaded: BundledSummary | null; claims: StoreClaimsResult }> {
  const client = openDatabase(url);
  let empty: boolean;
  try {
    empty = (await client.message.count({ take: 1 })) === 0;
  } finally {
    await client.$disconnect();
  }
  if (!empty) return { loaded: null, claims: await storeBundledClaims(url) };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-bundled-'));
  const scratch = `file:${path.join(dir, 'bundled.db')}`;
  try {
    await migrateDeploy(scratch);
    const db = openSqlite(scratch);
    let loaded: BundledSummary;
    try {
      loaded = await ingestBundled(db);
    } finally {
      db.close();
    }
    await copyArchive(scratch, url);
    return { loaded, claims: loaded.claims };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
