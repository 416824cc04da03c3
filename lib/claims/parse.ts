// Annotation files: Markdown (remark) with optional YAML front matter holding file-wide
// defaults, and one fenced ```claim block of YAML per claim. The syntax is documented in
// content/annotations/README.md. Errors name the file, the line and the claim.

import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import { YAMLParseError, parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ERA_IDS, HANDLER_IDS } from '../engine/index';
import { ANCHOR_SCOPES, CLAIM_KINDS, type ClaimProblem, type ClaimSpec, type MessageRef } from './types';
import { claimProblem } from './problem';
import { combineVerdicts } from './verdict';
import { messageIdOf } from '../mail/message-id';

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const messageRef = z.union([
  // Read as ingest read the header, so that it is the string stored.
  z.object({ mid: nonEmpty.refine((s) => messageIdOf(s) !== null, 'names no Message-ID').transform((s) => messageIdOf(s)!) }).strict(),
  z.object({ archiveId: nonEmpty }).strict(),
  z.object({
    list: nonEmpty,
    from: nonEmpty,
    // yaml may hand back a Date for an unquoted timestamp
    date: z.union([nonEmpty, z.date().transform((d) => d.toISOString())])
      .refine((d) => !Number.isNaN(Date.parse(d)), 'not a date (use ISO 8601, e.g. 2010-12-31T01:31:44-08:00)'),
    subject: nonEmpty.optional(),
  }).strict(),
], { error: 'a message is { mid: <Message-ID> }, { archiveId: <id> } or { list, from, date }' });

const testLink = z.object({
  scenario: nonEmpty,
  era: z.enum(ERA_IDS as [string, ...string[]]).optional(),
  handler: z.enum(HANDLER_IDS as [string, ...string[]]).optional(),
  counterexample: z.boolean().default(false),
  expect: z.enum(['supported', 'refuted'], { error: 'expect is "supported" or "refuted"' }),
}).strict();

const claimBlock = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  message: messageRef.optional(),
  claimant: nonEmpty.optional(),
  kind: z.enum(CLAIM_KINDS),
  statement: nonEmpty.refine((s) => !s.includes('\n'), 'one line').refine((s) => s.length <= 240, 'at most 240 characters'),
  anchor: z.object({
    exact: nonEmpty,
    prefix: z.string().default(''),
    suffix: z.string().default(''),
    in: z.enum(ANCHOR_SCOPES).default('new'),
  }).strict(),
  tests: z.array(testLink).default([]),
  verdict: z.enum(['supported', 'refuted', 'depends']).optional(),
  untested: nonEmpty.optional(),
}).strict();

const frontMatter = z.object({
  title: z.string().optional(),
  message: messageRef.optional(),
  claimant: nonEmpty.optional(),
}).strict();

export interface ParsedAnnotations {
  file: string;
  /** What the front matter names for every claim of the file (authoring adds blocks that rely on it). */
  defaults: { message?: MessageRef; claimant?: string };
  claims: ClaimSpec[];
  problems: ClaimProblem[];
}

const issues = (e: z.ZodError) => e.issues.map((i) => `field "${i.path.join('.') || '(root)'}": ${i.message}`);

/**
 * Parses one annotation file. `file` names it in problems; `key` (its path
 * relative to the annotations folder) prefixes the claim keys. A bad claim is
 * reported and the file's other claims still come back.
 */
export function parseAnnotations(text: string, file: string, key: string = file): ParsedAnnotations {
  const out: ParsedAnnotations = { file, defaults: {}, claims: [], problems: [] };
  const problem = (message: string, claim?: string, line = 0) =>
    out.problems.push(claim ? claimProblem({ file, line, id: claim }, message) : { file, message: `${file}${line ? `:${line}` : ''}: ${message}` });

  const tree = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).parse(text);
  let defaults: z.infer<typeof frontMatter> = {};
  const fm = tree.children[0];
  if (fm?.type === 'yaml') {
    const r = readYaml(fm.value);
    const parsed = r.ok ? frontMatter.safeParse(r.value ?? {}) : null;
    if (!r.ok) problem(`front matter is not valid YAML: ${r.error}`, undefined, 1 + (r.line ?? 0));
    else if (!parsed!.success) for (const m of issues(parsed!.error)) problem(`front matter: ${m}`, undefined, 1);
    else defaults = parsed!.data;
  }
  out.defaults = { ...(defaults.message && { message: defaults.message as MessageRef }), ...(defaults.claimant && { claimant: defaults.claimant }) };

  const seen = new Set<string>();
  const blocks: { value: string; line: number; span: [number, number] }[] = [];
  type Position = { start: { line: number; offset?: number }; end: { offset?: number } };
  const visit = (node: { type: string; lang?: string | null; value?: string; position?: Position; children?: unknown[] }) => {
    if (node.type === 'code' && node.lang === 'claim') {
      const at = node.position;
      blocks.push({ value: node.value ?? '', line: at?.start.line ?? 0, span: [at?.start.offset ?? 0, at?.end.offset ?? 0] });
    }
    for (const c of (node.children ?? []) as (typeof node)[]) visit(c);
  };
  visit(tree);
  if (blocks.length === 0) problem('no ```claim blocks');

  for (const b of blocks) {
    const r = readYaml(b.value);
    if (!r.ok) {
      // the block's YAML starts on the line after the fence
      problem(`claim block is not valid YAML: ${r.error}`, undefined, r.line ? b.line + r.line : b.line);
      continue;
    }
    const rawId = typeof (r.value as { id?: unknown })?.id === 'string' ? (r.value as { id: string }).id : undefined;
    const parsed = claimBlock.safeParse(r.value);
    if (!parsed.success) {
      for (const m of issues(parsed.error)) problem(m, rawId, b.line);
      continue;
    }
    const c = parsed.data;
    const bad = (m: string) => problem(m, c.id, b.line);
    if (seen.has(c.id)) { bad('the id is used twice in this file'); continue; }
    seen.add(c.id);
    const message = (c.message ?? defaults.message) as MessageRef | undefined;
    const claimant = c.claimant ?? defaults.claimant;
    if (!message) { bad('no message: give "message" here or in the front matter'); continue; }
    if (!claimant) { bad('no claimant: give "claimant" here or in the front matter'); continue; }
    if (c.tests.length === 0 && !c.untested) { bad('no tests: link a scenario, or say why none can test the claim with "untested"'); continue; }
    if (c.tests.length > 0 && c.untested) { bad('"untested" and "tests" exclude each other'); continue; }
    if (c.verdict) {
      const expected = combineVerdicts(c.tests.map((t) => t.expect));
      if (expected !== c.verdict) { bad(`verdict "${c.verdict}" does not follow from the tests' expectations, which give "${expected}"`); continue; }
    }
    out.claims.push({
      id: c.id, key: `${key}#${c.id}`, file, line: b.line, span: b.span, message, claimant, statement: c.statement, kind: c.kind,
      anchor: { exact: c.anchor.exact, prefix: c.anchor.prefix, suffix: c.anchor.suffix, in: c.anchor.in },
      tests: c.tests.map((t) => ({ scenario: t.scenario, era: t.era as ClaimSpec['tests'][number]['era'], handler: t.handler, counterexample: t.counterexample, expect: t.expect })),
      ...(c.untested ? { untested: c.untested } : {}),
    });
  }
  return out;
}

function readYaml(text: string): { ok: true; value: unknown } | { ok: false; error: string; line?: number } {
  try {
    return { ok: true, value: parseYaml(text) };
  } catch (e) {
    const line = e instanceof YAMLParseError ? e.linePos?.[0].line : undefined;
    return { ok: false, error: (e as Error).message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''), line };
  }
}
