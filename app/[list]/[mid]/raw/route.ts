import { db } from '@/lib/db/client';
import { rawMessage } from '@/lib/archive/read';
import { permalinkParams } from '@/lib/archive/urls';
import { conditional } from '@/app/_http/validators';

const notFound = () => new Response('No such message in this list.\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * The original bytes, verbatim, as text/plain (never rendered as HTML). A message's bytes never
 * change; its ETag is their stored SHA-256, and a day's caching lets a deletion show within one.
 */
export async function GET(req: Request, { params }: { params: Promise<{ list: string; mid: string }> }) {
  const named = permalinkParams(await params, 'route');
  const raw = named && (await rawMessage(db(), named.list, named.id));
  if (!raw) return notFound();
  return conditional(req, raw.sha256 && `"${raw.sha256}"`, 'public, max-age=86400', {
    'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'",
  }, async () => new Uint8Array(await raw.bytes()));
}
