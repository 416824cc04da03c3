// npm start: make the database current, load the bundled content into an
// empty one, build the site when its sources changed, and serve it.
import { migrateDeploy } from '../db/migrate';
import { openWriter } from '../db/connection';
import { databaseUrl, redact } from '../db/url';
import { prepareForSite, type BundledSummary } from '../ingest/bundled';
import type { StoreClaimsResult } from '../claims';
import { ensureBuilt, siteHost, siteUrl, startSite } from './site';

const url = databaseUrl();
const applied = await migrateDeploy(url);
if (applied.length) console.log(`database ${redact(url)}: applied ${applied.join(', ')}`);
const told = (loaded: BundledSummary | null) => {
  if (loaded) console.log(`loaded the bundled content: ${loaded.lists.reduce((n, s) => n + s.added, 0)} messages, ${loaded.claims.stored} claims`);
};
const claimsTold = (claims: StoreClaimsResult) => {
  for (const p of [...claims.problems, ...claims.warnings]) console.warn(p.message);
  for (const d of claims.disagreements) console.warn(`claim ${d.key}: computed verdict differs from the annotation's`);
};
const db = await openWriter(url);
const { loaded, derived, claims } = await prepareForSite(db);
told(loaded);
if (derived?.indexed) console.log(`indexed ${derived.indexed} messages for search`);
claimsTold(claims);
db.close();

await ensureBuilt();
const port = Number(process.env.PORT || 3000);
const host = siteHost();
const server = await startSite(port, {}, 'inherit', host);
const everywhere = host === '0.0.0.0' || host === '::';
console.log(`Threadlab is at ${siteUrl(host, port)}${everywhere ? ` (listening on every interface: HOST=${host})` : ''}`);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
