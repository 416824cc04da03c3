import { db } from '@/lib/db/client';
import { rawMessage } from '@/lib/archive/read';
import { permalinkParams } from '@/lib/archive/urls';

/** The original bytes, verbatim, as text/plain (never rendered as HTML). */
export async function GET(_req: Request, { params }: { params: Promise<{ list: string; mid: string }> }) {
  const named = permalinkParams(await params, 'route');
  const raw = named && (await rawMessage(db(), named.list, named.id));
  if (!raw) return new Response('No such message in this list.\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return new Response(Buffer.from(raw), {
    headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'" },
  });
}
