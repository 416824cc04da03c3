// proxy.ts tells a page from a file (a route handler's answer, which sets its own headers) by
// its path: every route handler under app/ must be a file to it, and every page a page.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/db/url';
import { isFilePath, pathDecodes } from '../../app/_http/paths';

/** Each page.tsx and route.ts under app/, as a path with its dynamic segments filled in. */
function routes(dir = path.join(projectRoot, 'app'), at = ''): Array<{ path: string; kind: 'page' | 'route' }> {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) {
      if (/^[_(]/.test(e.name)) return [];
      return routes(path.join(dir, e.name), `${at}/${e.name.replace(/^\[\w+\]$/, 'x%2Fy')}`);
    }
    const kind = /^page\.tsx?$/.test(e.name) ? 'page' : /^route\.tsx?$/.test(e.name) ? 'route' : null;
    return kind ? [{ path: kind === 'page' ? `${at}/` : at, kind }] : [];
  });
}

describe('page and file paths', () => {
  it('are told apart as app/ serves them', () => {
    const found = routes();
    expect(found.filter((r) => r.kind === 'route').length).toBeGreaterThan(5);
    expect(found.filter((r) => isFilePath(r.path) !== (r.kind === 'route'))).toEqual([]);
    // A page is a page at either form of its path; so are ids that look like file names.
    for (const p of ['/', '/search', '/scenarios', '/l/', '/l/m@x', '/l/raw/', '/l/raw', '/l/m@x/T/', '/l/m@x/T']) expect(isFilePath(p), p).toBe(false);
    for (const p of ['/favicon.ico', '/icon.svg', '/_next/static/chunks/a.js']) expect(isFilePath(p), p).toBe(true);
  });

  it('decode, or are refused', () => {
    expect(['/a%20b/', '/%E6%97%A5/', '/l/a%2Fb%252F@x/raw'].map(pathDecodes)).toEqual([true, true, true]);
    expect(['/%zz', '/x/%E0%A4%A/', '/100%/', '/a/%'].map(pathDecodes)).toEqual([false, false, false, false]);
  });
});
