import { gzipSync } from 'node:zlib';
import { db } from '@/lib/db/client';
import { messageInList } from '@/lib/archive/read';
import { permalinkParams } from '@/lib/archive/urls';
import { threadMbox, threadMboxVersion } from '@/lib/archive/mbox';
import { conditional } from '@/app/_http/validators';

/**
 * The whole thread as an mboxrd file, gzipped, as lore serves it. A thread grows as mail
 * arrives: caches keep it but ask each time (no-cache), and its ETag, a digest of what the
 * file is made of, answers 304 until a re-ingest changes the thread.
 */
export async function GET(req: Request, { params }: { params: Promise<{ list: string; mid: string }> }) {
  const named = permalinkParams(await params, 'route');
  const m = named && (await messageInList(db(), named.list, named.id));
  if (!m?.threadId) return new Response('No such message in this list.\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const threadId = m.threadId;
  // Weak: the same messages gzipped by another zlib are other bytes, the same file.
  return conditional(req, `W/"${await threadMboxVersion(db(), threadId)}"`, 'public, no-cache', {
    'content-type': 'application/gzip', 'content-disposition': `attachment; filename="t.mbox.gz"`,
  }, async () => new Uint8Array(gzipSync(await threadMbox(db(), threadId))));
}
