import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: lib/db/ is two levels below it. */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The content folder (annotations, scenarios, bundled mail) below `root`: THREADLAB_CONTENT_DIR
 * when set, so that a site can be started on a copy its authors write to (the browser tests do).
 * The site passes its working directory: in Next's server bundle this module is not where it was.
 */
export const contentDir = (root: string = projectRoot, env: NodeJS.ProcessEnv = process.env): string =>
  path.resolve(root, env.THREADLAB_CONTENT_DIR || 'content');

/** DATABASE_URL, or an SQLite file under the project (ignored by git). */
export function databaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL || `file:${path.join(projectRoot, 'data', 'threadlab.db')}`;
}

/** The two stores Threadlab runs on: an SQLite file (the default), or a PostgreSQL server past one machine. */
export type Backend = 'sqlite' | 'postgresql';

/** The one switch: `file:` is SQLite, `postgresql://` (or `postgres://`) PostgreSQL. */
export function backendOf(url: string = databaseUrl()): Backend {
  if (url.startsWith('file:')) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(url)) return 'postgresql';
  throw new Error(`DATABASE_URL must be file:PATH (SQLite) or postgresql://… (PostgreSQL), not ${url}`);
}

/** The file behind a `file:` URL, resolved against the project root. */
export function sqlitePath(url: string = databaseUrl()): string {
  if (!url.startsWith('file:')) throw new Error(`not an SQLite URL: ${url}`);
  const p = url.slice('file:'.length).replace(/\?.*$/, '');
  return path.resolve(projectRoot, p);
}

/**
 * The store as lib/db/data-version.mjs (plain JavaScript, without this module) reads
 * it: an SQLite file by its absolute path, PostgreSQL by its URL.
 */
export const versionedStore = (url: string = databaseUrl()): string => (backendOf(url) === 'sqlite' ? `file:${sqlitePath(url)}` : url);

/** A URL as it may be printed: without its password. */
export const redact = (url: string): string => url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
