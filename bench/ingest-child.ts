// The measured half of bench/ingest.ts: one ingest, then its own peak RSS.
import { openSqlite } from '../lib/db/sqlite';
import { ingestPaths } from '../lib/ingest';

const db = openSqlite();
const summary = await ingestPaths(db, process.argv.slice(2));
db.close();
console.log(JSON.stringify({ ...summary, maxRssKb: process.resourceUsage().maxRSS }));
