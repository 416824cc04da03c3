// TypeScript entry points as plain modules, for threads and processes that
// must not run tsx. A worker thread starts with no TypeScript loader, and one
// that registers tsx gets a loader thread of its own as well (Node runs module
// hooks off-thread): about 20 MB of RSS each, and every module compiled again.
// The ingest CLI is launched the same way (lib/cli/launch.mjs). esbuild bundles
// the entry into one module under node_modules/.cache, named by its content, so
// edited sources give a new file and concurrent processes never read a
// half-written one. Plain JavaScript so that the launcher can import it.
//
// Node only; never imported by pages.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, stop } from 'esbuild';

const CACHE = fileURLToPath(new URL('../../node_modules/.cache/threadlab/bundles/', import.meta.url));

// A bundle runs from the cache, so each source keeps its own import.meta.url:
// modules find files next to them (workers, migrations, the project root) by it.
// The expression is spelt in pieces here: written whole, this module's own copy in a
// bundle would have it replaced too, and a bundle that bundles another (the ingest
// CLI starting its link worker, which opens a PostgreSQL writer) would not replace it.
const META_URL = ['import', 'meta', 'url'].join('.');
const ownUrls = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const ext = path.extname(args.path).slice(1);
      return {
        contents: source.replaceAll(META_URL, JSON.stringify(pathToFileURL(args.path).href)),
        loader: ext === 'ts' || ext === 'mts' || ext === 'cts' ? 'ts' : ext === 'tsx' ? 'tsx' : 'js',
      };
    });
  },
};

/** @type {Map<string, Promise<URL>>} */
const built = new Map();

/**
 * A runnable module for the TypeScript entry `entry` (a file URL); built once per process.
 * @param {URL} entry
 * @returns {Promise<URL>}
 */
export function bundled(entry) {
  let url = built.get(entry.href);
  if (!url) built.set(entry.href, (url = bundle(entry)));
  return url;
}

let building = 0;

/** @param {URL} entry */
async function bundle(entry) {
  building++;
  let result;
  try {
    result = await build({
      entryPoints: [fileURLToPath(entry)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Packages stay imports, resolved from node_modules above the cache (better-sqlite3 is native).
      packages: 'external',
      plugins: [ownUrls],
      write: false,
      logLevel: 'silent',
    });
  } finally {
    // esbuild's service process (some 20 MB) would otherwise live as long as this one.
    if (--building === 0) await stop();
  }
  const out = result.outputFiles[0].contents;
  const name = `${path.basename(entry.pathname).replace(/\.[^.]+$/, '')}-${createHash('sha256').update(out).digest('hex').slice(0, 16)}.mjs`;
  const file = path.join(CACHE, name);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(CACHE, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, out);
    fs.renameSync(partial, file);
  }
  return pathToFileURL(file);
}
