// `prisma generate` offline, for both stores. prisma/schema.prisma is the
// source; the PostgreSQL schema is derived from it here (tests/db/drift.test.ts
// checks the committed copy and both migration histories against it).
//
// The CLI insists on locating a native schema engine before it runs, and
// downloads one when it cannot; generate never executes it, so naming any
// existing file is enough (offline-setup.md).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SQLITE_SCHEMA = path.join(root, 'prisma', 'schema.prisma');
export const POSTGRES_SCHEMA = path.join(root, 'prisma', 'postgresql', 'schema.prisma');

/** prisma/schema.prisma as PostgreSQL's: its own provider, and its client beside SQLite's. */
export function postgresSchema(source = fs.readFileSync(SQLITE_SCHEMA, 'utf8')) {
  const derived = source
    .replace(/(datasource db \{\s*provider\s*=\s*)"sqlite"/, '$1"postgresql"')
    .replace(/output(\s*)= "\.\.\/lib\/db\/generated"/, 'output$1= "../../lib/db/generated-pg"');
  if (derived === source) throw new Error(`${SQLITE_SCHEMA}: no sqlite datasource or client output to derive PostgreSQL's from`);
  return `// Derived from prisma/schema.prisma by lib/db/generate.mjs: edit that file, not this one.\n${derived}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  fs.mkdirSync(path.dirname(POSTGRES_SCHEMA), { recursive: true });
  fs.writeFileSync(POSTGRES_SCHEMA, postgresSchema());
  const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
  for (const schema of [SQLITE_SCHEMA, POSTGRES_SCHEMA]) {
    const r = spawnSync(process.execPath, [cli, 'generate', '--schema', schema], {
      stdio: 'inherit',
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
        PRISMA_HIDE_UPDATE_MESSAGE: '1',
        CHECKPOINT_DISABLE: '1',
      },
    });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
