import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/postgres-setup.ts'],
    // Native SQLite and a browser per file: processes, not threads.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
