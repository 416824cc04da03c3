// npm start: make the database current, load the bundled content into an
// empty one, build the site when its sources changed, and serve it.
import { migrateDeploy } from '../db/migrate';
import { openSqlite } from '../db/sqlite';
import { databaseUrl } from '../db/url';
import { ingestBundledIfEmpty } from '../ingest/bundled';
import { ensureBuilt, startSite } from './site';

const applied = await migrateDeploy();
if (applied.length) console.log(`database ${databaseUrl()}: applied ${applied.join(', ')}`);
const db = openSqlite();
const loaded = await ingestBundledIfEmpty(db);
if (loaded) console.log(`loaded the bundled content: ${loaded.reduce((n, s) => n + s.added, 0)} messages`);
db.close();

ensureBuilt();
const port = Number(process.env.PORT || 3000);
const server = await startSite(port);
console.log(`Threadlab is at http://localhost:${port}/`);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
