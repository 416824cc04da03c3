// A claim written from the browser, made part of the archive: the files are written under the
// content folder's lock (lib/claims/author.ts), then every claim is stored again from them, as
// at start, so that the page shows the new claim's card with its computed verdict at once.

import { openDatabase } from '../db/client';
import { AuthoringError, contentDirsOf, removeClaim, saveClaim, withContentLock, type SaveRequest, type Saved } from '../claims/author';
import type { ClaimProblem, ClaimVerdict } from '../claims/types';
import type { Disagreement } from '../claims/store';
import { storeBundledClaims } from './claims';

export interface Authored {
  /** What the store now holds for the claim: its computed verdict, and how it differs from the author's expectations. */
  verdict: ClaimVerdict | null;
  disagreement?: Disagreement;
  /** Problems of the file written, as ingest reports them. */
  problems: ClaimProblem[];
}

export { AuthoringError };

export async function authorClaim(url: string, content: string, req: SaveRequest): Promise<Saved & Authored> {
  return withContentLock(content, async () => {
    const db = openDatabase(url);
    let saved: Saved;
    try {
      saved = await saveClaim(db, contentDirsOf(content), req);
    } finally {
      await db.$disconnect();
    }
    return { ...saved, ...(await restore(url, content, saved.file, saved.key)) };
  });
}

export async function unauthorClaim(url: string, content: string, key: string): Promise<{ file: string; removedFile: boolean }> {
  return withContentLock(content, async () => {
    const removed = removeClaim(contentDirsOf(content), key);
    await restore(url, content, removed.file, key);
    return removed;
  });
}

async function restore(url: string, content: string, file: string, key: string): Promise<Authored> {
  const stored = await storeBundledClaims(url, content);
  const db = openDatabase(url);
  try {
    const row = await db.claim.findUnique({ where: { key }, select: { verdict: true } });
    const disagreement = stored.disagreements.find((d) => d.key === key);
    return { verdict: (row?.verdict as ClaimVerdict | undefined) ?? null, ...(disagreement && { disagreement }), problems: stored.problems.filter((p) => p.file === file) };
  } finally {
    await db.$disconnect();
  }
}
