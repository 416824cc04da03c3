import { QuerySyntaxError } from '@/lib/search/query/ast';
import { SearchBudgetExceeded } from '@/lib/search/limits';
import { searchPool, searchHref, searchRequest } from '../data';
import { atomFeed } from './feed';
import { contentTagged } from '@/app/_http/validators';

/** The site's address as the reader reached it (behind a proxy, as the proxy says): Next's own req.url names its listening host. */
function originOf(req: Request): string {
  const url = new URL(req.url);
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host') ?? url.host;
  const proto = req.headers.get('x-forwarded-proto') ?? url.protocol.slice(0, -1);
  return `${proto}://${host}`;
}

/** GET /search/atom?q=QUERY: the newest messages matching a query, as an Atom feed (lore's ?x=A). */
export async function GET(req: Request) {
  const url = new URL(req.url);
  const r = searchRequest(url.searchParams);
  const text = (body: string, status: number) => new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  if (!r.q) return text('The q parameter (the query) is missing or empty.\n', 400);
  try {
    const results = await searchPool().search(r.q, { sort: 'date', perPage: 50 });
    const xml = atomFeed(results, originOf(req), searchHref({ q: r.q, sort: 'date' }));
    return contentTagged(req, xml, { 'content-type': 'application/atom+xml; charset=utf-8' });
  } catch (e) {
    if (e instanceof SearchBudgetExceeded) return text(`${e.message}\n`, 503);
    if (!(e instanceof QuerySyntaxError)) throw e;
    return text(`${e.message} (at column ${e.column}):\n${e.pointer()}\n`, 400);
  }
}
