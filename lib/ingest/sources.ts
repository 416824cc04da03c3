/**
 * The places ingest reads from, and how far it got in each (the Source table), so
 * that ingesting a source again, or `npm run sync`, reads only what is new:
 *
 * - a public-inbox: per git repository, the last commit read;
 * - an mbox file: its size when read, and a hash of the bytes just before that end,
 *   so that a file only appended to goes on from there and one rewritten is read whole;
 * - a Maildir: the files already stored (their copies), which are not read again.
 *
 * What is read again all the same (a gzipped mbox, loose files, a rewritten mbox) is
 * told apart by its copies, as on any re-ingest: nothing is stored twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Connection } from '../db/connection';
import { sourceStatements } from '../db/sources';
import { sqlDateTime } from '../db/sqlite';
import { isGitRepository, v2Epochs } from '../mail/public-inbox';
import type { EpochPosition, Resume } from '../mail/resume';
import type { RawMessage } from '../mail/types';

export type SourceKind = 'public-inbox' | 'maildir' | 'folder' | 'file';

/** A source as recorded: where it is and what ingest was told about it. */
export interface SourceRecord {
  path: string;
  kind: SourceKind;
  list: string | null;
  mbox: string | null;
}

interface SourceState {
  epochs?: Record<string, EpochPosition>;
  mboxes?: Record<string, { size: number; tail: string }>;
}

export function sourceKind(root: string): SourceKind {
  if (!fs.statSync(root).isDirectory()) return 'file';
  if (v2Epochs(root) || isGitRepository(root)) return 'public-inbox';
  if (fs.existsSync(path.join(root, 'cur')) || fs.existsSync(path.join(root, 'new'))) return 'maildir';
  return 'folder';
}

/** Every source recorded, for `npm run sync`. */
export function recordedSources(db: Connection): SourceRecord[] {
  return sourceStatements(db).recorded.all() as SourceRecord[];
}

/** How far the mbox bytes before `size` show the file to be the one read before. */
const TAIL_BYTES = 4096;

function tailHash(file: string, size: number): string | null {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const length = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(length);
    const read = fs.readSync(fd, buf, 0, length, size - length);
    return read === length ? createHash('sha256').update(buf).digest('hex') : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Reading `source` again: a Resume for the readers, and how far what is stored got.
 * The readers read ahead of what is stored (decoding is in flight), so their positions
 * are applied in stream order: `read` each message as it goes to decoding, `decoded` as
 * its result comes back (in the same order), `finished` once all have; `save` (in the
 * transaction that stores those messages) records how far that is. A crash before leaves
 * the positions of the last batch stored, and the next read finds its copies stored.
 */
export interface SourceReading {
  resume: Resume;
  read(raw: RawMessage): void;
  decoded(): void;
  finished(): void;
  /** Records how far the read got, when that moved since the last save. */
  save(): void;
  /** Files stored by an earlier read, not read again (Maildir, .eml): unchanged copies. */
  knownFiles(): number;
}

export function resumeSource(db: Connection, source: SourceRecord): SourceReading {
  const sql = sourceStatements(db);
  const recorded = sql.source.get(source.path);
  // Told otherwise than last time (another --list or --mbox): read again from the start, the copies known by their places.
  const row = recorded && recorded.list === source.list && recorded.mbox === source.mbox ? recorded : undefined;
  const before = JSON.parse(row?.stateJson ?? '{}') as SourceState;
  const after: SourceState = { epochs: { ...before.epochs }, mboxes: { ...before.mboxes } };
  let known: Set<string> | undefined;
  let knownFiles = 0;
  /** Messages gone to decoding and the readers' positions after them, in stream order. */
  const inFlight: Array<RawMessage | (() => void)> = [];
  const applyPositions = () => {
    while (typeof inFlight[0] === 'function') (inFlight.shift() as () => void)();
  };
  // Positions reached since the last save; an mbox's tail is hashed once, when saved, not per message.
  const mboxEnds = new Map<string, number>();
  let moved = true; // the first save records the source, moved or not
  const mboxAt = (file: string, size: number) => {
    mboxEnds.set(file, size);
    moved = true;
  };
  const epochAt = (gitDir: string, position: EpochPosition) => {
    after.epochs![gitDir] = position;
    moved = true;
  };
  const resume: Resume = {
    known(file) {
      if (recorded && !row) return false; // read again from the start
      // The copies stored from under this folder, once: a range scan of MessageCopy's (source, offset) index.
      // Also with no position recorded: an ingest killed before its end stored some.
      known ??= new Set(
        sql.copiedFrom
          .all(`${source.path}/`, `${source.path}0`)
          .map((r) => r.source),
      );
      if (!known.has(file)) return false;
      knownFiles++;
      return true;
    },
    mboxStart(file) {
      const was = before.mboxes?.[file];
      if (!was) return 0;
      let size: number;
      try {
        size = fs.statSync(file).size;
      } catch {
        return 0;
      }
      return size >= was.size && tailHash(file, was.size) === was.tail ? was.size : 0;
    },
    onMboxRead: (file, size) => void inFlight.push(() => mboxAt(file, size)),
    since: new Map(Object.entries(before.epochs ?? {})),
    onPosition: (gitDir, position) => void inFlight.push(() => epochAt(gitDir, position)),
  };
  return {
    resume,
    read: (raw) => void inFlight.push(raw),
    decoded() {
      applyPositions();
      const raw = inFlight.shift() as RawMessage;
      // A public-inbox goes on after this message's commit; a plain mbox again at this message, which is
      // then found stored (where the next one starts is not known yet).
      if (raw.commit) epochAt(raw.source, { commit: raw.commit, count: raw.offset });
      else if (raw.seekable) mboxAt(raw.source, raw.offset);
      applyPositions();
    },
    finished: applyPositions,
    knownFiles: () => knownFiles,
    save() {
      if (!moved) return;
      for (const [file, size] of mboxEnds) {
        const tail = tailHash(file, size);
        if (tail) after.mboxes![file] = { size, tail };
      }
      mboxEnds.clear();
      moved = false;
      sql.save.run(source.path, source.kind, source.list, source.mbox, JSON.stringify(after), sqlDateTime(new Date()));
    },
  };
}
