// Writing claims from the page: POST saves one (new, or replacing `replace`), DELETE ?key=
// removes one, GET ?key= gives one as its file says it, for the edit form. Writes need the
// site to be started with THREADLAB_EDIT_TOKEN and that token in the request's
// x-threadlab-edit-token header (a header no other site's form can send); else 403.

import crypto from 'node:crypto';
import { connection } from 'next/server';
import { z } from 'zod';
import { databaseUrl, contentDir } from '@/lib/db/url';
import { ANCHOR_SCOPES, CLAIM_KINDS } from '@/lib/claims/types';
import { claimOf, contentDirsOf } from '@/lib/claims/author';
import { ERA_IDS, HANDLER_IDS, type EraId } from '@/lib/engine/index';
import { AuthoringError, authorClaim, unauthorClaim } from '@/lib/ingest/authoring';
import { scenarioFileText, type ComposedScenario } from '@/app/components/authoring/compose';
import { EDIT_TOKEN_HEADER } from '@/app/components/authoring/token';

/** A request's body past this is refused unread: a claim and a composed scenario are a few KB. */
const MAX_BODY = 256 * 1024;

const claimInput = z.object({
  claimant: z.string().trim().min(1).max(200),
  kind: z.enum(CLAIM_KINDS),
  statement: z.string().trim().min(1).max(240),
  anchor: z.object({
    exact: z.string().trim().min(1).max(2000),
    prefix: z.string().max(400).default(''),
    suffix: z.string().max(400).default(''),
    in: z.enum(ANCHOR_SCOPES).default('new'),
  }).strict(),
  tests: z.array(z.object({
    scenario: z.string().min(1).max(100),
    era: z.enum(ERA_IDS as [EraId, ...EraId[]]).optional(),
    handler: z.enum(HANDLER_IDS as [string, ...string[]]).optional(),
    counterexample: z.boolean().default(false),
    expect: z.enum(['supported', 'refuted']),
  }).strict()).max(20),
  untested: z.string().trim().min(1).max(400).optional(),
}).strict();

const saveRequest = z.object({
  archiveId: z.string().min(1).max(1000),
  claim: claimInput,
  replace: z.string().min(1).max(1000).optional(),
  /** Checked by the scenario loader, on the file it becomes. */
  scenario: z.custom<ComposedScenario>((v) => typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string').optional(),
}).strict();

const text = (status: number, message: string) => Response.json({ error: message }, { status });

function refused(request: Request): Response | null {
  const token = process.env.THREADLAB_EDIT_TOKEN;
  if (!token) return text(403, 'Authoring is off on this site: it was not started with THREADLAB_EDIT_TOKEN set. Copy the claim block instead.');
  const given = Buffer.from(request.headers.get(EDIT_TOKEN_HEADER) ?? '');
  const want = Buffer.from(token);
  if (given.length !== want.length || !crypto.timingSafeEqual(given, want)) return text(403, 'The edit token is missing or wrong.');
  return null;
}

const content = () => contentDir(process.cwd());

async function answer(work: () => Promise<unknown>): Promise<Response> {
  try {
    return Response.json(await work());
  } catch (e) {
    if (e instanceof AuthoringError) return text(e.status, e.message);
    console.error(e);
    return text(500, `could not write the claim: ${(e as Error).message}`);
  }
}

export async function GET(request: Request) {
  await connection();
  const key = new URL(request.url).searchParams.get('key');
  if (!key) return text(400, 'give the claim as ?key=<file>#<id>');
  return answer(async () => claimOf(contentDirsOf(content()), key));
}

export async function POST(request: Request) {
  await connection();
  const no = refused(request);
  if (no) return no;
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > MAX_BODY) return text(413, `the request is ${length} bytes; at most ${MAX_BODY}`);
  const raw = await request.text();
  if (raw.length > MAX_BODY) return text(413, `the request is ${raw.length} bytes; at most ${MAX_BODY}`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return text(400, 'the request is not JSON');
  }
  const parsed = saveRequest.safeParse(json);
  if (!parsed.success) return text(422, parsed.error.issues.map((i) => `field "${i.path.join('.')}": ${i.message}`).join('\n'));
  const { scenario, ...req } = parsed.data;
  return answer(() => authorClaim(databaseUrl(), content(), {
    ...req,
    ...(scenario && { scenario: { id: scenario.id, text: scenarioFileText(scenario) } }),
  }));
}

export async function DELETE(request: Request) {
  await connection();
  const no = refused(request);
  if (no) return no;
  const key = new URL(request.url).searchParams.get('key');
  if (!key) return text(400, 'give the claim as ?key=<file>#<id>');
  return answer(() => unauthorClaim(databaseUrl(), content(), key));
}
