// A list is served at /<list>/: the site's own top-level pages must be the names
// ingest keeps lists from (lib/archive/urls.ts SITE_PAGES), or a list would hide
// behind a page added later, or a page's name be kept from lists for nothing.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/db/url';
import { SITE_PAGES, servableListName } from '../../lib/archive/urls';

/** Next's metadata files at the top of app/ are served at their own name (/favicon.ico, /icon.svg). */
const METADATA_FILE = /^(?:favicon\.ico|(?:icon|apple-icon)\.[a-z]+|robots\.txt|sitemap\.xml|manifest\.(?:json|webmanifest))$/;

/** Whether a folder of app/ holds a page or a route handler, at any depth. */
const routes = (dir: string): boolean =>
  fs.readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? routes(path.join(dir, e.name)) : /^(?:page|route)\.[jt]sx?$/.test(e.name)));

describe('site pages and list names', () => {
  it('keeps from lists exactly the top-level route segments of app/', () => {
    const app = path.join(projectRoot, 'app');
    const segments = fs.readdirSync(app, { withFileTypes: true })
      // Dynamic ([list]), private (_x) and group ((x)) folders name no path of their own.
      .filter((e) => (e.isDirectory() ? !/^[[_(]/.test(e.name) && routes(path.join(app, e.name)) : METADATA_FILE.test(e.name)))
      .map((e) => e.name);
    expect([...SITE_PAGES].sort()).toEqual(segments.sort());
  });

  it('renames only those names', () => {
    expect(servableListName('search')).toBe('search-list');
    expect(servableListName('scenarios')).toBe('scenarios-list');
    expect(servableListName('linux-mm')).toBe('linux-mm');
    expect(servableListName('search-dev')).toBe('search-dev');
  });
});
