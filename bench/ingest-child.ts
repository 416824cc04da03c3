// The measured half of bench/ingest.ts and bench/scale.ts: one ingest, into the store DATABASE_URL names, (or with --sync, a sync of every
// source recorded), then its own peak RSS.
import { openWriter } from '../lib/db/connection';
import { ingestPaths, ingestSources } from '../lib/ingest';
import { recordedSources } from '../lib/ingest/sources';

const started = performance.now();
const db = await openWriter();
const args = process.argv.slice(2);
const summary = args[0] === '--sync' ? await ingestSources(db, recordedSources(db)) : await ingestPaths(db, args);
db.close();
console.log(JSON.stringify({ ...summary, childMillis: performance.now() - started, maxRssKb: process.resourceUsage().maxRSS }));
