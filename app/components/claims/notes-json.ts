// A page's claim notes as JSON: fetched by the page once it is hydrated, so that the HTML carries
// the mail and not the cards (a thread page had more bytes of cards than of mail). Server-side.

import { db } from '@/lib/db/client';
import { claimsOnPage, messageInList } from '@/lib/archive/read';
import { permalinkParams } from '@/lib/archive/urls';
import { scenarioMap } from '@/app/scenarios/data';
import { pageNotes } from './notes';

/** The GET handler of a page's notes: a thread page's (`thread`) or a message permalink's. */
export function notesRoute(page: 'thread' | 'message') {
  return async (_req: Request, { params }: { params: Promise<{ list: string; mid: string }> }) => {
    const named = permalinkParams(await params, 'route');
    const m = named && (await messageInList(db(), named.list, named.id));
    const where = page === 'thread' ? (m?.threadId ? { threadId: m.threadId } : null) : m && { id: m.id };
    if (!where) return Response.json({ error: `no such ${page} in this list` }, { status: 404 });
    return Response.json(pageNotes(await claimsOnPage(db(), where), scenarioMap()));
  };
}
