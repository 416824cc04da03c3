// Conditional GET for the archive's files: an ETag names the bytes, and a client that has them
// is answered 304 without them being read or packed again.
import { createHash } from 'node:crypto';

/** Whether If-None-Match names `etag` (weak comparison, as RFC 9110 asks for GET). */
function matches(req: Request, etag: string): boolean {
  const header = req.headers.get('if-none-match');
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/**
 * The response for a file named by `etag`: 304 when the client holds it, else `body()` with
 * `headers`. Both carry the ETag and Cache-Control.
 */
export async function conditional(req: Request, etag: string | null, cacheControl: string, headers: Record<string, string>, body: () => Promise<BodyInit>): Promise<Response> {
  const validators: Record<string, string> = etag ? { etag, 'cache-control': cacheControl } : { 'cache-control': 'no-cache' };
  if (etag && matches(req, etag)) return new Response(null, { status: 304, headers: validators });
  return new Response(await body(), { headers: { ...headers, ...validators } });
}

/**
 * A computed answer (a search's JSON or Atom feed) named by the hash of its bytes: a feed
 * reader asking again gets 304 while nothing new matched, and the page cache
 * (lib/cli/page-cache.mjs) keeps it until the archive changes, so a search asked again is
 * not run again. `no-cache`: clients ask each time, and are told when nothing changed.
 */
export function contentTagged(req: Request, body: string, headers: Record<string, string>): Promise<Response> {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return conditional(req, etag, 'no-cache', headers, async () => body);
}
