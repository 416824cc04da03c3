// What an expectation says, parsed: an outcome (how a run ends: `Sigbus`, `DataLost(B)`), or
// events in order, checked by a small automaton run beside the model (the explorer explores
// their product, as model checkers do for such properties):
//
//   Returned(NOPAGE)                      some fault attempt returns VM_FAULT_NOPAGE
//   Retried then Sigbus(B)                 a retry, and later B gets SIGBUS
//   WriteLanded before Retried             a store lands while no fault has been retried yet
//
// `A then B then C`: each happens, in this order (not necessarily next to each other).
// `A before B`: A happens at a moment when B has not happened yet (B may never happen).

import { EVENT_NAMES, eventIndex, isValued, parseValue, type EventName, type Happening, type ValueMatch } from './events';
import { OUTCOME_NAMES, type OutcomeName } from './outcomes';

export interface Atom {
  name: EventName | OutcomeName;
  /** The actor it concerns (its name); any actor when absent. */
  who?: string;
  value?: ValueMatch;
}

export type Pattern =
  | { kind: 'outcome'; text: string; atom: Atom & { name: OutcomeName } }
  | { kind: 'then'; text: string; atoms: Atom[] }
  | { kind: 'before'; text: string; atoms: [Atom, Atom] };

const ATOM = /^([A-Za-z]+)(?:\((.*)\))?$/;

function parseAtom(text: string, alone: boolean): Atom {
  const m = ATOM.exec(text.trim());
  const name = m?.[1];
  const isEvent = name !== undefined && (EVENT_NAMES as string[]).includes(name);
  const isOutcome = name !== undefined && (OUTCOME_NAMES as string[]).includes(name);
  if (!m || (!isEvent && !isOutcome)) {
    throw new Error(`"${text.trim()}" is neither an outcome (${OUTCOME_NAMES.join(', ')}) nor an event (${EVENT_NAMES.filter((e) => !(OUTCOME_NAMES as string[]).includes(e)).join(', ')})`);
  }
  if (!isEvent && !alone) throw new Error(`${name} is how a run ends, not a moment in it: it cannot be put in order (use it alone)`);
  const args = m[2]?.trim();
  if (args === undefined) return { name: name as EventName };
  if (args === '') throw new Error(`${name}(): name an actor${isEvent && isValued(name as EventName) ? ' or a value' : ''}, or leave out the brackets`);
  if (isEvent && isValued(name as EventName)) {
    const comma = args.indexOf(',');
    const value = (comma < 0 ? args : args.slice(0, comma)).trim();
    let parsed: ValueMatch;
    try { parsed = parseValue(value); } catch (e) { throw new Error(`${name}(${args}): ${(e as Error).message}`); }
    const who = comma < 0 ? undefined : args.slice(comma + 1).trim();
    return who ? { name: name as EventName, value: parsed, who } : { name: name as EventName, value: parsed };
  }
  return { name: name as EventName, who: args };
}

/** Parse an expectation; throws an Error saying what is wrong. */
export function parsePattern(text: string): Pattern {
  const t = text.trim();
  const before = t.split(/\s+before\s+/);
  if (before.length > 2) throw new Error(`"${t}": one "before" at most (A before B)`);
  if (before.length === 2) {
    if (/\s+then\s+/.test(t)) throw new Error(`"${t}": "then" and "before" cannot be mixed`);
    return { kind: 'before', text: t, atoms: [parseAtom(before[0]!, false), parseAtom(before[1]!, false)] };
  }
  const parts = t.split(/\s+then\s+/);
  if (parts.length === 1) {
    const atom = parseAtom(t, true);
    if ((OUTCOME_NAMES as string[]).includes(atom.name)) return { kind: 'outcome', text: t, atom: atom as Atom & { name: OutcomeName } };
    return { kind: 'then', text: t, atoms: [atom] };
  }
  return { kind: 'then', text: t, atoms: parts.map((p) => parseAtom(p, false)) };
}

/** The actors a pattern names. */
export const namedIn = (p: Pattern): string[] => (p.kind === 'outcome' ? [p.atom] : p.atoms).flatMap((a) => (a.who === undefined ? [] : [a.who]));

// ---------------------------------------------------------------- automata

interface Watch { event: number; actor: number; value?: ValueMatch }

/**
 * One order expectation as an automaton whose state is one slot of the product's vector.
 * `then`: how many atoms have happened in order (accepting at all of them; taking each atom's
 * first match is enough for a sequence). `before`: 0 waiting, 1 the first happened first
 * (accepting), 2 the second did.
 */
export interface Monitor {
  text: string;
  kind: 'then' | 'before';
  watches: Watch[];
}

export function monitorOf(p: Pattern & { kind: 'then' | 'before' }, actors: readonly string[]): Monitor {
  return {
    text: p.text,
    kind: p.kind,
    watches: p.atoms.map((a) => {
      const actor = a.who === undefined ? -1 : actors.indexOf(a.who);
      if (a.who !== undefined && actor < 0) throw new Error(`no actor "${a.who}" in this scenario (in ${p.text}; actors: ${actors.join(', ')})`);
      return { event: eventIndex(a.name as EventName), actor, ...(a.value ? { value: a.value } : {}) };
    }),
  };
}

const matches = (w: Watch, h: Happening) => w.event === h.event && (w.actor < 0 || w.actor === h.actor) && (!w.value || w.value.test(h.value));

/** Whether a happening is one the monitor looks at (in any of its states): a step emitting one is visible to it. */
export const watched = (m: Monitor, h: Happening) => m.watches.some((w) => matches(w, h));

export function advance(m: Monitor, state: number, h: Happening): number {
  if (m.kind === 'then') return state < m.watches.length && matches(m.watches[state]!, h) ? state + 1 : state;
  if (state !== 0) return state;
  return matches(m.watches[0]!, h) ? 1 : matches(m.watches[1]!, h) ? 2 : 0;
}

export const accepting = (m: Monitor, state: number) => (m.kind === 'then' ? state === m.watches.length : state === 1);
