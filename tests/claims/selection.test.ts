// A selection's anchor anchors back where it was made: over every scope of every bundled message,
// selections of sentences, of single words the mail repeats, and of cut words.

import { beforeAll, describe, expect, it } from 'vitest';
import { anchorText } from '../../lib/claims/anchor';
import { bodyRange, scopeText } from '../../lib/claims/scope';
import { anchorFromScope, MAX_EXACT } from '../../lib/claims/selection';
import { ANCHOR_SCOPES, type AnchorScope } from '../../lib/claims/types';
import { bundledMail, type BundledMessage } from './support';

/** Each bundled message's scopes with text, as the page shows them (normalised). */
interface Scoped { m: BundledMessage; scope: AnchorScope; text: string; pieces: [number, number][]; range: (from: number, to: number) => [number, number] }

let scoped: Scoped[];
beforeAll(async () => {
  scoped = (await bundledMail()).flatMap((m) => ANCHOR_SCOPES.flatMap((scope) => {
    const st = scopeText(m.body, m.segments, scope);
    return st.text.trim() ? [{ m, scope, text: st.text, pieces: st.pieces, range: (from: number, to: number) => bodyRange(st, from, to) }] : [];
  }));
});

/** Anchors text[from, to) and expects the anchor to land on exactly that range of the body. */
function roundTrip({ m, scope, text, range }: Scoped, from: number, to: number) {
  const r = anchorFromScope(text, from, to);
  const where = `${m.archiveId} ${scope} [${from}, ${to}) ${JSON.stringify(text.slice(from, to))}`;
  if (!r.ok) throw new Error(`${where}: ${r.message}`);
  const back = anchorText(m.body, m.segments, { ...r, in: scope });
  expect(back.ok ? [back.start, back.end] : back.message, where).toEqual(range(from, to));
  expect(back.ok && back.warnings, where).toEqual([]);
  return r;
}

const words = (text: string) => [...text.matchAll(/[\p{L}\p{N}_]+/gu)].map((w) => [w.index, w.index + w[0].length] as const);

describe('anchorFromScope', () => {
  it('finds the bundled mail in every scope', () => {
    expect(new Set(scoped.map((s) => s.scope))).toEqual(new Set(ANCHOR_SCOPES));
  });

  // A page never lets a selection cross from one piece of a scope into another: what lies between is another scope, or no scope.
  it('anchors every 7th sentence back where it was selected', () => {
    let n = 0;
    for (const s of scoped) {
      const sentences = s.pieces.flatMap(([a, b]) =>
        [...s.text.slice(a, b).matchAll(/[^ ][^.!?]*[.!?]?/g)].map((x) => [a + x.index, a + x.index + x[0].trimEnd().length] as const));
      for (const [from, to] of sentences.filter((_, i) => i % 7 === 0)) {
        if (to - from > MAX_EXACT || !/[\p{L}\p{N}]/u.test(s.text.slice(from, to))) continue;
        roundTrip(s, from, to);
        n++;
      }
    }
    expect(n).toBeGreaterThan(50);
  });

  // Except where the words around two places differ in a character or two (a patch's - and + lines):
  // then the reader is told to select more, and the selection that takes in the difference anchors.
  it('tells apart the places of a word the mail repeats with the least context', () => {
    let withContext = 0;
    const refused: string[] = [];
    for (const s of scoped) {
      // (every 4th in a patch: its prototypes repeat "struct page *page" dozens of times)
      const pages = words(s.text).filter(([a, b]) => s.text.slice(a, b) === 'page').filter((_, i) => s.scope !== 'diff' || i % 4 === 0);
      for (const [from, to] of pages) {
        const alone = anchorFromScope(s.text, from, to);
        if (!alone.ok) {
          expect(alone.reason).toBe('repeated');
          expect(s.scope).toBe('diff');
          refused.push(`${s.scope} ${s.text.slice(from - 20, to + 20)}`);
          const longer = words(s.text).filter(([a]) => a > to).slice(0, 12).map(([, b]) => b).find((b) => anchorFromScope(s.text, from, b).ok);
          roundTrip(s, from, longer!);
          continue;
        }
        const r = roundTrip(s, from, to);
        if (s.text.split('page').length > 2) {
          expect(r.prefix || r.suffix).not.toBe('');
          expect(r.prefix.length + r.suffix.length).toBeLessThan(2 * 96);
          withContext++;
        } else expect([r.prefix, r.suffix]).toEqual(['', '']);
      }
    }
    expect(withContext).toBeGreaterThan(20);
  });

  it('anchors every repeated word of the seed message', () => {
    const seed = scoped.find((s) => s.scope === 'new' && s.m.list === 'linux-mm')!;
    const all = words(seed.text);
    const counts = new Map<string, number>();
    for (const [a, b] of all) counts.set(seed.text.slice(a, b), (counts.get(seed.text.slice(a, b)) ?? 0) + 1);
    for (const [a, b] of all.filter(([a, b]) => counts.get(seed.text.slice(a, b))! > 1)) roundTrip(seed, a, b);
  });

  it('widens a selection that cuts a word to the whole word', () => {
    const text = 'the filesystem returns VM_FAULT_SIGBUS from ->page_mkwrite when truncated';
    expect(anchorFromScope(text, 6, 9)).toMatchObject({ ok: true, exact: 'filesystem' });
    expect(anchorFromScope(text, 25, 60)).toMatchObject({ ok: true, exact: 'VM_FAULT_SIGBUS from ->page_mkwrite when' });
  });

  it('gives context on the side that tells two places apart', () => {
    const text = 'lock the page first. Then unlock the page again.';
    const first = anchorFromScope(text, 9, 13);
    const at = text.lastIndexOf('page');
    const second = anchorFromScope(text, at, at + 4);
    expect(first).toMatchObject({ ok: true, exact: 'page' });
    expect(second).toMatchObject({ ok: true, exact: 'page' });
    if (first.ok && second.ok) expect([first.prefix || first.suffix, second.prefix || second.suffix]).not.toContain('');
  });

  it('refuses an empty selection, whitespace and a too long one', () => {
    expect(anchorFromScope('some words here', 4, 4)).toMatchObject({ ok: false, reason: 'empty' });
    expect(anchorFromScope('some  words', 4, 5)).toMatchObject({ ok: false, reason: 'empty' });
    const long = 'word '.repeat(300);
    expect(anchorFromScope(long, 0, long.length)).toMatchObject({ ok: false, reason: 'too-long' });
  });

  it('refuses words that stand in the same words everywhere', () => {
    const text = 'page '.repeat(100).trim();
    expect(anchorFromScope(text, 250, 254)).toMatchObject({ ok: false, reason: 'repeated' });
  });
});
