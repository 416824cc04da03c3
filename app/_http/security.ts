// What every response says about itself to the browser: the Content-Security-Policy of the
// pages and the headers beside it. proxy.ts sets them.

/**
 * The policy of a page rendered with `nonce`. Next puts the nonce on its own scripts, inline
 * and not (it reads it from this header on the request); 'strict-dynamic' lets those load the
 * chunks they import, and nothing else runs: no inline script without the nonce, no other
 * origin. Style attributes are allowed (style-src-attr): the reply tree's indents and the
 * runner's trace grid are set per element, and a style attribute cannot run script. The
 * runner's Web Worker is a script file of the site (worker-src). No frame may hold a page.
 * `next dev` evaluates code and injects styles of its own (Next's CSP guide): it gets
 * 'unsafe-eval' and 'unsafe-inline' styles; a built site never does.
 */
export function contentSecurityPolicy(nonce: string, dev = process.env.NODE_ENV === 'development'): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** A fresh nonce: 128 random bits, base64. */
export const freshNonce = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');

/** The headers of every response beside its policy: never sniffed, never framed, no full URL sent to other sites. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};
