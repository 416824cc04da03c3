// A claim block as the authoring form writes it reads back through the loader as the same claim,
// whatever its text holds (quotes, colons, YAML's indicators, backticks, other scripts), and
// adding, replacing or removing a block leaves every other byte of a hand-written file alone.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnnotations } from '../../lib/claims/parse';
import { annotationFileText, appendBlock, claimBlockText, removeBlock, replaceBlock, type ClaimDraft } from '../../lib/claims/write';
import { projectRoot } from '../../lib/db/url';

const AWKWARD = [
  'Returning 0 from ->page_mkwrite means "success" (a minor fault), not "try again".',
  'key: value # not a comment',
  '- starts like a list item',
  '* starts like an alias, & like an anchor, ! like a tag',
  '```claim fences ``` inside',
  'Ünïcödé — “typographic” quotes, and a tab\there',
  '@ at the start, % too',
  "it's 'quoted' both ways \"and\" back\\slashed",
  'true',
  '2.6.37',
];

const draft = (text: string, n: number): ClaimDraft => ({
  id: `claim-${n}`,
  message: n % 2 ? { mid: `${n}.${text.length}@example.org` } : { list: 'ocfs2-devel', from: 'npiggin@gmail.com', date: '2010-12-31T09:31:44.000Z' },
  claimant: n % 3 ? 'Nick Piggin' : 'Joel: Becker # quoted',
  kind: (['rule', 'history', 'proposal', 'question'] as const)[n % 4]!,
  statement: text.replace(/\t/g, ' '),
  anchor: { exact: text, prefix: n % 2 ? '' : text.slice(0, 5), suffix: n % 3 ? '' : 'after: it', in: (['new', 'quote', 'diff'] as const)[n % 3]! },
  tests: [
    { scenario: 'seed-nopage-retry', counterexample: false, expect: 'supported' },
    { scenario: 'seed-return-0-minor-fault', era: '2.6.29', handler: 'ocfs2@2.6.37', counterexample: true, expect: 'refuted' },
  ],
});

describe('claim blocks written by the authoring form', () => {
  it('read back through the loader as the claim written', () => {
    AWKWARD.forEach((text, n) => {
      const d = draft(text, n);
      const r = parseAnnotations(claimBlockText(d), 'x.md');
      expect(r.problems, text).toEqual([]);
      const { id, message, claimant, kind, statement, anchor, tests } = r.claims[0]!;
      expect({ id, message, claimant, kind, statement, anchor, tests: tests.map((t) => ({ ...t, era: t.era ?? undefined, handler: t.handler ?? undefined })) })
        .toEqual({ ...d, tests: d.tests.map((t) => ({ era: undefined, handler: undefined, ...t })) });
    });
  });

  it('make a new file whose front matter names the message and the claimant', () => {
    const d = draft(AWKWARD[0]!, 2);
    const text = annotationFileText({ title: 'Nick Piggin, "Re: Confused", 31 Dec 2010', message: d.message!, claimant: 'Nick Piggin' },
      claimBlockText({ ...d, message: undefined, claimant: undefined }));
    const r = parseAnnotations(text, 'x.md');
    expect(r.problems).toEqual([]);
    expect(r.defaults).toEqual({ message: d.message, claimant: 'Nick Piggin' });
    expect(r.claims[0]).toMatchObject({ message: d.message, claimant: 'Nick Piggin', statement: d.statement });
  });

  it('add, replace and remove a block of a hand-written file touching nothing else', () => {
    const file = path.join(projectRoot, 'content', 'annotations', 'ocfs2-devel', '2010-12-31-nick-piggin.md');
    const hand = fs.readFileSync(file, 'utf8');
    const block = claimBlockText({ ...draft(AWKWARD[1]!, 1), message: undefined, claimant: undefined });
    const added = appendBlock(hand, block);
    expect(added.startsWith(hand)).toBe(true);
    const parsed = parseAnnotations(added, 'x.md');
    expect(parsed.problems).toEqual([]);
    const mine = parsed.claims.find((c) => c.id === 'claim-1')!;
    expect(mine.claimant).toBe('Nick Piggin');
    const replaced = replaceBlock(added, mine.span!, claimBlockText({ ...draft(AWKWARD[2]!, 1), message: undefined, claimant: undefined }));
    expect(replaced.startsWith(hand)).toBe(true);
    expect(parseAnnotations(replaced, 'x.md').claims.find((c) => c.id === 'claim-1')!.statement).toBe(AWKWARD[2]);
    expect(removeBlock(replaced, parseAnnotations(replaced, 'x.md').claims.find((c) => c.id === 'claim-1')!.span!)).toBe(hand);
    // A block in the middle goes with the blank line that set it apart.
    const first = parseAnnotations(hand, 'x.md').claims[0]!;
    const without = removeBlock(hand, first.span!);
    expect(without).toBe(hand.slice(0, first.span![0]) + hand.slice(first.span![1]).replace(/^\n+/, ''));
    expect(parseAnnotations(without, 'x.md').claims.map((c) => c.id)).toEqual(parseAnnotations(hand, 'x.md').claims.slice(1).map((c) => c.id));
  });
});
