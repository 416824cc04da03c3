// What a request path is, told before Next's router sees it (proxy.ts).

/**
 * Whether every segment of a path (as the request wrote it, still percent-encoded) decodes:
 * `%zz` or a cut UTF-8 sequence (`%E0%A4%A`) names nothing, and Next's router fails on it
 * with a 500.
 */
export function pathDecodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

/**
 * The paths of the site's route handlers (app/**\/route.ts) and Next's own files: raw mail,
 * mbox, JSON, the feed, icons, scripts. Each says its own type and headers (/raw its own
 * policy); every other path is a page. tests/site/paths.test.ts holds it to app/.
 */
const FILE_PATHS = [
  /^\/[^/]+\/[^/]+\/(?:raw|t\.mbox\.gz|claims\.json|T\/claims\.json)$/,
  /^\/scenarios\/(?:[^/]+\/runnable|index)\.json$/,
  /^\/authoring\/claims$/,
  /^\/search\/(?:json|atom)$/,
  /^\/(?:favicon\.ico|icon\.svg)$/,
  /^\/_next\//,
];

export const isFilePath = (pathname: string) => FILE_PATHS.some((p) => p.test(pathname));
