// The bundled annotations: every claim parses, anchors exactly in the scope it names, and its
// verdict, computed by running its scenarios, is the one the annotation expects.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadAnnotations } from '../../lib/claims/load';
import { anchorClaim } from '../../lib/claims/anchor';
import { normalise } from '../../lib/claims/scope';
import { ScenarioRunner, computeVerdicts } from '../../lib/claims/verdict';
import type { ClaimSpec } from '../../lib/claims/types';
import { bundledMail, bundledScenarios, findBundled, type BundledMessage } from './support';

const files = loadAnnotations();
const claims: ClaimSpec[] = files.flatMap((f) => f.claims);
const runner = new ScenarioRunner(bundledScenarios());
const SCOPE_KIND = { new: 'new', quote: 'quote', diff: 'diff' } as const;

describe('bundled annotations', () => {
  let mail: BundledMessage[];
  beforeAll(async () => {
    mail = await bundledMail();
  });

  it('parse without problems', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
    expect(files.flatMap((f) => f.problems.map((p) => p.message))).toEqual([]);
  });

  it('annotate the seed (Nick Piggin), the quoted ghost (Joel Becker) and the 2009 linux-mm thread', () => {
    const by = (file: string) => claims.filter((c) => c.file.endsWith(file)).length;
    expect(by('2010-12-31-nick-piggin.md')).toBeGreaterThanOrEqual(15);
    expect(by('2010-12-31-joel-becker.md')).toBeGreaterThanOrEqual(10);
    const claimants = new Set(claims.map((c) => c.claimant));
    for (const who of ['Nick Piggin', 'Joel Becker', 'Trond Myklebust', 'Sage Weil']) expect(claimants).toContain(who);
    expect(new Set(claims.map((c) => c.key)).size).toBe(claims.length);
  });

  for (const c of claims) {
    it(`${c.key} anchors exactly, once, in its message's ${c.anchor.in} text`, () => {
      const m = findBundled(mail, c.message);
      expect(m, `message of ${c.key}`).toBeDefined();
      const r = anchorClaim(c, m!);
      if (!r.ok) throw new Error(r.problem.message);
      expect(r.anchored.match).toBe('exact');
      expect(r.warnings).toEqual([]);
      const found = r.anchored;
      // the anchored words are the annotation's words, markers and wrapping aside
      const marker = { new: /^$/, quote: /^(\s*>)+ ?/, diff: /^[-+ ]/ }[c.anchor.in];
      const words = m!.body.slice(found.start, found.end).split('\n').map((l, i) => (i === 0 ? l : l.replace(marker, ''))).join('\n');
      expect(normalise(words).replace(/ /g, '')).toBe(normalise(c.anchor.exact).replace(/ /g, ''));
      // and lie in segments of the scope the claim names
      const inside = m!.segments.filter((s) => s.start < found.end && s.end > found.start);
      expect(inside.length).toBeGreaterThan(0);
      expect(inside.every((s) => s.kind === SCOPE_KIND[c.anchor.in])).toBe(true);
    });

    it(`${c.key}: the computed verdict is the expected one`, () => {
      const v = computeVerdicts(c, runner);
      if (v instanceof Error) throw v;
      expect(v.disagreements.map((l) => `${l.scenario}@${l.era}/${l.handler}: computed ${l.computed}, expected ${l.expected} (${l.failed.join('; ')})`)).toEqual([]);
      expect(v.verdict).toBe(v.expected);
      expect(v.links.length).toBe(c.tests.length);
    });
  }

  it('claims of the quoted writer are anchored in quoted text, the writer\'s own claims in new text', () => {
    const joel = claims.filter((c) => c.file.endsWith('joel-becker.md'));
    expect(joel.every((c) => c.anchor.in === 'quote')).toBe(true);
    expect(claims.filter((c) => c.file.endsWith('nick-piggin.md') && c.file.includes('ocfs2-devel')).every((c) => c.anchor.in === 'new')).toBe(true);
  });

  it('cover every verdict a badge can show', () => {
    const verdicts = new Set(claims.map((c) => {
      const v = computeVerdicts(c, runner);
      return v instanceof Error ? 'error' : v.verdict;
    }));
    expect([...verdicts].sort()).toEqual(['depends', 'refuted', 'supported', 'untested']);
  });
});
