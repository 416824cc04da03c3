// zod schema for scenario front matter. Mirrors lib/engine/scenario.ts.

import { z } from 'zod';
import { ERA_IDS, HANDLER_IDS, OUTCOME_NAMES, SCENARIO_CAPS, actorNames, namedIn, parsePattern, type Pattern } from '../engine/index';
import { parseRet } from '../engine/vmfault';

// An outcome whoever it concerns, or one actor's: `Sigbus(fault[1])`; under exists and never also
// events in order (`Retried then Sigbus`). The actors named are checked against the scenario's below.
const expectation = z.string().superRefine((text, ctx) => {
  try { parsePattern(text); } catch (e) { ctx.addIssue({ code: 'custom', message: (e as Error).message }); }
});
const outcome = expectation.refine((text) => { try { return parsePattern(text).kind === 'outcome'; } catch { return true; } }, {
  message: `always lists outcomes (${OUTCOME_NAMES.join(', ')}, alone or as Outcome(actor name)); put events in order under exists or never`,
});
// Indices are checked against the scenario's own file.pages below.
const pageIndex = z.number().int().min(0).max(SCENARIO_CAPS.pages - 1);
const fsKind = z.enum(['generic', 'ocfs2']);
const name = z.string().min(1).optional();

const actor = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fault'), name, index: pageIndex, alloc: z.enum(['ok', 'ENOMEM', 'ENOSPC']).optional() }).strict(),
  z.object({ kind: z.literal('truncate'), name, to: z.number().int().min(0), extendTo: z.number().int().min(0).optional(), fs: fsKind.optional() }).strict(),
  z.object({ kind: z.literal('punch'), name, from: pageIndex, to: z.number().int().min(1), fs: fsKind.optional() }).strict(),
  z.object({ kind: z.literal('downconvert'), name, level: z.enum(['PR', 'EX']), remoteSize: z.number().int().min(0).optional() }).strict(),
  z.object({ kind: z.literal('writeback'), name, index: pageIndex.optional(), consumesPrepared: z.boolean().optional() }).strict(),
  z.object({ kind: z.literal('reclaim'), name, index: pageIndex, ignoreRefs: z.boolean().optional() }).strict(),
]);

const where = { fn: z.string().optional(), loc: z.string().optional(), desc: z.string().optional() };
const ret = z.union([z.string(), z.number().transform(String)]).refine((t) => {
  try { parseRet(t); return true; } catch { return false; }
}, 'not a return value: use 0, VM_FAULT_* names joined with | (e.g. "LOCKED", "NOPAGE"), or -ERRNO (e.g. "-EINVAL")');
const op = z.discriminatedUnion('op', [
  z.object({ op: z.literal('clusterLock'), ...where }).strict(),
  z.object({ op: z.literal('clusterUnlock'), ...where }).strict(),
  z.object({ op: z.literal('allocSem'), sem: z.enum(['i_alloc_sem', 'ip_alloc_sem']), mode: z.enum(['read', 'write']), ...where }).strict(),
  z.object({ op: z.literal('allocSemUp'), sem: z.enum(['i_alloc_sem', 'ip_alloc_sem']), ...where }).strict(),
  z.object({ op: z.literal('lockPage'), ...where }).strict(),
  z.object({ op: z.literal('unlockPage'), ...where }).strict(),
  z.object({ op: z.literal('check'), mapping: z.boolean().optional(), size: z.enum(['gt', 'ge']).optional(), uptodate: z.boolean().optional(), fail: ret, release: z.boolean().optional(), ...where }).strict(),
  z.object({ op: z.literal('skipIfPrepared'), ret, ...where }).strict(),
  z.object({ op: z.literal('allocate'), result: z.enum(['ok', 'ENOMEM', 'ENOSPC']).optional(), ...where }).strict(),
  z.object({ op: z.literal('setPageDirty'), ...where }).strict(),
  z.object({ op: z.literal('findOrCreatePage'), ...where }).strict(),
  z.object({ op: z.literal('return'), ret, ...where }).strict(),
]);

export const handlerSpecSchema = z.object({
  id: z.string().default('composable'),
  title: z.string().default('composable ->page_mkwrite'),
  fn: z.string().default('my_page_mkwrite'),
  errno: z.enum(['sigbus', 'vmf_error', 'raw']).default('vmf_error'),
  ops: z.array(op).min(1).refine((ops) => ops[ops.length - 1]?.op === 'return', 'the last op must be "return" (what ->page_mkwrite returns)'),
  notes: z.array(z.string()).optional(),
}).strict();

const pageSpec = z.object({
  cached: z.boolean().optional(),
  uptodate: z.boolean().optional(),
  dirty: z.boolean().optional(),
  prepared: z.boolean().optional(),
  pte: z.enum(['none', 'ro', 'rw']).optional(),
}).strict();

// A bundled handler id, or a composable spec; checked by hand so that errors name the exact field
// instead of zod's generic "Invalid input" for a union.
const handler = z.unknown().transform((h, ctx) => {
  if (typeof h === 'string') {
    if (!HANDLER_IDS.includes(h)) ctx.addIssue({ code: 'custom', message: `unknown handler "${h}" (known: ${HANDLER_IDS.join(', ')}; or a composable spec with ops)` });
    return h;
  }
  const r = handlerSpecSchema.safeParse(h);
  if (!r.success) {
    for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: i.path as (string | number)[] });
    return z.NEVER;
  }
  return r.data;
});

export const scenarioSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes').optional(),
  title: z.string().min(1),
  claim: z.string().optional(),
  era: z.enum(ERA_IDS as [string, ...string[]]),
  handler,
  file: z.object({ pages: z.number().int().min(1).max(SCENARIO_CAPS.pages), size: z.number().int().min(0).optional() }).strict(),
  pages: z.record(z.string().regex(/^\d+$/, 'a page index'), pageSpec).optional(),
  actors: z.array(actor).min(1).max(SCENARIO_CAPS.actors).refine((a) => a.some((x) => x.kind === 'fault'), 'at least one fault actor (the scenario models a write fault)'),
  expect: z.object({ exists: z.array(expectation).optional(), never: z.array(expectation).optional(), always: z.array(outcome).optional() }).strict()
    .refine((e) => (e.exists?.length ?? 0) + (e.never?.length ?? 0) + (e.always?.length ?? 0) > 0, 'at least one expectation (exists, never or always)'),
  limits: z.object({ states: z.number().int().min(1).optional(), millis: z.number().int().min(1).optional() }).strict().optional(),
}).strict().superRefine((sc, ctx) => {
  // What the types allow and the model does not: each check names its field.
  const { pages: filePages } = sc.file;
  const size = sc.file.size ?? filePages;
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const within = (path: (string | number)[], index: number | undefined) => {
    if (index !== undefined && index >= filePages) issue(path, `page ${index} is not in the file (file.pages: ${filePages}, indices 0..${filePages - 1})`);
  };
  sc.actors.forEach((a, i) => {
    if (a.kind === 'fault' || a.kind === 'reclaim' || a.kind === 'writeback') within(['actors', i, 'index'], a.index);
    if (a.kind === 'punch') {
      within(['actors', i, 'from'], a.from);
      if (a.to <= a.from) issue(['actors', i, 'to'], `a hole punch [from, to) needs from < to (from ${a.from}, to ${a.to})`);
      else if (a.to > filePages) issue(['actors', i, 'to'], `the hole ends past the file (to ${a.to}, file.pages ${filePages})`);
    }
    if (a.kind === 'truncate' && a.extendTo !== undefined && a.extendTo <= a.to) issue(['actors', i, 'extendTo'], `extendTo (${a.extendTo}) must be past to (${a.to}): truncate, then extend`);
  });
  for (const [key, p] of Object.entries(sc.pages ?? {})) {
    const index = Number(key);
    within(['pages', key], index);
    if (p.cached === false) {
      if (p.pte && p.pte !== 'none') issue(['pages', key, 'pte'], `page ${index} is not cached, so no PTE can map it`);
      if (p.dirty || p.prepared || p.uptodate) issue(['pages', key], `page ${index} is not cached: it can be neither dirty, prepared nor uptodate`);
    } else if (index >= size) issue(['pages', key, 'cached'], `page ${index} lies past i_size (file.size ${size} pages): a cached page there is one truncate would have removed; say cached: false`);
  }
  // Pages not described are cached: none may lie past i_size.
  for (let index = size; index < filePages; index++) {
    if (!(String(index) in (sc.pages ?? {}))) issue(['pages', String(index)], `page ${index} lies past i_size (file.size ${size} pages) and is cached by default: describe it with cached: false`);
  }
  // Whom an outcome may name: the actors, and the pages no task faults at (a stale PTE there is the page's).
  const names = actorNames(sc.actors as Parameters<typeof actorNames>[0]);
  sc.actors.forEach((a, i) => {
    if (a.name && sc.actors.findIndex((b) => b.name === a.name) < i) issue(['actors', i, 'name'], `another actor is named "${a.name}": each actor's outcomes are named by it`);
  });
  const faulted = new Set(sc.actors.flatMap((a) => (a.kind === 'fault' ? [a.index] : [])));
  const pages = Array.from({ length: sc.file.pages }, (_, i) => i).filter((i) => !faulted.has(i)).map((i) => `page[${i}]`);
  for (const kind of ['exists', 'never', 'always'] as const) {
    (sc.expect[kind] ?? []).forEach((o, i) => {
      let p: Pattern;
      try { p = parsePattern(o); } catch { return; } // reported by the field's own check
      // A page's only outcomes are how a run ends; events are actors'.
      const whom = p.kind === 'outcome' ? [...names, ...pages] : names;
      for (const who of namedIn(p)) {
        if (!whom.includes(who)) ctx.addIssue({ code: 'custom', path: ['expect', kind, i], message: `no actor "${who}" in this scenario (actors: ${names.join(', ')}${p.kind === 'outcome' && pages.length ? `; pages: ${pages.join(', ')}` : ''})` });
      }
    });
  }
});
