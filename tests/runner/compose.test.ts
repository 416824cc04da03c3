// The browser's scenario composer: what it writes is a scenario file the loader reads back as
// composed, and what it cannot run is refused naming the field.
import { describe, expect, it } from 'vitest';
import { projectRoot } from '@/lib/db/url';
import { defaultScenarioDir, loadScenarios, parseScenarioText } from '@/lib/scenarios/load';
import { HANDLERS } from '@/lib/engine/index';
import type { Scenario } from '@/lib/engine/index';
import {
  ACTOR_FIELDS, ACTOR_KINDS, ComposedScenario, composedFrom, freshActor, freshComposed, scenarioFileText, validateComposed,
} from '@/app/components/authoring/compose';
import { customFrom, customSpec } from '@/app/components/runner/url-state';

const bundled: Scenario[] = loadScenarios(defaultScenarioDir(projectRoot)).map((l) => {
  if (!l.ok) throw new Error(l.errors.join('\n'));
  return l.scenario;
});

/** What a file's front matter says, as the composer edits it. */
const frontMatter = (s: Scenario) => {
  const { id, title, era, handler, file, pages, actors, expect } = s;
  return { id, title, era, handler, file, pages, actors, expect };
};

function readBack(c: ComposedScenario): Scenario {
  const r = parseScenarioText(scenarioFileText(c), `${c.id}.md`);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

const errorsOf = (c: ComposedScenario) => {
  const v = validateComposed(c);
  return v.ok ? [] : v.errors;
};

describe('composing a scenario', () => {
  it('writes every bundled scenario as a file that reads back the same', () => {
    expect(bundled.length).toBeGreaterThan(20);
    for (const s of bundled) expect(frontMatter(readBack(composedFrom(s))), s.id).toEqual(frontMatter(s));
  });

  it('lays the file out as the bundled ones are', () => {
    const c: ComposedScenario = {
      ...freshComposed('laid-out'),
      file: { pages: 2, size: 1 },
      pages: { 1: { cached: false } },
      actors: [{ kind: 'fault', index: 0, name: 'store' }, { kind: 'punch', from: 0, to: 1 }],
      expect: { exists: ['Sigbus(store)', 'Retried then WriteLanded'], never: ['DataLost'] },
    };
    expect(scenarioFileText(c, 'Some prose.')).toBe(`---
id: laid-out
title: "A store races a truncate"
era: "2.6.37"
handler: block@2.6.37
file: { pages: 2, size: 1 }
pages:
  1: { cached: false }
actors:
  - { kind: fault, index: 0, name: store }
  - { kind: punch, from: 0, to: 1 }
expect:
  exists:
    - Sigbus(store)
    - Retried then WriteLanded
  never:
    - DataLost
---

Some prose.
`);
    expect(frontMatter(readBack(c))).toEqual(frontMatter({ ...c, id: 'laid-out' } as Scenario));
  });

  it('writes a composed handler as a block mapping, its defaults unsaid, and reads it back', () => {
    const c = { ...freshComposed('own-handler'), handler: customSpec(customFrom(HANDLERS['ocfs2@2.6.37'])) };
    const text = scenarioFileText(c);
    expect(text).toMatch(/^handler:\n {2}id: custom\n/m);
    expect(text).toMatch(/^ {4}- \{ op: /m);
    expect(readBack(c).handler).toEqual(c.handler);
  });

  it('starts from a scenario that validates', () => {
    const v = validateComposed(freshComposed());
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.scenario.id).toBe('my-scenario');
    expect(validateComposed(freshComposed('other')).ok && readBack(freshComposed('other')).id).toBe('other');
  });

  it('refuses what cannot run, naming the field', () => {
    const base = freshComposed();
    const paths = (c: ComposedScenario) => errorsOf(c).map((e) => e.path);
    expect(paths({ ...base, file: { pages: 4 }, actors: [freshActor('fault'), { kind: 'punch', from: 3, to: 1 }] })).toEqual(['actors.1.to']);
    expect(errorsOf({ ...base, expect: { exists: ['Sigbus(nobody)'] } })).toEqual([
      { path: 'expect.exists.0', message: expect.stringContaining('no actor "nobody"') },
    ]);
    expect(paths({ ...base, actors: Array.from({ length: 9 }, () => freshActor('fault')) })).toEqual(['actors']);
    expect(paths({ ...base, id: 'Not An Id' })).toEqual(['id']);
    expect(paths({ ...base, expect: { exists: ['Sigbus then'] } })).toEqual(['expect.exists.0']);
  });

  it('keeps a title with a colon, quotes, # and a leading * through the file', () => {
    const title = `*Really*: "the" page's #1 issue — 'quoted' # not a comment`;
    const c = { ...freshComposed('odd-title'), title };
    expect(readBack(c).title).toBe(title);
  });

  it('offers every actor kind with the fields the schema gives it', () => {
    expect(ACTOR_KINDS).toEqual(['fault', 'truncate', 'punch', 'downconvert', 'writeback', 'reclaim']);
    expect(ACTOR_FIELDS.punch.map((f) => f.name)).toEqual(['from', 'to', 'fs']);
    expect(ACTOR_FIELDS.writeback.every((f) => f.optional)).toBe(true);
    // Each kind's fresh actor is one a two-page file can run.
    for (const kind of ACTOR_KINDS) {
      expect(errorsOf({ ...freshComposed(), actors: [freshActor('fault'), freshActor(kind)] }), kind).toEqual([]);
    }
  });
});
