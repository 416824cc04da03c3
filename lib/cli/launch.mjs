// node lib/cli/launch.mjs ENTRY.ts [ARGS...]: runs a TypeScript command as one
// bundled module (lib/workers/bundle.mjs) instead of under tsx. For the ingest:
// tsx's loader runs on a thread of its own and compiles module by module, which
// cost some 20 MB of peak RSS and a second of start-up. ENTRY sees ARGS as its
// arguments, as it would under tsx.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundled } from '../workers/bundle.mjs';

const [entry] = process.argv.splice(2, 1);
if (!entry) {
  console.error('usage: node lib/cli/launch.mjs ENTRY.ts [ARGS...]');
  process.exit(2);
}
await import((await bundled(pathToFileURL(path.resolve(entry)))).href);
