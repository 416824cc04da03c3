import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Sqlite from 'better-sqlite3';
import path from 'node:path';
import { backendOf, databaseUrl, projectRoot, sqlitePath, type Backend } from './url';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { openSchemaEngine, migrationsList, migrationsDirs, schemaPaths } from './schema-engine';
import { createDatabaseFile } from './sqlite';
import { POSTGRES_EXTERNAL_TABLES, SEARCH_TABLES } from './search-tables';
import { startPostgres } from './postgres-server';
import { withPostgres } from './postgres-client';

// The FTS5 tables live in migration.sql only (Prisma cannot model them): tell the engine
// they are not drift, or a diff would drop them; so do PostgreSQL's own.
const filtersOf = (backend: Backend) => ({ externalTables: backend === 'sqlite' ? [...SEARCH_TABLES] : [...POSTGRES_EXTERNAL_TABLES], externalEnums: [] });

/**
 * Applies the store's migrations (prisma/migrations for SQLite,
 * prisma/postgresql/migrations for PostgreSQL) to the database, as `prisma
 * migrate deploy` would, recording them in _prisma_migrations so that the CLI
 * accepts the same database later. Returns the names of the migrations just
 * applied. `through` stops after that migration.
 */
export async function migrateDeploy(url: string = databaseUrl(), options: { through?: string } = {}): Promise<string[]> {
  const backend = backendOf(url);
  const list = migrationsList(backend, options.through);
  if (backend === 'postgresql') {
    // The engine takes an advisory lock: a second migrator waits for the first, then finds nothing to do.
    if ((await pendingOnPostgres(url, list)).length === 0) return [];
    const { engine, close } = await openSchemaEngine(url);
    try {
      return (await engine.applyMigrations({ migrationsList: list, filters: filtersOf(backend) })).appliedMigrationNames;
    } finally {
      await close();
    }
  }
  const file = sqlitePath(url);
  // Two processes started on a new or older file at once: one migrates, the other waits for it.
  const deadline = Date.now() + MIGRATION_WAIT_MS;
  for (;;) {
    const pending = pendingOnSqlite(file, list);
    // The engine takes the file for itself: it would fail while the site or another ingest has
    // it open, though there is nothing to do.
    if (pending.length === 0) return [];
    fs.mkdirSync(path.dirname(file), { recursive: true });
    createDatabaseFile(url); // before the engine would create it with SQLite's defaults
    const { engine, close } = await openSchemaEngine(url);
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: list, filters: filtersOf(backend) });
      return appliedMigrationNames;
    } catch (err) {
      if (!/SocketTimeout|database is locked|SQLITE_BUSY/i.test(String(err))) throw err;
      if (Date.now() > deadline) {
        throw new Error(`${file} is in use by another process (the site, or another ingest): stop it to apply ${pending.join(', ')}`);
      }
    } finally {
      await close();
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** How long a migration waits for another process that holds the file (migrating it, most likely). */
const MIGRATION_WAIT_MS = 10_000;

/** The migrations applied: name and Prisma's checksum (the sha256 of migration.sql). */
const APPLIED = 'SELECT migration_name AS name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';

/** The migrations of `list` that `applied` does not record with the script they have now. */
function notApplied(list: MigrationList, applied: Array<{ name: string; checksum: string }>): string[] {
  const checksums = new Map(applied.map((r) => [r.name, r.checksum]));
  return list.migrationDirectories
    .filter((d) => d.migrationFile.content.tag !== 'ok' || checksums.get(d.path) !== createHash('sha256').update(d.migrationFile.content.value).digest('hex'))
    .map((d) => d.path);
}

/** The migrations an SQLite file lacks: all of them for a new file. */
function pendingOnSqlite(file: string, list: MigrationList): string[] {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return notApplied(list, []);
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get()) return notApplied(list, []);
    return notApplied(list, db.prepare<[], { name: string; checksum: string }>(APPLIED).all());
  } finally {
    db.close();
  }
}

/** The migrations a PostgreSQL database lacks. */
async function pendingOnPostgres(url: string, list: MigrationList): Promise<string[]> {
  return withPostgres(url, async (client) => {
    const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`);
    return notApplied(list, rows[0].exists ? (await client.query<{ name: string; checksum: string }>(APPLIED)).rows : []);
  });
}

/**
 * Writes a new migration for each store with the SQL that takes the database
 * its existing migrations build to the schema (what `prisma migrate dev
 * --create-only` does). Returns the folders written: none when both agree.
 */
export async function createMigrations(name: string): Promise<string[]> {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const written: string[] = [];
  for (const backend of ['sqlite', 'postgresql'] as const) {
    const script = await schemaChange(backend);
    if (script === null) continue;
    const dir = path.join(migrationsDirs[backend], `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), script);
    const lock = path.join(migrationsDirs[backend], 'migration_lock.toml');
    if (!fs.existsSync(lock)) fs.writeFileSync(lock, `# Please do not edit this file manually\nprovider = "${backend}"\n`);
    written.push(dir);
  }
  return written;
}

/**
 * The SQL that takes a database built by the store's migrations to its
 * schema, or null when they agree (a test holds both at null). The wasm
 * engine cannot make a shadow database itself, so the migrations are applied
 * to a scratch one (a file; a PostgreSQL of our own) and the diff taken from it.
 */
export async function schemaChange(backend: Backend): Promise<string | null> {
  const scratchDir = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'threadlab-diff-'));
  const server = backend === 'postgresql' ? await startPostgres() : null;
  const url = server ? server.url : `file:${path.join(scratchDir, 'shadow.db')}`;
  const schema = { path: schemaPaths[backend], content: fs.readFileSync(schemaPaths[backend], 'utf8') };
  try {
    const { engine, close } = await openSchemaEngine(url);
    try {
      // One engine for both steps: a second connection would find the file locked.
      await engine.applyMigrations({ migrationsList: migrationsList(backend), filters: filtersOf(backend) });
      const { stdout: script } = await engine.diff({
        from: { tag: 'schemaDatasource', files: [schema], configDir: projectRoot },
        to: { tag: 'schemaDatamodel', files: [schema] },
        script: true,
        exitCode: null,
        filters: filtersOf(backend),
      } as Parameters<typeof engine.diff>[0]) as unknown as { stdout: string };
      return /\b(CREATE|ALTER|DROP)\b/i.test(script) ? script : null;
    } finally {
      await close();
    }
  } finally {
    await server?.stop();
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}
