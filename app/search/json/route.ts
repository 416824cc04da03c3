import { QuerySyntaxError } from '@/lib/search/query/ast';
import { SearchBudgetExceeded } from '@/lib/search/limits';
import { scenarioHref } from '@/app/scenarios/data';
import { searchPool, searchRequest } from '../data';
import { contentTagged } from '@/app/_http/validators';

const json = (body: unknown, status = 200) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } });

/**
 * GET /search/json?q=QUERY[&page=N][&sort=date]: the search page's results as JSON, named by
 * an ETag (contentTagged); 400 with the position for a query that cannot be read or costs
 * more than the limits, 503 when it runs past its time budget (neither kept).
 */
export async function GET(req: Request) {
  const r = searchRequest(new URL(req.url).searchParams);
  if (!r.q) return json({ error: { message: 'the q parameter (the query) is missing or empty' } }, 400);
  try {
    const results = await searchPool().search(r.q, { page: r.page, sort: r.sort });
    const body = JSON.stringify({ ...results, scenarios: { ...results.scenarios, hits: results.scenarios.hits.map((s) => ({ ...s, href: scenarioHref(s.id) })) } });
    return contentTagged(req, body, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' });
  } catch (e) {
    if (e instanceof SearchBudgetExceeded) return json({ error: { message: e.message, budgetMs: e.budgetMs } }, 503);
    if (!(e instanceof QuerySyntaxError)) throw e;
    return json({ error: { message: e.message, position: e.position, column: e.column, pointer: e.pointer() } }, 400);
  }
}
