/**
 * Reading a source again where an earlier read stopped (lib/ingest/sources.ts keeps
 * the positions): the readers skip what is known and say how far they got.
 */
import type { ReaderOptions } from './mbox';

/** How far one git repository of a public-inbox has been read: its last commit and that commit's number in its history. */
export interface EpochPosition {
  commit: string;
  count: number;
}

export interface Resume {
  /** A single-message file (Maildir, .eml) stored before: not read again. */
  known?(file: string): boolean;
  /** Where to go on reading an mbox file: the byte after what was read before (0: from its start). */
  mboxStart?(file: string): number;
  /** An mbox file has been read to `size` bytes. */
  onMboxRead?(file: string, size: number): void;
  /** Per git repository (its absolute path), where an earlier read stopped. */
  since?: ReadonlyMap<string, EpochPosition>;
  /** A git repository has been read to its end, which is `position`. */
  onPosition?(gitDir: string, position: EpochPosition): void;
}

export interface ArchiveOptions extends ReaderOptions {
  resume?: Resume;
}
