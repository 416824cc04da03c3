// Prisma's schema engine compiled to WebAssembly: migrations without the
// native binary the CLI would download (offline-setup.md). The package's own
// entry imports the .wasm as an ES module, which Node 20 only allows behind a
// flag, so the bytes are instantiated here against its JS glue.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine, MigrationList } from '@prisma/schema-engine-wasm';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { projectRoot } from './url';

const require = createRequire(import.meta.url);
export const schemaPath = path.join(projectRoot, 'prisma', 'schema.prisma');
export const migrationsDir = path.join(projectRoot, 'prisma', 'migrations');

let instantiated: Promise<void> | null = null;
function instantiate(): Promise<void> {
  instantiated ??= (async () => {
    const wasmPath = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm')), 'schema_engine_bg.wasm');
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), {
      './schema_engine_bg.js': glue as unknown as WebAssembly.ModuleImports,
    });
    (glue as unknown as { __wbg_set_wasm(x: unknown): void }).__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return instantiated;
}

export interface OpenSchemaEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes the connections it opened (free() alone leaves the file locked). */
  close(): Promise<void>;
}

export async function openSchemaEngine(url: string, log: (line: string) => void = () => {}): Promise<OpenSchemaEngine> {
  await instantiate();
  const factory = new PrismaBetterSqlite3({ url });
  const opened: { dispose(): Promise<void> }[] = [];
  const tracked = Object.assign(Object.create(Object.getPrototypeOf(factory)), factory, {
    connect: async () => {
      const adapter = await factory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await factory.connectToShadowDb();
      opened.push(adapter);
      return adapter;
    },
  }) as typeof factory;
  const Engine = (glue as unknown as { SchemaEngine: typeof SchemaEngine }).SchemaEngine;
  const engine = await Engine.new(
    { datamodels: [[schemaPath, fs.readFileSync(schemaPath, 'utf8')]] },
    log,
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(opened.map((a) => a.dispose()));
    },
  };
}

/**
 * prisma/migrations as the engine wants it, read the way the CLI reads it;
 * with `through`, only the migrations up to that one (a database as an
 * older release left it).
 */
export function migrationsList(through?: string): MigrationList {
  const dirs = fs.existsSync(migrationsDir)
    ? fs.readdirSync(migrationsDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
      .filter((name) => through === undefined || name <= through)
    : [];
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: fs.existsSync(file)
            ? { tag: 'ok', value: fs.readFileSync(file, 'utf8') }
            : { tag: 'error', value: `${file} is missing` },
        },
      };
    }),
  };
}
