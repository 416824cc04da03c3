// Claims written from the browser (lib/claims/author.ts, lib/ingest/authoring.ts), on a real
// database holding the bundled mail and a copy of content/: a claim goes into the annotation
// file of its message without touching a byte of the rest, a message with none gets a file in
// the README's layout, both read back through the loader as sent and are stored with their
// computed verdict; edits and removals change only their block; two saves at once both land;
// words that do not anchor, scenarios that do not load and paths outside content/ are refused
// with nothing written.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type Store } from '../support/db';
import { scratchFolder } from '../support/scratch';
import { projectRoot } from '../../lib/db/url';
import { prepare } from '../../lib/db/connection';
import { ingestBundled } from '../../lib/ingest/bundled';
import { loadAnnotations } from '../../lib/claims/load';
import { claimOf, contentDirsOf, type ClaimInput } from '../../lib/claims/author';
import { scopeText } from '../../lib/claims/scope';
import { readSegments } from '../../lib/quote/stored';
import { AuthoringError, authorClaim, unauthorClaim } from '../../lib/ingest/authoring';

const SEED_FILE = 'ocfs2-devel/2010-12-31-nick-piggin.md';
// Nick Piggin's seed answer (pipermail, no Message-ID), and the 2009 linux-mm thread's first message.
const NICK_WORDS = 'If you can find_or_create_page';

describe('authoring claims into content/', () => {
  let store: Store;
  const scratch = scratchFolder('threadlab-author-');
  const content = path.join(scratch.dir, 'content');
  const dirs = contentDirsOf(content);
  const file = (rel: string) => fs.readFileSync(path.join(dirs.annotations, rel), 'utf8');
  const archiveIdOf = (sql: string) => prepare<[], { archiveId: string }>(store.writer, sql).get()!.archiveId;
  let seed = '';
  let unannotated = '';
  // Words of that message, and where they are.
  let words = '';
  let inScope: 'new' | 'quote' = 'new';

  beforeAll(async () => {
    for (const part of ['annotations', 'scenarios']) fs.cpSync(path.join(projectRoot, 'content', part), path.join(content, part), { recursive: true });
    store = await freshDatabase();
    await ingestBundled(store.writer);
    seed = archiveIdOf(`SELECT m."archiveId" FROM "Message" m JOIN "Claim" c ON c."messageId" = m.id WHERE c.key = '${SEED_FILE}#zero-is-minor-fault'`);
    // A message of the archive no annotation names, whose own text or quotes name page_mkwrite.
    const rows = prepare<[], { archiveId: string; body: string; segmentsJson: string }>(store.writer, `SELECT m."archiveId", t.body, t."segmentsJson" FROM "Message" m
      JOIN "MessageText" t ON t."messageId" = m.id WHERE NOT m."isGhost" AND m.id NOT IN (SELECT "messageId" FROM "Claim") ORDER BY m.id`).all();
    for (const m of rows) {
      const scope = (['new', 'quote'] as const).find((s) => /[^.]{20,}page_mkwrite[^.]*/.test(scopeText(m.body, readSegments(m.segmentsJson), s).text));
      if (!scope) continue;
      const text = scopeText(m.body, readSegments(m.segmentsJson), scope).text;
      [unannotated, words, inScope] = [m.archiveId, /[^.]{20,}page_mkwrite[^.]*/.exec(text)![0].trim(), scope];
      break;
    }
    expect(unannotated).not.toBe('');
  }, 120_000);
  afterAll(() => store?.close());

  const claim = (over: Partial<ClaimInput> = {}): ClaimInput => ({
    claimant: 'Nick Piggin', kind: 'rule', statement: 'A handler that finds or creates the page holds its lock and may return VM_FAULT_LOCKED.',
    anchor: { exact: NICK_WORDS, prefix: '', suffix: '', in: 'new' },
    tests: [{ scenario: 'ocfs2-fixed-returns-locked', counterexample: false, expect: 'supported' }],
    ...over,
  });

  it('adds a claim at the end of its message\'s file, changing no other byte, and stores it with its computed verdict', async () => {
    const before = file(SEED_FILE);
    const saved = await authorClaim(store.url, content, { archiveId: seed, claim: claim() });
    expect(saved).toMatchObject({ file: expect.stringContaining(SEED_FILE), createdFile: false, verdict: 'supported', problems: [] });
    expect(saved.disagreement).toBeUndefined();
    const after = file(SEED_FILE);
    expect(after.startsWith(before)).toBe(true);
    const block = after.slice(before.length);
    // The front matter names the message and the claimant: the block need not.
    expect(block).toMatch(/^\n```claim\nid: a-handler-that-finds-or-creates\nkind: rule\n/);
    expect(block).not.toMatch(/message:|claimant:/);
    expect(block).toContain('  - { scenario: ocfs2-fixed-returns-locked, expect: supported }');
    const read = loadAnnotations(dirs.annotations).flatMap((f) => f.claims).find((c) => c.key === saved.key)!;
    expect(read).toMatchObject({ claimant: 'Nick Piggin', statement: claim().statement, anchor: claim().anchor, tests: claim().tests });
    const row = prepare<[string], { verdict: string; exact: string }>(store.writer, 'SELECT verdict, exact FROM "Claim" WHERE key = ?').get(saved.key)!;
    expect(row).toEqual({ verdict: 'supported', exact: NICK_WORDS });
  });

  it('creates a file in the README\'s layout for a message without one, the quoted writer as the claim\'s claimant', async () => {
    const saved = await authorClaim(store.url, content, {
      archiveId: unannotated,
      claim: claim({ claimant: 'Someone Quoted', statement: 'A claim about page_mkwrite.', anchor: { exact: words, prefix: '', suffix: '', in: inScope },
        tests: [{ scenario: 'seed-return-0-minor-fault', counterexample: false, expect: 'refuted' }] }),
    });
    expect(saved.createdFile).toBe(true);
    const written = fs.readFileSync(path.resolve(projectRoot, saved.file), 'utf8');
    expect(written).toMatch(/^---\ntitle: .+\nmessage: \{ mid: .+ \}\nclaimant: .+\n---\n\n# .+\n\n```claim\nid: a-claim-about-page-mkwrite\nclaimant: Someone Quoted\n/);
    // The author expected another verdict than the engine computes: stored with the computed one, and the difference named.
    expect(saved.verdict).toBe('supported');
    expect(saved.disagreement).toMatchObject({ expected: 'refuted', computed: 'supported' });
    const parsed = loadAnnotations(dirs.annotations).find((f) => saved.file.endsWith(f.file.split('/').slice(-2).join('/')))!;
    expect(parsed.problems).toEqual([]);
    expect(parsed.claims.map((c) => c.key)).toEqual([saved.key]);
  });

  it('edits and removes a claim\'s block only; the last claim of a file goes with its file', async () => {
    const key = `${SEED_FILE}#a-handler-that-finds-or-creates`;
    const before = file(SEED_FILE);
    const spec = claimOf(dirs, key);
    await authorClaim(store.url, content, { archiveId: seed, replace: key, claim: { ...claim(), kind: 'proposal' } });
    const edited = file(SEED_FILE);
    expect(edited.slice(0, spec.span![0])).toBe(before.slice(0, spec.span![0]));
    expect(edited.slice(spec.span![0])).toContain('kind: proposal');
    expect(claimOf(dirs, key).kind).toBe('proposal');
    await unauthorClaim(store.url, content, key);
    expect(file(SEED_FILE)).toBe(fs.readFileSync(path.join(projectRoot, 'content', 'annotations', SEED_FILE), 'utf8'));
    expect(prepare<[string], { n: number }>(store.writer, 'SELECT count(*) AS n FROM "Claim" WHERE key = ?').get(key)!.n).toBe(0);
    const created = loadAnnotations(dirs.annotations).flatMap((f) => f.claims).find((c) => c.claimant === 'Someone Quoted')!;
    const removed = await unauthorClaim(store.url, content, created.key);
    expect(removed.removedFile).toBe(true);
    expect(fs.existsSync(path.join(dirs.annotations, created.key.split('#')[0]!))).toBe(false);
  });

  it('keeps every claim of several saves made at once', async () => {
    const statements = [1, 2, 3, 4].map((n) => `Concurrent claim number ${n} about find_or_create_page.`);
    const saved = await Promise.all(statements.map((statement) => authorClaim(store.url, content, { archiveId: seed, claim: claim({ statement }) })));
    expect(new Set(saved.map((s) => s.key)).size).toBe(4);
    const keys = loadAnnotations(dirs.annotations).flatMap((f) => f.claims).map((c) => c.key);
    for (const s of saved) expect(keys).toContain(s.key);
    expect(fs.readdirSync(path.join(dirs.annotations, 'ocfs2-devel')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const s of saved) await unauthorClaim(store.url, content, s.key);
  });

  it('writes a composed scenario beside the claim, and never over another scenario', async () => {
    const own = fs.readFileSync(path.join(dirs.scenarios, 'seed-nopage-retry.md'), 'utf8');
    const text = own.replace('id: seed-nopage-retry', 'id: composed-nopage-retry');
    const saved = await authorClaim(store.url, content, {
      archiveId: seed, scenario: { id: 'composed-nopage-retry', text },
      claim: claim({ statement: 'Composed: NOPAGE retries.', tests: [{ scenario: 'composed-nopage-retry', counterexample: false, expect: 'supported' }] }),
    });
    expect(saved.scenarioFile).toMatch(/scenarios\/composed-nopage-retry\.md$/);
    expect(fs.readFileSync(path.join(dirs.scenarios, 'composed-nopage-retry.md'), 'utf8')).toBe(text);
    expect(saved.verdict).toBe('supported');
    await expect(authorClaim(store.url, content, {
      archiveId: seed, scenario: { id: 'seed-nopage-retry', text: own.replace('2.6.37"', '2.6.29"') }, claim: claim({ tests: [{ scenario: 'seed-nopage-retry', counterexample: false, expect: 'supported' }] }),
    })).rejects.toMatchObject({ status: 409 });
    await unauthorClaim(store.url, content, saved.key);
  });

  it('refuses words that do not anchor, scenarios that do not load, ghosts and paths outside content/, writing nothing', async () => {
    const snapshot = () => JSON.stringify(fs.readdirSync(content, { recursive: true }).sort().map((f) => [f, fs.statSync(path.join(content, f as string)).mtimeMs]));
    const before = snapshot();
    const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof AuthoringError ? { status: e.status, message: e.message } : e));
    expect(await refusal(authorClaim(store.url, content, { archiveId: seed, claim: claim({ anchor: { exact: 'words nobody wrote in this message at all', prefix: '', suffix: '', in: 'new' } }) })))
      .toMatchObject({ status: 422, message: expect.stringContaining('do not anchor') });
    expect(await refusal(authorClaim(store.url, content, { archiveId: seed, claim: claim({ tests: [{ scenario: 'no-such-scenario', counterexample: false, expect: 'supported' }] }) })))
      .toMatchObject({ status: 422, message: expect.stringContaining('no scenario no-such-scenario') });
    expect(await refusal(authorClaim(store.url, content, { archiveId: seed, scenario: { id: 'bad-one', text: '---\ntitle: x\n---\n' }, claim: claim({ tests: [{ scenario: 'bad-one', counterexample: false, expect: 'supported' }] }) })))
      .toMatchObject({ status: 422, message: expect.stringContaining('bad-one.md') });
    const ghost = archiveIdOf(`SELECT "archiveId" FROM "Message" WHERE "isGhost" LIMIT 1`);
    expect(await refusal(authorClaim(store.url, content, { archiveId: ghost, claim: claim() })))
      .toMatchObject({ status: 422, message: expect.stringContaining('select the words where a reply quotes them') });
    expect(snapshot()).toBe(before);
    // A list folder that leads out of content/ (a link) is not written through.
    const outside = scratch.write('outside/keep.txt', 'x');
    const list = prepare<[string], { name: string }>(store.writer, 'SELECT l.name FROM "List" l JOIN "Message" m ON m."listId" = l.id WHERE m."archiveId" = ?').get(unannotated)!.name;
    const folder = path.join(dirs.annotations, list);
    if (fs.existsSync(folder)) fs.renameSync(folder, `${folder}.aside`);
    fs.symlinkSync(path.dirname(outside), folder);
    expect(await refusal(authorClaim(store.url, content, { archiveId: unannotated, claim: claim({ anchor: { exact: words, prefix: '', suffix: '', in: inScope } }) })))
      .toMatchObject({ status: 400, message: expect.stringContaining('outside the content folder') });
    expect(fs.readdirSync(path.dirname(outside))).toEqual(['keep.txt']);
  });
});
