// Conditional GET for the archive's files: an ETag names the bytes, and a client that has them
// is answered 304 without them being read or packed again.

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
