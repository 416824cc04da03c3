// Claims on or off, for plain lore-style reading: ?claims=off|on says it for a page (no
// JavaScript needed), and the choice is remembered in a cookie for the pages after it.

import { cookies } from 'next/headers';
import { RememberClaims } from './RememberClaims';

export type PageQuery = Record<string, string | string[] | undefined>;

export const CLAIMS_COOKIE = 'threadlab-claims';

/** The page's query as URLSearchParams (repeated parameters keep their first value). */
export function queryOf(q: PageQuery): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (first !== undefined) out.set(k, first);
  }
  return out;
}

export async function claimsShown(query: URLSearchParams): Promise<boolean> {
  const said = query.get('claims') ?? (await cookies()).get(CLAIMS_COOKIE)?.value;
  return said !== 'off';
}

export function ClaimsSwitch({ shown, query, count }: { shown: boolean; query: URLSearchParams; count: number }) {
  const said = query.get('claims');
  return (
    <>
      <a href={`?claims=${shown ? 'off' : 'on'}`} className="claims-switch" aria-pressed={shown} role="button">
        {count} {count === 1 ? 'claim' : 'claims'}: {shown ? 'on' : 'off'}
      </a>
      {(said === 'on' || said === 'off') && <RememberClaims value={said} />}
    </>
  );
}
