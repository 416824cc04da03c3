// After threading: rebuild what ghosts said from the quotes of them, and link
// every quoted segment to the message and span it quotes (QuoteLink rows).
import { readSegments, storeSegments } from '../quote/stored';
import { crashPoint } from './crash-point';
import type { SqliteConnection } from '../db/sqlite';
import { later, writing, type Connection } from '../db/connection';
import { backendOfConnection } from '../db/dialect';
import { linkStatements, type MemberRow } from '../db/links';
import { reconstructGhost } from '../quote/ghost';
import { linkQuotes, QuoteIndex } from '../quote/provenance';
import { segmentBody } from '../quote/segment';
import { indexEntry, type IndexEntry } from '../search/fields';
import { writeMessageIndex } from '../db/sqlite-search-index';

/** A thread member as linking reads it (lib/db/links.ts), with what the search index reads of it. */
type Row = MemberRow;

/** How far up the thread a quote is looked for: deeper quotes than this are rare and cost a scan each. */
const ANCESTORS = 6;

/**
 * Segments every stored message that has none yet: mail stored before
 * segmentation existed. Returns their ids, so their threads get linked.
 */
export function segmentUnsegmented(db: Connection): number[] {
  const sql = linkStatements(db);
  const rows = sql.unsegmented.all();
  writing(db, () => {
    for (const r of rows) later(sql.setSegments, storeSegments(segmentBody(r.body)), r.id);
  });
  return rows.map((r) => r.id);
}

/** What linking decided for one thread: computed from its rows alone; planThreads puts those of a set of threads into one LinkPlan. */
export interface ThreadPlan {
  /** Ghosts given text from the quotes of them: [id, body, segmentsJson]. */
  ghosts: Array<[number, string, string]>;
  /** Messages whose links are replaced, and their new links. */
  linked: number[];
  /** Search index entries of the thread's queued messages and of its ghosts, with their rebuilt text. */
  index: IndexEntry[];
  links: Array<[messageId: number, segment: number, sourceId: number | null, sourceStart: number | null, sourceEnd: number | null, match: string, score: number | null]>;
}

/**
 * What linking writes for a set of threads, in one transaction (applyLinkPlan): their
 * plans put together, links and linked messages already as the JSON arrays the writer
 * binds. Made where the plans are, a worker in bulk ingest: this thread, the one writer,
 * then neither builds nor receives some 350,000 small arrays (on the bench corpus).
 */
export interface LinkPlan {
  ghosts: ThreadPlan['ghosts'];
  /** JSON array of the messages whose links are replaced. */
  linkedJson: string;
  /** JSON array of their new links, in key order (messageId, segment). */
  linksJson: string;
  links: number;
  index: IndexEntry[];
}

/** Reads threads and plans their links, on any connection (a read-only one in link-worker.ts). */
export function planThreads(db: Connection, threadIds: readonly number[]): LinkPlan {
  // The members of every thread in one statement: a statement per thread costs a round trip on PostgreSQL.
  const byThread = new Map<number, Row[]>(threadIds.map((id) => [id, []]));
  for (const row of linkStatements(db).members.all(JSON.stringify(threadIds))) byThread.get(row.threadId)!.push(row);
  const plans = threadIds.map((id) => planThread(byThread.get(id)!));
  const links = plans.flatMap((p) => p.links).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return {
    ghosts: plans.flatMap((p) => p.ghosts),
    linkedJson: JSON.stringify(plans.flatMap((p) => p.linked)),
    linksJson: JSON.stringify(links),
    links: links.length,
    index: plans.flatMap((p) => p.index),
  };
}

/**
 * For each thread: ghosts first (their text is what their replies quote of
 * them), then the quotes of the messages that may link otherwise than they
 * did, against their ancestors, ghosts included. Those are the fresh ones
 * (LinkQueue), the replies of a ghost whose text changed, and the messages
 * below either as far as a quote is looked for up the thread (ANCESTORS):
 * a sync's few new replies relink themselves, not their whole threads.
 */
export function planThread(rows: Row[]): ThreadPlan {
  const plan: ThreadPlan = { ghosts: [], linked: [], links: [], index: [] };
  const byId = new Map(rows.map((r) => [r.id, { ...r, segments: readSegments(r.segmentsJson) }]));
  const idOf = new Map(rows.map((r) => [r.archiveId, r.id]));
  const ancestorsOf = (id: number) => {
    const chain = [];
    for (let at = byId.get(id)?.parentId; at != null && chain.length < ANCESTORS; at = byId.get(at)?.parentId) {
      const a = byId.get(at);
      if (!a) break;
      chain.push({ archiveId: a.archiveId, body: a.body, segments: a.segments, isGhost: a.isGhost === 1 });
    }
    return chain;
  };
  const changed: number[] = [];
  for (const ghost of rows.filter((r) => r.isGhost === 1)) {
    const quoting = rows
      .filter((r) => r.parentId === ghost.id && r.isGhost === 0)
      .map((r) => ({ archiveId: r.archiveId, body: r.body, segments: byId.get(r.id)!.segments }));
    const rebuilt = reconstructGhost(quoting, ghost.archiveId);
    const g = byId.get(ghost.id)!;
    if (rebuilt.body !== g.body) changed.push(ghost.id);
    g.body = rebuilt.body;
    g.segments = rebuilt.segments;
    const segmentsJson = storeSegments(rebuilt.segments);
    plan.ghosts.push([ghost.id, rebuilt.body, segmentsJson]);
    plan.index.push(indexEntry(ghost.id, { ...ghost, body: rebuilt.body, segmentsJson }, rebuilt.segments));
  }
  for (const r of rows) if (r.queued && r.isGhost === 0) plan.index.push(indexEntry(r.id, r, byId.get(r.id)!.segments));
  const relink = relinked(rows, changed);
  const index = new QuoteIndex();
  for (const r of rows) {
    if (r.isGhost === 1 || !relink.has(r.id)) continue;
    plan.linked.push(r.id);
    const m = byId.get(r.id)!;
    if (!m.segments.some((s) => s.kind === 'quote')) continue;
    for (const q of linkQuotes({ body: m.body, segments: m.segments }, ancestorsOf(r.id), index)) {
      const sourceId = q.sourceArchiveId === null ? null : idOf.get(q.sourceArchiveId) ?? null;
      plan.links.push([r.id, q.segment, sourceId, q.sourceStart, q.sourceEnd, q.match, q.score]);
    }
  }
  return plan;
}

/** The fresh messages, the children of `changed` ghosts, and what is below them ANCESTORS deep. */
function relinked(rows: readonly Row[], changed: readonly number[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const r of rows) if (r.parentId !== null) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r.id]);
  const out = new Set<number>();
  let level = [...rows.filter((r) => r.fresh === 1).map((r) => r.id), ...changed.flatMap((g) => children.get(g) ?? [])];
  for (let depth = 0; level.length > 0 && depth <= ANCESTORS; depth++) {
    const next: number[] = [];
    for (const id of level) {
      if (out.has(id)) continue;
      out.add(id);
      next.push(...(children.get(id) ?? []));
    }
    level = next;
  }
  return out;
}

export interface LinkCounts {
  links: number;
  ghosts: number;
  /** Messages put in the search index with their thread. */
  indexed: number;
}

/**
 * Writes a plan in one transaction: ghosts' text, links, search index entries.
 * A thread's links are replaced as a whole, so re-running changes nothing.
 */
export function applyLinkPlan(db: Connection, plan: LinkPlan): LinkCounts {
  const { setGhost, dropLinks, insertLinks } = linkStatements(db);
  const counts = { links: plan.links, ghosts: 0, indexed: plan.index.length };
  writing(db, () => {
    for (const [id, body, segmentsJson] of plan.ghosts) {
      later(setGhost, body, segmentsJson, id);
      if (body) counts.ghosts++;
    }
    dropLinks.run(plan.linkedJson);
    insertLinks.run(plan.linksJson);
    // After the ghosts' text: its trigger queued them again, and these entries take them off.
    // PostgreSQL's index is written from its queue after linking (lib/search/postgres/indexer.ts).
    if (backendOfConnection(db) === 'sqlite') writeMessageIndex(db as SqliteConnection, plan.index);
  });
  crashPoint('linked');
  return counts;
}

/** Threads linked per transaction: large enough to amortise the commit, small enough to hand the writer back often. */
export const THREADS_PER_PLAN = 200;

/** Links these threads on this thread, THREADS_PER_PLAN to a transaction. */
export function linkThreads(db: Connection, threadIds: readonly number[]): LinkCounts {
  const counts = { links: 0, ghosts: 0, indexed: 0 };
  for (let i = 0; i < threadIds.length; i += THREADS_PER_PLAN) {
    const c = applyLinkPlan(db, planThreads(db, threadIds.slice(i, i + THREADS_PER_PLAN)));
    counts.links += c.links;
    counts.ghosts += c.ghosts;
    counts.indexed += c.indexed;
  }
  return counts;
}
