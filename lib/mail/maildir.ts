/**
 * One Maildir folder: every file in cur/ and new/ is one message. tmp/ holds mail being
 * delivered: its files are not read but reported, as are names that are no message's.
 * The walk over a Maildir's Maildir++ subfolders and loose files is readMaildir, in
 * archive.ts (loose files are told by their content, which is archive.ts's job).
 */
import { statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readMessageFile } from './eml';
import { warnOnError } from './mbox';
import type { ArchiveOptions } from './resume';
import { MalformedMessage, type RawMessage } from './types';

/** The folders of a Maildir: not loose files, not subfolders. */
export const MAILDIR_PARTS: ReadonlySet<string> = new Set(['cur', 'new', 'tmp']);

/** A folder is a Maildir when it has cur/ or new/ (tmp/ alone is not enough: it may be anyone's). */
export async function isMaildir(dir: string): Promise<boolean> {
  for (const sub of ['cur', 'new']) {
    try {
      if ((await stat(join(dir, sub))).isDirectory()) return true;
    } catch {
      // not there: try the other
    }
  }
  return false;
}

export const HIDDEN_FILE = 'hidden file (name starts with "."), not a message; not read';
export const IN_DELIVERY = 'in tmp/, still being delivered; not read';
export const EMPTY = 'empty file; skipped';

/**
 * The messages of one Maildir folder's cur/ and new/, in name order; the files of its
 * tmp/ reported (IN_DELIVERY). `folder` is the Maildir++ folder name set on each
 * message (RawMessage.folder), none for a Maildir's own.
 */
export async function* readMaildirFolder(dir: string, folder: string | undefined, options: ArchiveOptions = {}): AsyncGenerator<RawMessage> {
  const onError = options.onError ?? warnOnError;
  const files: string[] = [];
  for (const sub of ['cur', 'new', 'tmp']) {
    let names: string[];
    try {
      names = await readdir(join(dir, sub));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        onError(new MalformedMessage(join(dir, sub), 0, `unreadable folder: ${(err as Error).message}`));
      }
      continue;
    }
    // Sorted so that runs are reproducible.
    for (const name of names.sort()) {
      const file = join(dir, sub, name);
      // Maildir names never start with '.': these are editor droppings, or .keep files
      // (empty, there to keep the folder in git: nothing to lose, nothing said).
      if (name.startsWith('.')) {
        if (!isPlaceholder(file)) onError(new MalformedMessage(file, 0, HIDDEN_FILE));
      } else if (sub === 'tmp') onError(new MalformedMessage(file, 0, IN_DELIVERY));
      else files.push(file);
    }
  }
  for (const file of files) {
    if (options.resume?.known?.(file)) continue; // stored by an earlier read of this Maildir
    const message = readMaildirFile(file, onError, folder);
    if (message) yield message;
  }
}

/** One file of a Maildir's cur/ or new/: its message, or null (reported) when it has none. */
export function readMaildirFile(file: string, onError: (error: MalformedMessage) => void, folder?: string): RawMessage | null {
  const message = readMessageFile(file, 'maildir', onError);
  if (!message) return null;
  if (isBlank(message.raw)) {
    onError(new MalformedMessage(file, 0, EMPTY));
    return null;
  }
  if (folder !== undefined) message.folder = folder;
  return message;
}

/** True for no bytes or only white space (stops at the first other byte). */
export function isBlank(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0x0a && b !== 0x0d && b !== 0x20 && b !== 0x09) return false;
  return true;
}

/** An empty hidden file (.keep, .gitkeep): holds a folder in place, holds no mail. */
export function isPlaceholder(path: string): boolean {
  try {
    const st = statSync(path);
    return st.isFile() && st.size === 0;
  } catch {
    return false;
  }
}
