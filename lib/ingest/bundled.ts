import fs from 'node:fs';
import path from 'node:path';
import type { SqliteConnection } from '../db/sqlite';
import { projectRoot } from '../db/url';
import { ingestPaths, type IngestSummary } from '.';

/** The mail the site ships with: one folder per list under content/thread/. */
export const bundledMailDir = path.join(projectRoot, 'content', 'thread');

/** Ingests the bundled thread, each folder as the list it names. Re-running adds nothing. */
export async function ingestBundled(db: SqliteConnection): Promise<IngestSummary[]> {
  const lists = fs.readdirSync(bundledMailDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const summaries: IngestSummary[] = [];
  for (const list of lists) summaries.push(await ingestPaths(db, [path.join(bundledMailDir, list)], { list }));
  return summaries;
}

/** On an empty database (a fresh clone's first start), load the bundled content. */
export async function ingestBundledIfEmpty(db: SqliteConnection): Promise<IngestSummary[] | null> {
  if (db.prepare('SELECT 1 FROM "Message" LIMIT 1').get()) return null;
  return ingestBundled(db);
}
