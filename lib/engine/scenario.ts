// What a scenario is, as one zod schema: lib/scenarios validates files with it, and the types are
// inferred from it, so the two cannot drift apart. Beyond the shapes it refuses, naming the field,
// what the types allow and the model cannot hold.

import { z } from './zod';
import { ERA_IDS, type EraId } from './eras/index';
import { HANDLER_IDS } from './handlers/index';
import { handlerSpecSchema } from './handlers/composable';
import { ALLOC_RESULTS } from './handlers/ops';
import { OUTCOME_NAMES, type OutcomeName } from './outcomes';
import { namedIn, parsePattern, type Pattern } from './patterns';

/** How large a scenario may be: every actor and page is copied and hashed per transition. */
export const SCENARIO_CAPS = { actors: 8, pages: 8 } as const;

/** A search's limits when neither the caller nor the scenario sets them. */
export const DEFAULT_LIMITS = { states: 2_000_000, millis: 10_000 } as const;

// Indices are checked against the scenario's own file.pages below.
const pageIndex = z.number().int().min(0).max(SCENARIO_CAPS.pages - 1);
const fsKind = z.enum(['generic', 'ocfs2']);
const name = z.string().min(1).optional();

/** An actor, by kind: its fields are read from here by whatever offers them (the browser's scenario composer). */
export const actorSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fault'), name, index: pageIndex, alloc: z.enum(ALLOC_RESULTS).optional() }).strict(),
  z.object({ kind: z.literal('truncate'), name, to: z.number().int().min(0), extendTo: z.number().int().min(0).optional(), fs: fsKind.optional() }).strict(),
  z.object({ kind: z.literal('punch'), name, from: pageIndex, to: z.number().int().min(1), fs: fsKind.optional() }).strict(),
  z.object({ kind: z.literal('downconvert'), name, level: z.enum(['PR', 'EX']), remoteSize: z.number().int().min(0).optional() }).strict(),
  z.object({ kind: z.literal('writeback'), name, index: pageIndex.optional(), consumesPrepared: z.boolean().optional() }).strict(),
  z.object({ kind: z.literal('reclaim'), name, index: pageIndex, ignoreRefs: z.boolean().optional() }).strict(),
]);
export type ActorSpec = z.infer<typeof actorSpecSchema>;

const pageSpec = z.object({
  cached: z.boolean().optional(), // default true
  uptodate: z.boolean().optional(), // default true
  dirty: z.boolean().optional(), // default false
  prepared: z.boolean().optional(), // default false
  pte: z.enum(['none', 'ro', 'rw']).optional(), // default 'ro'
}).strict();
export type PageSpec = z.infer<typeof pageSpec>;

// ---- Expectations: what a scenario claims of its outcomes, and of events in order (kept apart, to change on their own).

/** An outcome whoever it concerns (`Sigbus`), or one actor's (`Sigbus(fault[1])`, by the actor's name). */
export type OutcomeRef = OutcomeName | `${OutcomeName}(${string})`;

/** An outcome, or events in order (`Retried then Sigbus`, `WriteLanded before Retried`): patterns.ts. */
const expectation = z.string().superRefine((text, ctx) => {
  try { parsePattern(text); } catch (e) { ctx.addIssue({ code: 'custom', message: (e as Error).message }); }
});
const outcome = z.string().refine((text): text is OutcomeRef => { try { return parsePattern(text).kind === 'outcome'; } catch { return false; } }, {
  message: `always lists outcomes (${OUTCOME_NAMES.join(', ')}, alone or as Outcome(actor name)); put events in order under exists or never`,
});

const expectationsSchema = z.object({ exists: z.array(expectation).optional(), never: z.array(expectation).optional(), always: z.array(outcome).optional() }).strict()
  .refine((e) => (e.exists?.length ?? 0) + (e.never?.length ?? 0) + (e.always?.length ?? 0) > 0, 'at least one expectation (exists, never or always)');
export type Expectations = z.infer<typeof expectationsSchema>;

/** Each actor an expectation names that the scenario lacks. `pages` may be named too, by outcomes only: events are actors'. */
function expectationIssues(expect: Expectations, names: readonly string[], pages: readonly string[]): Array<{ path: (string | number)[]; message: string }> {
  return (['exists', 'never', 'always'] as const).flatMap((kind) => (expect[kind] ?? []).flatMap((o, i) => {
    let p: Pattern;
    try { p = parsePattern(o); } catch { return []; } // reported by the field's own check
    const whom = p.kind === 'outcome' ? [...names, ...pages] : names;
    return namedIn(p).filter((who) => !whom.includes(who)).map((who) => ({
      path: ['expect', kind, i],
      message: `no actor "${who}" in this scenario (actors: ${names.join(', ')}${p.kind === 'outcome' && pages.length ? `; pages: ${pages.join(', ')}` : ''})`,
    }));
  }));
}

// ---- The scenario.

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

/** A scenario as a file's front matter holds it (lib/scenarios adds its id, prose and file). */
export const scenarioSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes').optional(),
  title: z.string().min(1),
  claim: z.string().optional(),
  era: z.enum(ERA_IDS as [EraId, ...EraId[]]),
  /** A bundled handler id ("ocfs2@2.6.37") or a composable handler spec. */
  handler,
  file: z.object({ pages: z.number().int().min(1).max(SCENARIO_CAPS.pages), size: z.number().int().min(0).optional() }).strict(), // pages modelled; i_size in pages (default = pages)
  pages: z.record(z.string().regex(/^\d+$/, 'a page index'), pageSpec).optional(),
  actors: z.array(actorSpecSchema).min(1).max(SCENARIO_CAPS.actors).refine((a) => a.some((x) => x.kind === 'fault'), 'at least one fault actor (the scenario models a write fault)'),
  expect: expectationsSchema,
  /** This scenario's search limits (DEFAULT_LIMITS otherwise); a caller's options win. */
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
  const names = actorNames(sc.actors);
  sc.actors.forEach((a, i) => {
    if (a.name && sc.actors.findIndex((b) => b.name === a.name) < i) issue(['actors', i, 'name'], `another actor is named "${a.name}": each actor's outcomes are named by it`);
  });
  const faulted = new Set(sc.actors.flatMap((a) => (a.kind === 'fault' ? [a.index] : [])));
  const pages = Array.from({ length: sc.file.pages }, (_, i) => i).filter((i) => !faulted.has(i)).map((i) => `page[${i}]`);
  for (const { path, message } of expectationIssues(sc.expect, names, pages)) issue(path, message);
});

export type Scenario = Omit<z.output<typeof scenarioSchema>, 'id' | 'pages'> & {
  id: string;
  pages?: Record<number, PageSpec> | PageSpec[];
  body?: string; // prose (Markdown) from the scenario file
  source?: string; // file it came from
};

function ownName(a: ActorSpec, i: number): string {
  if (a.name) return a.name;
  switch (a.kind) {
    case 'fault': return `fault[${a.index}]`;
    case 'truncate': return `truncate(${a.to}${a.extendTo !== undefined ? `->${a.extendTo}` : ''})`;
    case 'punch': return `punch[${a.from},${a.to})`;
    case 'downconvert': return `downconvert(${a.level})`;
    case 'writeback': return `writeback${a.index !== undefined ? `[${a.index}]` : ''}`;
    case 'reclaim': return `reclaim[${a.index}]`;
    default: return `actor${i}`;
  }
}

/**
 * Each actor's name, as traces, swimlanes and outcome labels (`Sigbus(fault[0])`) show it:
 * its own `name`, or one made from what it does; a default name met again gets `#2`, `#3`
 * (two tasks faulting at one index), so that every actor's outcomes stay its own.
 */
export function actorNames(actors: readonly ActorSpec[]): string[] {
  const seen = new Map<string, number>();
  return actors.map((a, i) => {
    const name = ownName(a, i);
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 || a.name ? name : `${name}#${n}`;
  });
}
