import { gzipSync } from 'node:zlib';
import { db } from '@/lib/db/client';
import { messageInList } from '@/lib/archive/read';
import { permalinkParams } from '@/lib/archive/urls';
import { threadMbox } from '@/lib/archive/mbox';

/** The whole thread as an mboxrd file, gzipped, as lore serves it. */
export async function GET(_req: Request, { params }: { params: Promise<{ list: string; mid: string }> }) {
  const named = permalinkParams(await params, 'route');
  const m = named && (await messageInList(db(), named.list, named.id));
  if (!m?.threadId) return new Response('No such message in this list.\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const mbox = await threadMbox(db(), m.threadId);
  return new Response(gzipSync(mbox), {
    headers: { 'content-type': 'application/gzip', 'content-disposition': `attachment; filename="t.mbox.gz"` },
  });
}
