// npm run search -- [--json] [--sort date] [--page N] QUERY...
// Brings the index up to date (queued messages, content/scenarios), then searches
// on a search worker, within the same time budget as the site's searches.
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { bundled } from '../workers/bundle.mjs';
import { backendOf, databaseUrl, projectRoot } from '../db/url';
import { hasTable } from '../db/sqlite';
import { defaultScenarioDir, loadScenarios } from '../scenarios/load';
import { openSearchConnection } from '../search/connection';
import { indexScenarios, refreshSearchIndex } from '../search/indexer';
import * as postgres from '../search/postgres/indexer';
import { createPostgresSearchPool } from '../search/postgres/pool';
import { QuerySyntaxError } from '../search/query/ast';
import { SearchBudgetExceeded, searchBudgetMs } from '../search/limits';
import { createSearchPool, type SearchPool } from '../search/pool';
import type { SearchResults } from '../search/search';
import type { Part } from '../search/match';

const usage = 'usage: npm run search -- [--json] [--sort relevance|date] [--page N] QUERY...';
let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false }, sort: { type: 'string', default: 'relevance' },
      page: { type: 'string', default: '1' }, help: { type: 'boolean', short: 'h' },
    },
  });
} catch (e) {
  console.error(`${(e as Error).message}\n${usage}`);
  process.exit(2);
}
const { values, positionals } = args;
const page = Number(values.page);
if (values.help || positionals.length === 0 || (values.sort !== 'relevance' && values.sort !== 'date') || !Number.isInteger(page) || page < 1) {
  console.error(usage);
  process.exit(values.help ? 0 : 2);
}

let budgetMs: number;
try {
  budgetMs = searchBudgetMs();
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}

// Not migrated here: the schema engine cannot take the file while the site has it open.
const url = databaseUrl();
const scenarios = loadScenarios(defaultScenarioDir(projectRoot)).flatMap((l) => (l.ok ? [l.scenario] : []));
const noIndex = `${url} has no search index yet: run npm run db:migrate (npm start does it too), then ingest.`;
let pool: SearchPool;
if (backendOf(url) === 'postgresql') {
  if (!(await postgres.hasSearchIndex(url))) {
    console.error(noIndex);
    process.exit(2);
  }
  await postgres.refreshSearchIndex(url);
  const script = await bundled(new URL('../search/postgres/worker.ts', import.meta.url));
  pool = createPostgresSearchPool({ url, scenarios, budgetMs, workers: 1, spawn: (workerData) => new Worker(script, { workerData }) });
} else {
  const db = openSearchConnection(url);
  if (!hasTable(db, 'message_fts')) {
    console.error(noIndex);
    process.exit(2);
  }
  refreshSearchIndex(db);
  indexScenarios(db, scenarios);
  db.close();
  const script = await bundled(new URL('../search/worker.ts', import.meta.url));
  pool = createSearchPool({ url, budgetMs, workers: 1, spawn: (workerData) => new Worker(script, { workerData }) });
}
let results: SearchResults;
try {
  results = await pool.search(positionals.join(' '), { sort: values.sort, page });
} catch (e) {
  if (e instanceof QuerySyntaxError) {
    console.error(`${e.message} (at column ${e.column}):\n${e.pointer()}`);
    process.exit(2);
  }
  if (e instanceof SearchBudgetExceeded) {
    console.error(`${e.message} (THREADLAB_SEARCH_BUDGET_MS sets the budget)`);
    process.exit(3);
  }
  throw e;
} finally {
  await pool.close();
}

if (values.json) console.log(JSON.stringify(results, null, 2));
else print(results);

function print(r: SearchResults) {
  const marked = (parts: Part[]) => parts.map((p) => (p.hit ? (process.stdout.isTTY ? `\x1b[1m${p.text}\x1b[22m` : `[${p.text}]`) : p.text)).join('');
  console.log(`messages ${r.messages.total} · claims ${r.claims.total} · scenarios ${r.scenarios.total} (page ${r.page} of ${r.pages}, ${r.sort === 'date' ? 'newest first' : 'best match first'})`);
  for (const s of r.scenarios.hits) console.log(`\nscenario ${s.id}: ${marked(s.title)}\n  ${marked(s.snippet)}`);
  for (const c of r.claims.hits) console.log(`\nclaim by ${c.claimant} (${c.verdict}): ${marked(c.statement)}\n  ${marked(c.snippet)}\n  ${c.href ?? ''}`);
  for (const t of r.messages.hits) {
    console.log(`\n${t.subject || '(no subject)'}  [${t.size} in thread]`);
    for (const h of t.hits) {
      console.log(`  ${h.date?.slice(0, 10) ?? '????-??-??'}  ${h.from}${h.isGhost ? ' (not in the archive)' : ''}\n    ${marked(h.snippet)}\n    ${h.href ?? ''}`);
    }
  }
}
