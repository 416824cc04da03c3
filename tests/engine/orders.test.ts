// Order expectations: events (what a fault returned, who locked the page, file_update_time,
// the moments outcomes are recorded) put in order and checked on the explored graph by an
// automaton run beside the model. Checked here against what runs themselves show: every
// witness, replayed, has the events in that order; every random run that has them is one the
// search says exists; and partial-order reduction changes no answer.
import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, explore, parsePattern, randomRun, replay } from '../../lib/engine/index';
import type { Scenario } from '../../lib/engine/index';
import { ERRNO, parseRet } from '../../lib/engine/vmfault';
import { scenarioSchema } from '../../lib/engine/scenario';
import { bundled, scenario } from './helpers';

// ---------------------------------------------------------------- a matcher of its own

interface Seen { name: string; who: string; value?: number }

/** A replayed step's event text (`Returned(VM_FAULT_NOPAGE, fault[0])`) read back. */
function seen(text: string): Seen {
  const m = /^(\w+)\((.*)\)$/.exec(text)!;
  const args = m[2]!;
  const comma = args.indexOf(', ');
  if (['Returned', 'MkwriteReturned'].includes(m[1]!)) {
    const r = parseRet(args.slice(0, comma));
    return { name: m[1]!, who: args.slice(comma + 2), value: 'bits' in r ? r.bits : -ERRNO[r.errno] };
  }
  return { name: m[1]!, who: args };
}

/** Whether one event is what an atom of a pattern asks (`Returned(NOPAGE)`: has that bit; `Returned(0)`: exactly 0). */
function fits(atom: string, e: Seen): boolean {
  const m = /^(\w+)(?:\((.*)\))?$/.exec(atom.trim())!;
  if (m[1] !== e.name) return false;
  if (m[2] === undefined) return true;
  if (e.value === undefined) return m[2] === e.who;
  const [value, who] = m[2].split(/,\s*/);
  if (who !== undefined && who !== e.who) return false;
  const r = parseRet(value!);
  if ('errno' in r) return e.value === -ERRNO[r.errno];
  return r.bits === 0 ? e.value === 0 : e.value >= 0 && (e.value & r.bits) === r.bits;
}

/** Whether a run's events (in order) show the pattern, read straight off the sequence. */
function shows(pattern: string, events: Seen[]): boolean {
  if (pattern.includes(' before ')) {
    const [a, b] = pattern.split(' before ');
    for (const e of events) {
      if (fits(a!, e)) return true;
      if (fits(b!, e)) return false;
    }
    return false;
  }
  const atoms = pattern.split(' then ');
  let k = 0;
  for (const e of events) if (k < atoms.length && fits(atoms[k]!, e)) k++;
  return k === atoms.length;
}

const eventsOf = (sc: Scenario, trace: string) => replay(sc, trace).steps.flatMap((s) => s.events.map(seen));

const PATTERNS = [
  ...EVENT_NAMES.filter((e) => !['Returned', 'MkwriteReturned'].includes(e)).map((e) => `${e}`),
  'Returned(0)', 'Returned(NOPAGE)', 'Returned(SIGBUS)', 'Returned(OOM)', 'Returned(LOCKED)', 'Returned(WRITE)',
  'MkwriteReturned(0)', 'MkwriteReturned(NOPAGE)', 'MkwriteReturned(LOCKED)', 'MkwriteReturned(SIGBUS)', 'MkwriteReturned(-EINVAL)',
  'Retried then Sigbus', 'Returned(NOPAGE) then Retried', 'Returned(0) then Retried then WriteLanded', 'MkwriteReturned(0) then LockedByVm',
  'LockedByFs then FileTimeUpdated', 'WriteLanded before Retried', 'Retried before WriteLanded', 'WriteLanded then WriteDiscarded',
  'Sigbus before WriteLanded', 'FileTimeUpdated then WriteLanded', 'WriteLanded then WrittenBack', 'DataLost before WriteLanded',
];

/** The scenario asking only whether each pattern exists. */
const asking = (sc: Scenario, patterns: readonly string[]): Scenario => ({ ...sc, expect: { exists: [...patterns] } });
const single = (p: string) => parsePattern(p).kind === 'outcome';

describe('order expectations', () => {
  it('are parsed, and refused with a reason', () => {
    expect(parsePattern('Sigbus(B)')).toMatchObject({ kind: 'outcome', atom: { name: 'Sigbus', who: 'B' } });
    expect(parsePattern('Retried then Sigbus(fault[1]) then WrittenBack')).toMatchObject({ kind: 'then', atoms: [{ name: 'Retried' }, { name: 'Sigbus', who: 'fault[1]' }, { name: 'WrittenBack' }] });
    expect(parsePattern('Returned(NOPAGE|MAJOR, punch[0,1)) before WriteLanded')).toMatchObject({ kind: 'before', atoms: [{ name: 'Returned', who: 'punch[0,1)', value: { text: 'VM_FAULT_MAJOR|VM_FAULT_NOPAGE' } }, { name: 'WriteLanded' }] });
    expect(parsePattern('FileTimeUpdated')).toMatchObject({ kind: 'then', atoms: [{ name: 'FileTimeUpdated' }] });
    expect(() => parsePattern('Retried then Deadlock')).toThrow('Deadlock is how a run ends, not a moment in it');
    expect(() => parsePattern('Returned(MAYBE)')).toThrow('Returned(MAYBE): unknown VM_FAULT bit "MAYBE"');
    expect(() => parsePattern('A before B before C')).toThrow('one "before" at most');
    expect(() => parsePattern('Retried then Sigbus before WriteLanded')).toThrow('"then" and "before" cannot be mixed');
    expect(() => parsePattern('Segfault')).toThrow('"Segfault" is neither an outcome');
  });

  it('are refused by the loader under always, and when they name an actor the scenario lacks', () => {
    const { body: _body, source: _source, ...sc } = scenario('block-56a76f-nopage');
    const issues = (expect: Record<string, string[]>) => scenarioSchema.safeParse({ ...sc, expect }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(issues({ exists: ['Retried then WriteLanded(fault[0])'], never: ['WriteLanded before Retried'] })).toEqual([]);
    expect(issues({ always: ['Retried then Sigbus'] })).toEqual([expect.stringMatching(/^expect\.always\.0: always lists outcomes .* put events in order under exists or never$/)]);
    expect(issues({ exists: ['Retried then Sigbus(B)'] })).toEqual(['expect.exists.0: no actor "B" in this scenario (actors: fault[0], punch[0,1))']);
    expect(issues({ never: ['Returned(SOON)'] })).toEqual([expect.stringMatching(/^expect\.never\.0: Returned\(SOON\): unknown VM_FAULT bit "SOON"/)]);
  });

  it('say what the thread says of NOPAGE: 56a76f82 retries the punched page and the store lands; the retry never ends in SIGBUS', () => {
    const sc: Scenario = {
      ...scenario('block-56a76f-nopage'),
      expect: {
        exists: ['MkwriteReturned(NOPAGE) then Returned(NOPAGE) then Retried then WriteLanded', 'LockedByFs then MkwriteReturned(0) then LockedByVm'],
        never: ['Returned(NOPAGE) then Sigbus', 'WriteLanded before Retried'],
      },
    };
    const r = explore(sc);
    expect(r.expectations.map((e) => [e.outcomes[0], e.verdict])).toEqual([
      ['MkwriteReturned(NOPAGE) then Returned(NOPAGE) then Retried then WriteLanded', 'pass'],
      ['LockedByFs then MkwriteReturned(0) then LockedByVm', 'pass'],
      ['Returned(NOPAGE) then Sigbus', 'pass'],
      ['WriteLanded before Retried', 'fail'],
    ]);
    const witness = r.expectations[0]!.trace!;
    expect(shows(r.expectations[0]!.outcomes[0]!, eventsOf(sc, witness))).toBe(true);
  });

  it('see file_update_time where the VM calls it (2.6.37) and not where ->page_mkwrite must (6.x)', () => {
    const base = scenario('ocfs2-mmap-truncate');
    const ask = (era: Scenario['era']) => explore({ ...base, era, expect: { exists: ['FileTimeUpdated then WriteLanded'], never: ['FileTimeUpdated'] } }).expectations.map((e) => e.verdict);
    expect(ask('2.6.37')).toEqual(['pass', 'fail']);
    expect(ask('6.x')).toEqual(['fail', 'pass']);
    // A 6.x ->page_mkwrite that updates the times itself, as the 2012 series asks.
    const modern: Scenario = {
      ...base, era: '6.x',
      handler: { id: 'modern', title: 'updates the times itself', fn: 'fs_page_mkwrite', errno: 'vmf_error', ops: [{ op: 'fileUpdateTime' }, { op: 'lockPage' }, { op: 'return', ret: 'LOCKED' }] },
      expect: { exists: ['FileTimeUpdated then LockedByFs then MkwriteReturned(LOCKED) then WriteLanded'], never: ['LockedByVm'] },
    };
    expect(explore(modern).expectations.map((e) => e.verdict)).toEqual(['pass', 'pass']);
  });

  it('keep their answers under symmetry reduction; an order naming one of two twins tells them apart', () => {
    const twins: Scenario = {
      id: 'twins', title: 'two stores at one index and a truncate', era: '2.6.37', handler: 'block@2.6.37', file: { pages: 2 },
      actors: [{ kind: 'fault', index: 1 }, { kind: 'fault', index: 1 }, { kind: 'truncate', to: 1 }],
      expect: { exists: ['Retried then Sigbus', 'MkwriteReturned(NOPAGE) then Retried then WriteDiscarded', 'WriteLanded before Retried'], never: ['Sigbus then WriteLanded'] },
    };
    const on = explore(twins), off = explore(twins, { symmetry: false });
    expect(on.stats.symmetry).toBe(true);
    expect(on.stats.states).toBeLessThan(off.stats.states);
    const reached = (r: typeof on) => Object.fromEntries(Object.entries(r.orders).map(([p, x]) => [p, x.reachable]));
    expect(reached(on)).toEqual(reached(off));
    for (const [p, x] of Object.entries(on.orders)) if (x.trace) expect({ p, shown: shows(p, eventsOf(twins, x.trace)) }).toEqual({ p, shown: true });

    const named = { ...twins, expect: { exists: ['WriteLanded(fault[1]) before Retried(fault[1]#2)', 'WriteLanded(fault[1]#2) before Retried(fault[1])'] } };
    const apart = explore(named);
    expect(apart.stats.symmetry).toBe(false);
    expect(reached(apart)).toEqual(reached(explore(named, { symmetry: false, reduction: false })));
    for (const [p, x] of Object.entries(apart.orders)) if (x.trace) expect({ p, shown: shows(p, eventsOf(named, x.trace)) }).toEqual({ p, shown: true });
  });

  it('agree with every run: witnesses replay to the events in order, random runs find nothing the search missed, reduction changes nothing', () => {
    let witnesses = 0, runs = 0;
    for (const sc of bundled()) {
      const ordered = PATTERNS.filter((p) => !single(p)); // an outcome alone is how a run ends: outcomes.test.ts
      const q = asking(sc, ordered);
      const on = explore(q);
      const off = explore(q, { reduction: false });
      expect(on.complete && off.complete, sc.id).toBe(true);
      const reached = (r: typeof on) => Object.fromEntries(Object.entries(r.orders).map(([p, x]) => [p, x.reachable]));
      expect(reached(on), sc.id).toEqual(reached(off));
      for (const [p, x] of Object.entries(on.orders)) {
        if (!x.trace) continue;
        witnesses++;
        expect({ id: sc.id, p, shown: shows(p, eventsOf(q, x.trace)) }).toEqual({ id: sc.id, p, shown: true });
      }
      for (let seed = 1; seed <= 60; seed++) {
        const run = randomRun(q, seed);
        runs++;
        const events = run.steps.flatMap((s) => s.events.map(seen));
        for (const p of ordered) if (shows(p, events)) expect({ id: sc.id, seed, p, reachable: on.orders[p]!.reachable }).toMatchObject({ reachable: true });
      }
    }
    expect(witnesses).toBeGreaterThan(200);
    expect(runs).toBeGreaterThan(1000);
  });
});
