// Runs before every request reaches a page or route (methods other than GET and HEAD are
// refused earlier, lib/cli/http-guard.mjs): a path that does not decode is answered 400, and
// each page gets its Content-Security-Policy with a fresh nonce, which Next reads from the
// request to mark its own scripts, and the security headers beside it.
import { NextResponse, type NextRequest } from 'next/server';
import { isFilePath, pathDecodes } from '@/app/_http/paths';
import { contentSecurityPolicy, freshNonce, SECURITY_HEADERS } from '@/app/_http/security';

export function proxy(request: NextRequest) {
  // As the request wrote it: the WHATWG URL parser keeps percent-escapes in a path.
  const { pathname } = new URL(request.url);
  if (!pathDecodes(pathname)) {
    return new NextResponse('Malformed percent-encoding in the path.\n', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } });
  }
  if (isFilePath(pathname)) {
    const response = NextResponse.next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
    return response;
  }
  const policy = contentSecurityPolicy(freshNonce());
  const forwarded = new Headers(request.headers);
  forwarded.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries({ 'content-security-policy': policy, ...SECURITY_HEADERS })) response.headers.set(name, value);
  return response;
}
