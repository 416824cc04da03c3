// The measured half of bench/ingest.ts: one ingest, then its own peak RSS.
import { openDatabase, tuneSqlite } from '../lib/db/client';
import { ingestPaths } from '../lib/ingest';

const db = openDatabase();
await tuneSqlite(db);
const summary = await ingestPaths(db, process.argv.slice(2));
await db.$disconnect();
console.log(JSON.stringify({ ...summary, maxRssKb: process.resourceUsage().maxRSS }));
