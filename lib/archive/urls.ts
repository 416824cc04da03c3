/**
 * lore.kernel.org's URL forms: /<list>/<Message-ID>/ and friends. A
 * Message-ID may hold any printable character; '@' and the other sub-delims
 * stay readable, everything that would end or confuse a path segment is
 * percent-encoded.
 */
export function encodeMessageId(id: string): string {
  return encodeURIComponent(id).replace(/%(40|21|24|26|27|28|29|2A|2B|2C|3B|3D|3A)/g, (m) => decodeURIComponent(m));
}

/** Route params arrive percent-decoded or not depending on the runtime; decode once, tolerantly. */
export function decodeMessageId(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The site's own top-level pages (app/search, app/scenarios) and files (the
 * icons). A list is served at /<list>/, so a list by one of these names would
 * be hidden behind the page: ingest stores it under another (servableListName).
 */
export const SITE_PAGES: readonly string[] = ['favicon.ico', 'icon.svg', 'scenarios', 'search'];

/** The name a list is stored and served under: its own, or for a site page's name that name with "-list". */
export function servableListName(name: string): string {
  return SITE_PAGES.includes(name) ? `${name}-list` : name;
}

const base = (list: string, id: string) => `/${encodeURIComponent(list)}/${encodeMessageId(id)}`;
export const messageHref = (list: string, id: string) => `${base(list, id)}/`;
export const threadHref = (list: string, id: string) => `${base(list, id)}/T/`;
export const rawHref = (list: string, id: string) => `${base(list, id)}/raw`;
export const threadMboxHref = (list: string, id: string) => `${base(list, id)}/t.mbox.gz`;
export const listHref = (list: string, page = 1) => `/${encodeURIComponent(list)}/${page > 1 ? `?page=${page}` : ''}`;
/** In-page anchor of a message on a thread page. */
export const messageAnchor = (dbId: number) => `m${dbId}`;
