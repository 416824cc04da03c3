import { headers } from 'next/headers';

/**
 * The nonce of the page being rendered (proxy.ts put it in the request's policy), for an element
 * React inserts itself (Next marks its own scripts and styles); null when the request had none.
 */
export async function pageNonce(): Promise<string | null> {
  return /'nonce-([^']+)'/.exec((await headers()).get('content-security-policy') ?? '')?.[1] ?? null;
}
