// Outcomes are per actor: each names whom it concerns (`DataLost(fault[1])`), every
// faulting task's store ends in one of its own, so no terminal state goes without an
// outcome, and expectations may name an actor or mean any.
import { describe, expect, it } from 'vitest';
import { actorNames, explore, parseOutcomeLabel, replay, scenarioSchema } from '../../lib/engine/index';
import type { Scenario } from '../../lib/engine/index';
import { parseScenarioText } from '../../lib/scenarios/load';
import { bundled, randomScenario } from './helpers';

/** The fault tasks of `sc` that a terminal class shows no outcome for. */
function tasksWithoutOutcome(sc: Scenario, labels: readonly string[]): string[] {
  const whom = new Set(labels.map((l) => parseOutcomeLabel(l)?.who));
  const names = actorNames(sc.actors);
  return sc.actors.flatMap((a, i) => (a.kind === 'fault' && !whom.has(names[i]!) ? [names[i]!] : []));
}

describe('outcomes per actor', () => {
  it('every terminal state of every bundled scenario shows an outcome of each of its faulting tasks', () => {
    for (const sc of bundled()) {
      const r = explore(sc);
      expect(r.complete, sc.id).toBe(true);
      for (const c of r.classes) expect({ id: sc.id, classes: c.outcomes, missing: tasksWithoutOutcome(sc, c.outcomes) }).toMatchObject({ missing: [] });
    }
  });

  it('so does every terminal state of random scenarios of 3 to 6 actors, in every era and with every handler', () => {
    let explored = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const sc = randomScenario(seed);
      // A scenario a file could hold: the loader's checks pass.
      expect(scenarioSchema.safeParse(sc).error?.issues ?? [], `seed ${seed}`).toEqual([]);
      const r = explore(sc, { maxStates: 300_000, maxMillis: 20_000 });
      explored += r.stats.terminals;
      for (const c of r.classes) {
        expect({ seed, classes: c.outcomes, missing: tasksWithoutOutcome(sc, c.outcomes) }).toMatchObject({ missing: [] });
        // Each terminal's labels are what replaying its trace shows.
        expect(replay(sc, c.trace).labels.sort()).toEqual([...c.outcomes].sort());
      }
    }
    expect(explored).toBeGreaterThan(500);
  });

  it('random scenarios reach the same outcome labels with reduction on and off', () => {
    let compared = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const sc = randomScenario(seed);
      const full = explore(sc, { reduction: false, maxStates: 100_000 });
      if (!full.complete) continue; // a partial search's labels say nothing about the whole
      const por = explore(sc, { reduction: true });
      expect(por.complete, `seed ${seed}`).toBe(true);
      const classes = (r: typeof por) => r.classes.map((c) => c.outcomes.join('+')).sort();
      expect({ seed, classes: classes(por) }).toEqual({ seed, classes: classes(full) });
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(30);
  });

  const two: Scenario = {
    id: 'two-stores', title: 'two stores and a truncate between them', era: '2.6.37', handler: 'ocfs2@3.2', file: { pages: 1 },
    actors: [{ kind: 'fault', name: 'A', index: 0 }, { kind: 'truncate', to: 0 }, { kind: 'fault', name: 'B', index: 0 }],
    expect: { exists: ['WriteDiscarded(A)', 'Sigbus(B)', 'Sigbus'], never: ['WriteLanded(A)', 'WriteLanded'] },
  };

  it('keeps each task’s store apart: a later store does not overwrite an earlier one’s record', () => {
    const r = explore(two);
    expect(r.expectations.map((e) => [e.kind, e.outcomes.join(), e.verdict])).toEqual([
      ['exists', 'WriteDiscarded(A)', 'pass'], ['exists', 'Sigbus(B)', 'pass'], ['exists', 'Sigbus', 'pass'],
      ['never', 'WriteLanded(A)', 'pass'], ['never', 'WriteLanded', 'pass'],
    ]);
    // Both stores landed, then truncate discarded both pages' data: an outcome each.
    expect(r.classes.map((c) => c.outcomes.join(' '))).toContain('WriteDiscarded(A) WriteDiscarded(B)');
    expect(r.labels['Sigbus(A)']!.reachable && r.labels['Sigbus(B)']!.reachable).toBe(true);
    // An outcome whoever it concerns counts a terminal state once.
    expect(r.outcomes.Sigbus.terminals).toBeLessThan(r.labels['Sigbus(A)']!.terminals + r.labels['Sigbus(B)']!.terminals);
  });

  it('gives two tasks at one index names of their own, and refuses two actors named alike', () => {
    const same: Scenario = { ...two, actors: [{ kind: 'fault', index: 0 }, { kind: 'fault', index: 0 }, { kind: 'truncate', to: 0 }], expect: { exists: ['Sigbus(fault[0]#2)'] } };
    expect(actorNames(same.actors)).toEqual(['fault[0]', 'fault[0]#2', 'truncate(0)']);
    const r = explore(same);
    expect(r.expectations[0]!.verdict).toBe('pass');
    expect(r.classes.map((c) => c.outcomes.join(' '))).toContain('WriteDiscarded(fault[0]) WriteDiscarded(fault[0]#2)');
    const file = `---\ntitle: t\nera: "2.6.37"\nhandler: ocfs2@3.2\nfile: { pages: 1 }\nactors: [{ kind: fault, name: A, index: 0 }, { kind: fault, name: A, index: 0 }]\nexpect: { exists: [Sigbus] }\n---\n`;
    expect(parseScenarioText(file, 'twins.md')).toMatchObject({ ok: false, errors: ['twins.md: field "actors.1.name": another actor is named "A": each actor\'s outcomes are named by it'] });
  });

  it('an expectation about an actor the scenario lacks is an error naming it', () => {
    expect(() => explore({ ...two, expect: { exists: ['Sigbus(C)'] } })).toThrow('no actor "C" in this scenario (in Sigbus(C))');
  });

  it('the scenario loader checks the actor an expectation names, and wants a faulting task', () => {
    const file = (expectations: string, actors = '[{ kind: fault, name: A, index: 0 }, { kind: truncate, to: 0 }]') =>
      `---\ntitle: t\nera: "2.6.37"\nhandler: ocfs2@3.2\nfile: { pages: 2 }\nactors: ${actors}\nexpect: ${expectations}\n---\n`;
    // In a flow sequence YAML reads [ and ] itself: a label with them is quoted there.
    expect(parseScenarioText(file(`{ exists: [Sigbus(A), 'DataLost(page[1])'] }`), 'ok.md').ok).toBe(true);
    expect(parseScenarioText(file('{ exists: [Sigbus(A), DataLost(page[1])] }'), 'flow.md')).toMatchObject({
      ok: false, errors: ['flow.md: front matter is not valid YAML at line 7, column 44: Missing , or : between flow sequence items'],
    });
    expect(parseScenarioText(file('{ exists: [Sigbus(B)] }'), 'bad.md')).toMatchObject({
      ok: false, errors: ['bad.md: field "expect.exists.0": no actor "B" in this scenario (actors: A, truncate(0); pages: page[1])'],
    });
    expect(parseScenarioText(file('{ exists: [Sigbus(A)] }', '[{ kind: truncate, to: 0 }]'), 'nofault.md')).toMatchObject({
      ok: false, errors: [expect.stringMatching(/field "actors": at least one fault actor/), expect.stringMatching(/field "expect.exists.0": no actor "A"/)],
    });
  });
});
