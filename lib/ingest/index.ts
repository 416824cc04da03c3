import fs from 'node:fs';
import path from 'node:path';
import { onWriterWait, refreshStatistics, urlOf, writing, type Connection } from '../db/connection';
import { PostgresWriter } from '../db/postgres-writer';
import { owedSince, owedWork, settle } from '../db/owed-work';
import { readArchive, type MboxVariant } from '../mail';
import { BYTES_IN_FLIGHT, createDecodePool, decodeInOrder, preparedBytes, type DecodePool } from './decode-pool';
import { resumeSource, sourceKind, type SourceKind, type SourceReading, type SourceRecord } from './sources';
import { inboxName } from '../mail/public-inbox';
import { MalformedMessage } from '../mail/types';
import { storeBatch, type Incoming, type Replaced, type ReusedId } from './store';
import { refreshThreadLists, rethread, rethreadQueued } from './rethread';
import { linkQueueLength, messageCount, threadCount } from '../db/counts';
import { queueForLinking, queuedForLinking, unqueue } from '../db/link-queue';
import { applyLinkPlan, linkThreads, segmentUnsegmented, type LinkCounts } from './quotes';
import { startLinkPlanner, type LinkPlanner } from './link-planner';
import { beginIndexing, refreshSearchIndex } from '../search/indexer';
import { refreshSearchIndex as refreshPostgresIndex } from '../search/postgres/indexer';
import { servableListName } from '../archive/urls';
import { crashPoint } from './crash-point';

export interface Skipped {
  source: string;
  offset: number;
  reason: string;
}

export interface IngestSummary {
  files: number;
  /** Messages read from the archives, whatever became of them. */
  seen: number;
  added: number;
  duplicates: number;
  unchanged: number;
  /** Messages already stored that this ingest filed under one more list (a cross-posted copy). */
  listed: number;
  /** Messages whose Message-ID another message with other content had: stored under a derived id. */
  reused: ReusedId[];
  /** Stored copies cut short (or without text) that a complete copy replaced; theirs are kept as copies. */
  replaced: Replaced[];
  /** Removals the archive made (public-inbox): messages taken out of the archive, or out of this list only. */
  removed: number;
  unlisted: number;
  skipped: Skipped[];
  /** Lists stored under another name than their own, which a page of the site has (servableListName). */
  renamedLists: Array<{ from: string; to: string }>;
  threads: number;
  /** Whether the whole archive was threaded again, or only the threads new mail touched. */
  threading?: 'whole' | 'touched';
  /** Quoted segments linked to their sources, and ghosts given text from the quotes of them. */
  quoteLinks: number;
  ghostsRebuilt: number;
  millis: number;
}

export interface Progress {
  messages: number;
  bytesDone: number;
  bytesTotal: number;
  millis: number;
}

export interface IngestOptions {
  /** Store every message under this list, whatever its headers say. */
  list?: string;
  /** How every mbox given is quoted; when not given, told per file (detectMboxVariant). */
  mbox?: MboxVariant;
  /** Read only what is new in a source read before (its recorded position); default true. */
  resume?: boolean;
  batchSize?: number;
  onProgress?: (p: Progress) => void;
  /** Told, again and again, while a write waits for another process's: how long it has waited. */
  onWait?: (waitedMs: number) => void;
  /** Plan quote links on a worker thread (default: when there are many threads to link). */
  linkInWorker?: boolean;
}

/**
 * Reads, decodes and stores every message under `paths`, then re-threads.
 * A message that cannot be read or decoded is reported in `skipped` with
 * its file and byte offset; the rest goes on. Each path is recorded as a
 * source (sources.ts): read again, only what is new there is read.
 */
export function ingestPaths(db: Connection, paths: string[], options: IngestOptions = {}): Promise<IngestSummary> {
  return ingestSources(db, paths.map((p) => ({ path: p, list: options.list ?? null, mbox: options.mbox ?? null })), options);
}

/** As ingestPaths, each source with what it was recorded with (`npm run sync`); options.list and options.mbox are not used. */
export async function ingestSources(db: Connection, sources: ReadonlyArray<Omit<SourceRecord, 'kind'>>, options: IngestOptions = {}): Promise<IngestSummary> {
  const paths = sources.map((s) => s.path);
  const started0 = performance.now();
  const batchSize = options.batchSize ?? 500;
  const summary: IngestSummary = { files: 0, seen: 0, added: 0, duplicates: 0, unchanged: 0, listed: 0, reused: [], replaced: [], removed: 0, unlisted: 0, skipped: [], renamedLists: [], threads: 0, quoteLinks: 0, ghostsRebuilt: 0, millis: 0 };
  const listName = (name: string) => {
    const servable = servableListName(name);
    if (servable !== name && !summary.renamedLists.some((r) => r.from === name)) summary.renamedLists.push({ from: name, to: servable });
    return servable;
  };
  // For the progress bar's ETA only: a stat of every file (a quarter of a second for 50,000) that
  // nothing else needs.
  const bytesTotal = options.onProgress ? paths.reduce((n, p) => n + sizeOf(p), 0) : 0;
  let bytesDone = 0;
  let batch: Incoming[] = [];
  const readings: SourceReading[] = [];
  if (options.onWait) onWriterWait(db, options.onWait);
  // A batch, what it owes and how far its sources are read go in one transaction.
  let batchBytes = 0; // a batch of large messages is stored before it holds more than decodeInOrder keeps in flight
  const flush = () => {
    const counts = writing(db, () => {
      const counts = storeBatch(db, batch);
      for (const r of readings) r.save();
      return counts;
    });
    summary.added += counts.added;
    summary.duplicates += counts.duplicates;
    summary.unchanged += counts.unchanged;
    summary.listed += counts.listed;
    summary.reused.push(...counts.reused);
    summary.replaced.push(...counts.replaced);
    summary.removed += counts.removed;
    summary.unlisted += counts.unlisted;
    summary.skipped.push(...counts.removalsUnmatched);
    batch = [];
    batchBytes = 0;
    options.onProgress?.({ messages: summary.seen, bytesDone, bytesTotal, millis: performance.now() - started0 });
    crashPoint('batch-stored');
  };
  const skip = (e: MalformedMessage) => summary.skipped.push({ source: e.source, offset: e.offset, reason: e.reason });

  // Decoding is most of the work: worker threads do it, in file order. Started with the
  // first message: a sync with nothing new starts none.
  let started: Promise<DecodePool> | undefined;
  const pool: DecodePool = {
    decode: async (raw) => (await (started ??= createDecodePool())).decode(raw),
    close: async () => (started ? (await started).close() : undefined),
  };
  try {
    for (const given of sources) {
      const root = path.resolve(given.path);
      if (!fs.existsSync(root)) {
        summary.skipped.push({ source: root, offset: 0, reason: 'no such file or folder' });
        continue;
      }
      const kind = sourceKind(root);
      const fallbackList = defaultListName(root, kind);
      const list = given.list ?? undefined;
      const source = resumeSource(db, { path: root, kind, list: given.list, mbox: given.mbox });
      readings.push(source);
      const files = new Set<string>();
      const counted = async function* () {
        const reading = { onError: skip, mboxVariant: (given.mbox as MboxVariant | null) ?? undefined, resume: options.resume === false ? undefined : source.resume };
        for await (const raw of readArchive(root, reading)) {
          files.add(raw.source);
          summary.seen++;
          bytesDone += raw.raw.byteLength;
          source.read(raw);
          yield raw;
        }
      };
      for await (const decoded of decodeInOrder(counted(), pool)) {
        source.decoded();
        if (decoded instanceof MalformedMessage) skip(decoded);
        else {
          batch.push({ ...decoded, list: listName(list ?? decoded.parsed.listHint ?? fallbackList) });
          batchBytes += preparedBytes(decoded);
        }
        if (batch.length >= batchSize || batchBytes >= BYTES_IN_FLIGHT) flush();
      }
      source.finished();
      summary.files += files.size;
      summary.unchanged += source.knownFiles();
    }
  } finally {
    await pool.close();
  }
  flush();
  crashPoint('stored');
  if (summary.added >= PLAN_IN_WORKER_FROM) refreshStatistics(db);
  const derived = await finishOwedWork(db, { linkInWorker: options.linkInWorker, bulk: summary.added >= PLAN_IN_WORKER_FROM });
  summary.threads = derived.threads;
  summary.threading = derived.threading;
  summary.quoteLinks = derived.links;
  summary.ghostsRebuilt = derived.ghosts;
  summary.millis = performance.now() - started0;
  return summary;
}

export interface Derived extends LinkCounts {
  threads: number;
  /** Whether the whole archive was threaded again, the threads new mail touched, or none. */
  threading?: 'whole' | 'touched';
}

/**
 * Does the derivation stored mail is owed (OwedWork, LinkQueue, the search queue), by
 * this ingest or any earlier one that crashed: threading, thread lists, then quote links,
 * ghost text and the search index (deriveStored). Threading that another writer made
 * stale by storing mail meanwhile is left owed: that writer threads after it stores, or
 * the next process does.
 */
export async function finishOwedWork(db: Connection, options: { linkInWorker?: boolean; bulk?: boolean } = {}): Promise<Derived> {
  const owed = owedWork(db);
  const thread = owed.get('thread');
  const all = owed.get('thread-all');
  const lists = owed.get('thread-lists');
  let threading: Derived['threading'];
  // A bulk ingest links in a worker: started now, it loads while this thread re-threads.
  const planner = (thread ?? all) !== undefined && inWorker(db) && (options.linkInWorker ?? options.bulk) ? await startLinkPlanner(urlOf(db)) : undefined;
  try {
    if (thread !== undefined || all !== undefined) {
      // Stored mail the rows read do not hold: another writer's, threaded by it.
      const stale = () => (thread !== undefined && owedSince(db, 'thread', thread)) || (all !== undefined && owedSince(db, 'thread-all', all));
      const settled = () => {
        if (thread !== undefined) settle(db, 'thread', thread);
        if (all !== undefined) settle(db, 'thread-all', all);
      };
      // A few messages added to a large archive: only the threads they touch (rethreadQueued).
      const touched = all === undefined && linkQueueLength(db) * 4 < messageCount(db) ? rethreadQueued(db, { stale, settled }) : null;
      if (touched !== null) threading = touched ? 'touched' : undefined;
      else threading = rethread(db, { stale, settled }) ? 'whole' : undefined;
    }
    // Threading lists the threads it places; mail already stored that changed lists is in others.
    if (lists !== undefined) refreshThreadLists(db, () => settle(db, 'thread-lists', lists));
    // Threading's working set is garbage now: give it back before linking (the CLI runs with
    // --expose-gc for this; a peak RSS target counts it).
    if (threading) {
      crashPoint('threaded');
      (globalThis as { gc?: () => void }).gc?.();
    }
    const derived = await deriveStored(db, { linkInWorker: options.linkInWorker, planner });
    return { ...derived, threads: threadCount(db), threading };
  } finally {
    await planner?.close();
  }
}

/** Whether linking may be planned on a worker thread, which reads the store beside this connection: not an SQLite database in memory. */
const inWorker = (db: Connection) => !db.memory;


/**
 * What is derived from stored mail once it is threaded: quote links in the
 * threads of the messages queued for it (LinkQueue: those stored or given
 * another parent since the last linking, even by an ingest that crashed
 * before it got here; and mail stored before segmentation existed), with the
 * search index entries of their messages; then the index of every other
 * message changed since it last ran.
 */
export async function deriveStored(db: Connection, options: { linkInWorker?: boolean; planner?: LinkPlanner } = {}): Promise<LinkCounts> {
  // Mail stored before segmentation existed is linked as if new.
  const unsegmented = segmentUnsegmented(db);
  writing(db, () => unsegmented.forEach((id) => queueForLinking(db, id)));
  // Mail not threaded yet (stored by a writer still at work, or owing threading another
  // writer made stale) stays queued for whoever threads it.
  const queued = queuedForLinking(db).filter((q) => !q.unthreaded);
  const threads = [...new Set(queued.flatMap((q) => (q.threadId === null ? [] : [q.threadId])))];
  if (!(db instanceof PostgresWriter)) beginIndexing(db); // linking indexes the messages of the threads it links
  let counts: LinkCounts;
  if (options.planner) counts = await linkInWorkerThread(db, threads, options.planner);
  else if (!(options.linkInWorker ?? threads.length >= PLAN_IN_WORKER_FROM) || !inWorker(db)) counts = linkThreads(db, threads);
  else {
    const planner = await startLinkPlanner(urlOf(db));
    try {
      counts = await linkInWorkerThread(db, threads, planner);
    } finally {
      await planner.close();
    }
  }
  unqueue(db, queued);
  if (db instanceof PostgresWriter) counts.indexed += (await refreshPostgresIndex(db.url)).messages; // its triggers queued every message changed
  else counts.indexed += refreshSearchIndex(db, counts.indexed); // what no linked thread holds
  return counts;
}

/** A worker reads the threads and plans their links and index entries; this thread, the one writer, writes them as they come. */
async function linkInWorkerThread(db: Connection, threads: readonly number[], planner: LinkPlanner): Promise<LinkCounts> {
  const counts = { links: 0, ghosts: 0, indexed: 0 };
  planner.plan(threads);
  for (;;) {
    for (const plan of planner.take()) {
      const c = applyLinkPlan(db, plan);
      counts.links += c.links;
      counts.ghosts += c.ghosts;
      counts.indexed += c.indexed;
    }
    if (planner.done) break;
    await planner.next();
  }
  return counts;
}

/** Below this many threads (or, before threading, messages added) to link, a worker costs more to start than it saves. */
const PLAN_IN_WORKER_FROM = 2000;

/**
 * The folder an archive sits in names its list when its headers do not
 * (content/thread/linux-mm/01.eml); a Maildir's files are named by the Maildir, never
 * by its cur/ or new/ (box/cur/1:2,S is in box), and a Maildir++ subfolder's by the
 * Maildir it is a folder of (box/.Sent is in box), as when the whole Maildir is read; a
 * public-inbox by its inbox (/m/linux-mm/git/0.git is linux-mm).
 */
function defaultListName(p: string, kind: SourceKind): string {
  if (kind === 'public-inbox') return inboxName(p);
  let dir = fs.statSync(p).isDirectory() ? p : path.dirname(p);
  if (/^(?:cur|new|tmp)$/.test(path.basename(dir)) && isMaildir(path.dirname(dir))) dir = path.dirname(dir);
  while (path.basename(dir).startsWith('.') && isMaildir(dir) && isMaildir(path.dirname(dir))) dir = path.dirname(dir);
  return path.basename(dir);
}

const isMaildir = (p: string) => fs.existsSync(path.join(p, 'cur')) || fs.existsSync(path.join(p, 'new'));

function sizeOf(p: string): number {
  try {
    const st = fs.statSync(p);
    if (!st.isDirectory()) return st.size;
    return fs.readdirSync(p).reduce((n, f) => n + sizeOf(path.join(p, f)), 0);
  } catch {
    return 0;
  }
}
