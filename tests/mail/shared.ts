/** Where the shared real-mail corpora live, and whether this checkout has them. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readArchive, type RawMessage } from '../../lib/mail';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const hasShared = existsSync(path.join(sharedDir, 'corpora'));
if (!hasShared) console.warn('../shared/corpora absent: skipping corpus tests');

export const shared = (...parts: string[]): string => path.join(sharedDir, ...parts);

/** Every message of an archive, with every reader error collected. */
export async function readAll(p: string, options: Parameters<typeof readArchive>[1] = {}): Promise<{ messages: RawMessage[]; errors: string[] }> {
  const messages: RawMessage[] = [];
  const errors: string[] = [];
  for await (const m of readArchive(p, { onError: (e) => errors.push(e.message), ...options })) messages.push(m);
  return { messages, errors };
}
