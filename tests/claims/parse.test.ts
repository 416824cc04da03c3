// The annotation syntax: what a claim block must hold, and how mistakes are reported.

import { describe, expect, it } from 'vitest';
import { parseAnnotations } from '../../lib/claims/parse';

const FILE = 'content/annotations/x.md';
const block = (yaml: string) => `\`\`\`claim\n${yaml}\n\`\`\`\n`;
const good = `id: c1
kind: rule
statement: Zero means success.
anchor: { exact: 0 has always meant minor fault }
tests: [{ scenario: seed-return-0-minor-fault, expect: supported }]`;
const front = `---\nmessage: { list: ocfs2-devel, from: npiggin@gmail.com, date: "2010-12-31T01:31:44-08:00" }\nclaimant: Nick Piggin\n---\n\n`;

describe('annotation files', () => {
  it('take defaults from the front matter and build keys from the file', () => {
    const text = front + block(good);
    const r = parseAnnotations(text, FILE, 'ocfs2-devel/x.md');
    expect(r.problems).toEqual([]);
    expect(r.defaults).toEqual({ message: { list: 'ocfs2-devel', from: 'npiggin@gmail.com', date: '2010-12-31T01:31:44-08:00' }, claimant: 'Nick Piggin' });
    // The block's span, fences included: what an edit replaces.
    expect(text.slice(...r.claims[0]!.span!)).toBe(block(good).trimEnd());
    expect(r.claims).toEqual([{
      id: 'c1', key: 'ocfs2-devel/x.md#c1', file: FILE, line: 6, span: r.claims[0]!.span,
      message: { list: 'ocfs2-devel', from: 'npiggin@gmail.com', date: '2010-12-31T01:31:44-08:00' },
      claimant: 'Nick Piggin', statement: 'Zero means success.', kind: 'rule',
      anchor: { exact: '0 has always meant minor fault', prefix: '', suffix: '', in: 'new' },
      tests: [{ scenario: 'seed-return-0-minor-fault', era: undefined, handler: undefined, counterexample: false, expect: 'supported' }],
    }]);
  });

  it('accept a Message-ID with or without angle brackets, and per-claim overrides', () => {
    const r = parseAnnotations(front + block(`${good}\nmessage: { mid: "<a@b>" }\nclaimant: Joel Becker`), FILE);
    expect(r.claims[0]!.message).toEqual({ mid: 'a@b' });
    expect(r.claims[0]!.claimant).toBe('Joel Becker');
  });

  it('ignore other fenced blocks and prose', () => {
    const r = parseAnnotations(`${front}# Title\n\n\`\`\`yaml\nid: not-a-claim\n\`\`\`\n\n${block(good)}`, FILE);
    expect(r.claims.map((c) => c.id)).toEqual(['c1']);
  });

  const problems = (text: string) => parseAnnotations(text, FILE).problems.map((p) => p.message);

  it('report a field error with the file, the line and the claim', () => {
    expect(problems(front + block(good.replace('kind: rule', 'kind: opinion')))).toEqual([
      `${FILE}:6: claim "c1": field "kind": Invalid option: expected one of "rule"|"history"|"proposal"|"question"`,
    ]);
    expect(problems(front + block(good.replace('Zero means success.', '"two\\nlines"')))).toEqual([`${FILE}:6: claim "c1": field "statement": one line`]);
    expect(problems(front + block(good.replace('expect: supported', 'expect: true')))[0]).toContain('field "tests.0.expect": expect is "supported" or "refuted"');
    expect(problems(front + block(good.replace('}]', ', era: "3.0" }]')))[0]).toContain('field "tests.0.era"');
  });

  it('report YAML errors at their line in the file, and go on with the next claim', () => {
    const text = front + block('id: bad\nstatement: a: b') + '\n' + block(good.replace('c1', 'c2'));
    const r = parseAnnotations(text, FILE);
    expect(r.problems.map((p) => p.message)).toEqual([expect.stringMatching(new RegExp(`^${FILE}:8: claim block is not valid YAML: `))]);
    expect(r.claims.map((c) => c.id)).toEqual(['c2']);
  });

  it('require a message, a claimant, and tests or a reason why none', () => {
    expect(problems(block(good))).toEqual([`${FILE}:1: claim "c1": no message: give "message" here or in the front matter`]);
    expect(problems(front + block(good.replace(/tests:.*/, '')))).toEqual([
      `${FILE}:6: claim "c1": no tests: link a scenario, or say why none can test the claim with "untested"`,
    ]);
    const untested = parseAnnotations(front + block(good.replace(/tests:.*/, 'untested: pfn mappings are not modelled')), FILE);
    expect(untested.problems).toEqual([]);
    expect(untested.claims[0]).toMatchObject({ tests: [], untested: 'pfn mappings are not modelled' });
  });

  it('reject a duplicate id, and a stated verdict the tests do not give', () => {
    expect(problems(front + block(good) + block(good))).toEqual([`${FILE}:13: claim "c1": the id is used twice in this file`]);
    const mixed = good.replace('tests: [', 'verdict: supported\ntests: [{ scenario: s, counterexample: true, expect: refuted }, ');
    expect(problems(front + block(mixed))).toEqual([
      `${FILE}:6: claim "c1": verdict "supported" does not follow from the tests' expectations, which give "depends"`,
    ]);
    expect(problems(front + block(mixed.replace('verdict: supported', 'verdict: depends')))).toEqual([]);
  });

  it('report a file with no claims, and a bad front matter', () => {
    expect(problems('# Nothing here\n')).toEqual([`${FILE}: no \`\`\`claim blocks`]);
    expect(problems(`---\nmessage: { list: ocfs2-devel }\n---\n\n${block(good)}`)[0]).toMatch(new RegExp(`^${FILE}:1: front matter: field "message"`));
  });
});
