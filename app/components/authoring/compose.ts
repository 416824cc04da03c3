// A scenario composed in the browser: the front matter of a scenario file as plain data, checked
// with the engine's own schema and written out as the file a person would add to
// content/scenarios. Pure: no DOM, no React.

import YAML, { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { COMPOSED_DEFAULTS, HANDLER_IDS, actorSpecSchema, scenarioSchema } from '@/lib/engine/index';
import { z } from '@/lib/engine/zod';
import type { ActorSpec, EraId, HandlerSpec, PageSpec, Scenario } from '@/lib/engine/index';

/** The fields of a scenario file's front matter the composer edits; possibly invalid while being edited. */
export interface ComposedScenario {
  id: string;
  title: string;
  era: EraId;
  /** A bundled handler id, or a composed spec. */
  handler: string | HandlerSpec;
  file: { pages: number; size?: number };
  pages?: Record<string, PageSpec>;
  actors: ActorSpec[];
  /** One expectation per entry, as typed: outcomes, or events in order (`Retried then WriteLanded`). */
  expect: { exists?: string[]; never?: string[]; always?: string[] };
}

export type ActorKind = ActorSpec['kind'];

/** A field an actor kind has, as the schema declares it (beside `kind` and `name`). */
export type ActorField = { name: string; optional: boolean } & (
  | { type: 'number'; min?: number; max?: number }
  | { type: 'choice'; values: string[] }
  | { type: 'flag' }
);

// Read from the schema, so that the composer offers exactly the fields a file may hold.
const kindsAndFields = actorSpecSchema.options.map((o) => {
  const fields = Object.entries(o.shape).flatMap(([name, declared]): ActorField[] => {
    if (name === 'kind' || name === 'name') return [];
    const optional = declared instanceof z.ZodOptional;
    const s: unknown = declared instanceof z.ZodOptional ? declared.unwrap() : declared;
    if (s instanceof z.ZodNumber) return [{ name, optional, type: 'number', min: s.minValue ?? undefined, max: s.maxValue ?? undefined }];
    if (s instanceof z.ZodEnum) return [{ name, optional, type: 'choice', values: s.options.map(String) }];
    if (s instanceof z.ZodBoolean) return [{ name, optional, type: 'flag' }];
    throw new Error(`actor field ${o.shape.kind.value}.${name}: a kind of field the composer does not offer`);
  });
  return [o.shape.kind.value, fields] as const;
});

export const ACTOR_KINDS: readonly ActorKind[] = kindsAndFields.map(([kind]) => kind);
export const ACTOR_FIELDS = Object.fromEntries(kindsAndFields) as Partial<Record<ActorKind, readonly ActorField[]>> as Record<ActorKind, readonly ActorField[]>;

/** An actor of `kind` with its required fields at their least value (the first choice). */
export function freshActor(kind: ActorKind, name?: string): ActorSpec {
  const actor: Record<string, unknown> = { kind };
  if (name) actor.name = name;
  for (const f of ACTOR_FIELDS[kind]) {
    if (!f.optional) actor[f.name] = f.type === 'number' ? (f.min ?? 0) : f.type === 'choice' ? f.values[0] : false;
  }
  return actor as ActorSpec;
}

const STARTING_HANDLER = HANDLER_IDS.includes('block@2.6.37') ? 'block@2.6.37' : HANDLER_IDS[0]!;

/** A scenario to start from that validates and holds: a store racing a truncate to zero on the generic block handler never loses the write. */
export function freshComposed(id = 'my-scenario'): ComposedScenario {
  return {
    id,
    title: 'A store races a truncate',
    era: '2.6.37',
    handler: STARTING_HANDLER,
    file: { pages: 2 },
    actors: [freshActor('fault'), freshActor('truncate')],
    expect: { never: ['DataLost'] },
  };
}

/** A loaded scenario as the composer edits it (its prose, claim and limits left out). */
export function composedFrom(s: Scenario): ComposedScenario {
  return {
    id: s.id,
    title: s.title,
    era: s.era,
    handler: s.handler,
    file: s.file,
    ...(s.pages && { pages: Object.fromEntries(Object.entries(s.pages)) }),
    actors: s.actors,
    expect: s.expect,
  };
}

export type Validation =
  | { ok: true; scenario: Scenario }
  | { ok: false; errors: Array<{ path: string; message: string }> };

/** The composed scenario checked as a scenario file is; each error names its field (`actors.1.to`). */
export function validateComposed(c: ComposedScenario): Validation {
  const r = scenarioSchema.safeParse(c);
  if (!r.success) return { ok: false, errors: r.error.issues.map((i) => ({ path: i.path.join('.') || 'scenario', message: i.message })) };
  return { ok: true, scenario: { ...r.data, id: c.id } };
}

/** Keys whose value is undefined dropped: a file leaves out what it does not say. */
const given = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** A composed handler as a file writes it: the defaults left unsaid. */
function handlerData(h: HandlerSpec): Record<string, unknown> {
  const defaults: Record<string, unknown> = COMPOSED_DEFAULTS;
  return given(Object.fromEntries(Object.entries(h).filter(([k, v]) => defaults[k] !== v)));
}

const flowItems = (seq: unknown) => {
  if (seq instanceof YAMLSeq) for (const item of seq.items) if (item instanceof YAMLMap) item.flow = true;
};

/**
 * The scenario file for content/scenarios/<id>.md, laid out as the bundled ones are: small maps
 * on one line, lists one entry a line. The yaml package quotes whatever needs it.
 */
export function scenarioFileText(c: ComposedScenario, prose = 'Composed in the browser.'): string {
  const expect = Object.fromEntries((['exists', 'never', 'always'] as const).flatMap((k) => (c.expect[k]?.length ? [[k, c.expect[k]]] : [])));
  const doc = new YAML.Document(given({
    id: c.id,
    title: c.title,
    era: c.era,
    handler: typeof c.handler === 'string' ? c.handler : handlerData(c.handler),
    file: given(c.file),
    pages: c.pages && Object.fromEntries(Object.entries(c.pages).map(([k, p]) => [k, given(p)])),
    actors: c.actors.map(given),
    expect,
  }));
  for (const key of ['title', 'era']) {
    const node = doc.get(key, true);
    if (node instanceof Scalar) node.type = Scalar.QUOTE_DOUBLE; // an era like "3.2" would otherwise be a number
  }
  (doc.get('file', true) as YAMLMap).flow = true;
  flowItems(doc.get('actors', true));
  flowItems(doc.getIn(['handler', 'ops'], true));
  const pages = doc.get('pages', true);
  if (pages instanceof YAMLMap) {
    for (const pair of pages.items) {
      if (pair.value instanceof YAMLMap) pair.value.flow = true;
      // A page index is written bare (`0:`), as in the bundled files; it reads back as the same key.
      if (pair.key instanceof Scalar && /^\d+$/.test(String(pair.key.value))) pair.key.value = Number(pair.key.value);
    }
  }
  return `---\n${doc.toString({ lineWidth: 0 })}---\n\n${prose.trim()}\n`;
}
