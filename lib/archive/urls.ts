/**
 * lore.kernel.org's URL forms: /<list>/<Message-ID>/ and friends.
 *
 * A Message-ID is one path segment, escaped as public-inbox escapes it (mid_escape): its
 * UTF-8 percent-encoded but for RFC 3986's path characters (letters, digits and
 * -._~!$&'()*+,;=:@), so that `/`, `%`, `?`, `#` and spaces neither end nor confuse the
 * segment, and ids read as they are written where they can. One addition: a browser
 * resolves a `.` or `..` segment before it asks for anything (`/list/../` is `/`), and
 * `%2E` with it, which the WHATWG URL standard reads as a dot there. So the ids `.` and
 * `..` are written with a `~` after them, and ids of one or two dots and then tildes with
 * one more `~`, so that no two ids share a segment.
 */
const DOT_SEGMENT_ESCAPED = /^\.{1,2}~*$/;
/** encodeURIComponent escapes these, though a path segment may hold them as they are. */
const PATH_SAFE_ESCAPES = /%(?:24|26|2B|2C|3A|3B|3D|40)/g;

function messageIdSegment(id: string): string {
  const written = DOT_SEGMENT_ESCAPED.test(id) ? `${id}~` : id;
  return encodeURIComponent(written).replace(PATH_SAFE_ESCAPES, decodeURIComponent);
}

/** The id a segment names, given the segment percent-decoded. */
const messageIdOfSegment = (decoded: string) => (DOT_SEGMENT_ESCAPED.test(decoded) && decoded.endsWith('~') ? decoded.slice(0, -1) : decoded);

/** How Next hands a dynamic segment's value: to a page (and its generateMetadata) percent-encoded again, to a route handler decoded. */
export type ParamsOf = 'page' | 'route';

/** A segment's value as the URL named it, or null for a malformed escape (which names nothing). */
function segmentValue(value: string, handler: ParamsOf): string | null {
  if (handler === 'route') return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * The list (and Message-ID) a route's params name, decoded exactly once, or null when a
 * segment is malformed: the one reader of the URLs the functions below write. Next matches
 * the path percent-decoded and hands the values on as ParamsOf says.
 */
export function permalinkParams(params: { list: string; mid: string }, handler: ParamsOf): { list: string; id: string } | null;
export function permalinkParams(params: { list: string }, handler: ParamsOf): { list: string } | null;
export function permalinkParams(params: { list: string; mid?: string }, handler: ParamsOf): { list: string; id?: string } | null {
  const list = segmentValue(params.list, handler);
  if (list === null) return null;
  if (params.mid === undefined) return { list };
  const mid = segmentValue(params.mid, handler);
  return mid === null ? null : { list, id: messageIdOfSegment(mid) };
}

/** Past any archive's end (50 threads or hits a page); it keeps offsets exact integers. */
export const MAX_PAGE = 1_000_000;

/** A page number as ?page= gives it: a whole number from 1 to MAX_PAGE; page 1 for anything else. */
export function pageParam(text: string | null | undefined): number {
  const n = /^\d+$/.test(text?.trim() ?? '') ? Number(text) : 1;
  return Math.min(Math.max(1, n), MAX_PAGE);
}

/**
 * The site's own top-level pages (app/search, app/scenarios) and files (the
 * icons). A list is served at /<list>/, so a list by one of these names would
 * be hidden behind the page: ingest stores it under another (servableListName).
 */
export const SITE_PAGES: readonly string[] = ['authoring', 'favicon.ico', 'icon.svg', 'scenarios', 'search'];

/** The name a list is stored and served under: its own, or for a site page's name that name with "-list". */
export function servableListName(name: string): string {
  return SITE_PAGES.includes(name) ? `${name}-list` : name;
}

const base = (list: string, id: string) => `/${encodeURIComponent(list)}/${messageIdSegment(id)}`;
export const messageHref = (list: string, id: string) => `${base(list, id)}/`;
export const threadHref = (list: string, id: string) => `${base(list, id)}/T/`;
export const rawHref = (list: string, id: string) => `${base(list, id)}/raw`;
export const threadMboxHref = (list: string, id: string) => `${base(list, id)}/t.mbox.gz`;
export const listHref = (list: string, page = 1) => `/${encodeURIComponent(list)}/${page > 1 ? `?page=${page}` : ''}`;
/** In-page anchor of a message on a thread page. */
export const messageAnchor = (dbId: number) => `m${dbId}`;
