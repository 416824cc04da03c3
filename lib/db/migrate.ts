import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Sqlite from 'better-sqlite3';
import path from 'node:path';
import { databaseUrl, projectRoot, sqlitePath } from './url';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { openSchemaEngine, migrationsList, migrationsDir, schemaPath } from './schema-engine';
import { createDatabaseFile } from './sqlite';
import { SEARCH_TABLES } from './search-tables';

// The FTS5 tables live in migration.sql only (Prisma cannot model them): tell the engine
// they are not drift, or a diff would drop them.
const filters = { externalTables: [...SEARCH_TABLES], externalEnums: [] };

/**
 * Applies prisma/migrations to the database, as `prisma migrate deploy`
 * would, recording them in _prisma_migrations so that the CLI accepts the
 * same database later. Returns the names of the migrations just applied.
 * `through` stops after that migration.
 */
export async function migrateDeploy(url: string = databaseUrl(), options: { through?: string } = {}): Promise<string[]> {
  const file = sqlitePath(url);
  const list = migrationsList(options.through);
  // Two processes started on a new or older file at once: one migrates, the other waits for it.
  const deadline = Date.now() + MIGRATION_WAIT_MS;
  for (;;) {
    const pending = pendingMigrations(file, list);
    // The engine takes the file for itself: it would fail while the site or another ingest has
    // it open, though there is nothing to do.
    if (pending.length === 0) return [];
    fs.mkdirSync(path.dirname(file), { recursive: true });
    createDatabaseFile(url); // before the engine would create it with SQLite's defaults
    const { engine, close } = await openSchemaEngine(url);
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList: list, filters });
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

/**
 * The migrations of `list` that the database does not record as applied with the script
 * they have now (Prisma's checksum: the sha256 of migration.sql), all of them for a new file.
 */
function pendingMigrations(file: string, list: MigrationList): string[] {
  const names = list.migrationDirectories.map((d) => d.path);
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return names;
  const db = new Sqlite(file, { readonly: true, fileMustExist: true });
  try {
    if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get()) return names;
    const applied = new Map(
      db.prepare<[], { name: string; checksum: string }>('SELECT migration_name AS name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL')
        .all().map((r) => [r.name, r.checksum]),
    );
    return list.migrationDirectories
      .filter((d) => d.migrationFile.content.tag !== 'ok' || applied.get(d.path) !== createHash('sha256').update(d.migrationFile.content.value).digest('hex'))
      .map((d) => d.path);
  } finally {
    db.close();
  }
}

/**
 * Writes a new migration with the SQL that takes the database the existing
 * migrations build to prisma/schema.prisma (what `prisma migrate dev
 * --create-only` does), or returns null when they already agree. The wasm
 * engine cannot make a shadow database for SQLite itself, so the existing
 * migrations are applied to a scratch file and the diff is taken from it.
 */
export async function createMigration(name: string): Promise<string | null> {
  const scratchDir = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'threadlab-diff-'));
  const url = `file:${path.join(scratchDir, 'shadow.db')}`;
  const { engine, close } = await openSchemaEngine(url);
  try {
    // One engine for both steps: a second connection would find the file locked.
    await engine.applyMigrations({ migrationsList: migrationsList(), filters });
    const { stdout: script } = await engine.diff({
      from: { tag: 'schemaDatasource', files: [{ path: schemaPath, content: fs.readFileSync(schemaPath, 'utf8') }], configDir: projectRoot },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: fs.readFileSync(schemaPath, 'utf8') }] },
      script: true,
      exitCode: null,
      filters,
    } as Parameters<typeof engine.diff>[0]) as unknown as { stdout: string };
    if (!/\b(CREATE|ALTER|DROP)\b/i.test(script)) return null;
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), script);
    const lock = path.join(migrationsDir, 'migration_lock.toml');
    if (!fs.existsSync(lock)) fs.writeFileSync(lock, '# Please do not edit this file manually\nprovider = "sqlite"\n');
    return dir;
  } finally {
    await close();
    fs.rmSync(scratchDir, { recursive: true, force: true });
  }
}
