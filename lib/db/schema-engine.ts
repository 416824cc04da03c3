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
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum, type SqlQueryable } from '@prisma/driver-adapter-utils';
import { backendOf, projectRoot, type Backend } from './url';

const require = createRequire(import.meta.url);
/** Each store's schema (PostgreSQL's derived from SQLite's: generate.mjs) and migration history. */
export const schemaPaths: Record<Backend, string> = {
  sqlite: path.join(projectRoot, 'prisma', 'schema.prisma'),
  postgresql: path.join(projectRoot, 'prisma', 'postgresql', 'schema.prisma'),
};
export const migrationsDirs: Record<Backend, string> = {
  sqlite: path.join(projectRoot, 'prisma', 'migrations'),
  postgresql: path.join(projectRoot, 'prisma', 'postgresql', 'migrations'),
};

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

/**
 * The engine describes a PostgreSQL schema from catalog columns of the
 * one-byte type "char" (pg_class.relkind and the like), which the pg adapter
 * (7.10) has no column type for: the whole describe fails. This client hands
 * such a column on as text with its name marked; withCharColumns then gives
 * it the type the engine reads it as, and its name back.
 */
class CatalogClient extends pg.Client {
  // @ts-expect-error pg's overloads, all of them: the pool calls it with a callback last, a client without.
  override query(...args: unknown[]): unknown {
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (err: Error | null, r: pg.QueryResult) => last(err, r && markCharColumns(r));
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return result instanceof Promise ? result.then(markCharColumns) : result;
  }
}
function markCharColumns(r: pg.QueryResult): pg.QueryResult {
  for (const f of r.fields ?? []) {
    if (f.dataTypeID === PG_CHAR) Object.assign(f, { dataTypeID: PG_TEXT, name: f.name + CHAR_MARK });
  }
  return r;
}
const PG_CHAR = 18;
const PG_TEXT = 25;
const CHAR_MARK = '\u0000char';

/**
 * The engine's connection to PostgreSQL: catalog "char" columns typed (above), and a
 * migration script sent whole. The adapter (7.10) splits a script at every `;`,
 * which cuts a function body ($$ … ; … $$) apart.
 */
function forTheEngine<A extends SqlQueryable & { underlyingDriver?(): unknown; executeScript?(script: string): Promise<void> }>(adapter: A): A {
  const driver = adapter.underlyingDriver?.();
  if (driver instanceof pg.Pool) {
    adapter.executeScript = async (script) => {
      try {
        await driver.query(script); // the simple protocol: many statements, one implicit transaction
      } catch (error) {
        (adapter as unknown as { onError(e: unknown): never }).onError(error);
      }
    };
  }
  return withCharColumns(adapter);
}

function withCharColumns<A extends SqlQueryable>(adapter: A): A {
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    result.columnNames.forEach((name, i) => {
      if (!name.endsWith(CHAR_MARK)) return;
      result.columnNames[i] = name.slice(0, -CHAR_MARK.length);
      result.columnTypes[i] = ColumnTypeEnum.Character;
    });
    return result;
  };
  return adapter;
}

export interface OpenSchemaEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes the connections it opened (free() alone leaves the file locked). */
  close(): Promise<void>;
}

export async function openSchemaEngine(url: string, log: (line: string) => void = () => {}): Promise<OpenSchemaEngine> {
  await instantiate();
  const backend = backendOf(url);
  const pool = backend === 'postgresql' ? new pg.Pool({ connectionString: url, Client: CatalogClient as unknown as typeof pg.Client }) : null;
  const factory = pool ? new PrismaPg(pool) : new PrismaBetterSqlite3({ url });
  const opened: { dispose(): Promise<void> }[] = [];
  const tracked = Object.assign(Object.create(Object.getPrototypeOf(factory)), factory, {
    connect: async () => {
      const adapter = forTheEngine(await factory.connect());
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = forTheEngine(await factory.connectToShadowDb());
      opened.push(adapter);
      return adapter;
    },
  }) as typeof factory;
  const Engine = (glue as unknown as { SchemaEngine: typeof SchemaEngine }).SchemaEngine;
  const engine = await Engine.new(
    { datamodels: [[schemaPaths[backend], fs.readFileSync(schemaPaths[backend], 'utf8')]] },
    log,
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(opened.map((a) => a.dispose()));
      await pool?.end(); // a pool passed in is the caller's to end
    },
  };
}

/**
 * A store's migrations as the engine wants them, read the way the CLI reads them;
 * with `through`, only the migrations up to that one (a database as an
 * older release left it).
 */
export function migrationsList(backend: Backend, through?: string): MigrationList {
  const migrationsDir = migrationsDirs[backend];
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
