/** Maildir folders: every file in cur/ and new/ is one message (tmp/ is in-flight delivery). */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readMessageFile } from './eml';
import { warnOnError, type ReaderOptions } from './mbox';
import { MalformedMessage, type RawMessage } from './types';

export async function* readMaildir(dir: string, options: ReaderOptions = {}): AsyncGenerator<RawMessage> {
  const onError = options.onError ?? warnOnError;
  const files: string[] = [];
  for (const sub of ['cur', 'new']) {
    let names: string[];
    try {
      names = await readdir(join(dir, sub));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        onError(new MalformedMessage(join(dir, sub), 0, `unreadable folder: ${(err as Error).message}`));
      }
      continue;
    }
    // Sorted so that runs are reproducible; dotfiles (.keep, editor droppings) are not mail.
    for (const name of names.sort()) if (!name.startsWith('.')) files.push(join(dir, sub, name));
  }
  for (const file of files) {
    const message = readMessageFile(file, 'maildir', onError);
    if (message) yield message;
  }
}
