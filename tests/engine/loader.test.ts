import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../lib/scenarios/load';
import { explore } from '../../lib/engine/index';
import { repoRoot } from './helpers';

const valid = `---
title: t
era: "2.6.37"
handler: block@2.6.37
file: { pages: 1 }
actors:
  - { kind: fault, index: 0 }
expect:
  exists: [WriteLanded]
---

Prose.
`;

describe('scenario files', () => {
  it('parses front matter and keeps the prose', () => {
    const r = parseScenarioText(valid, 'content/scenarios/ok.md');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.scenario.id).toBe('ok');
      expect(r.scenario.body).toBe('Prose.');
    }
  });
  it('an invalid field is reported with the file and the field', () => {
    const r = parseScenarioText(valid.replace('"2.6.37"', '"2.6.99"'), 'content/scenarios/bad-era.md');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(/content\/scenarios\/bad-era\.md: field "era"/);
  });
  it('a nested field is named by its path', () => {
    const r = parseScenarioText(valid.replace('kind: fault, index: 0', 'kind: fault, index: 9'), 'x.md');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join('\n')).toMatch(/x\.md: field "actors\.0\.index"/);
  });
  it('an unknown outcome and a missing front matter are errors too', () => {
    const r1 = parseScenarioText(valid.replace('[WriteLanded]', '[Landed]'), 'y.md');
    expect(!r1.ok && r1.errors.join()).toMatch(/field "expect\.exists\.0"/);
    const r2 = parseScenarioText('# no front matter', 'z.md');
    expect(!r2.ok && r2.errors.join()).toMatch(/z\.md: missing YAML front matter/);
  });
  it('errors inside a composable handler name the op', () => {
    const r = parseScenarioText(valid.replace('handler: block@2.6.37', 'handler: { ops: [{ op: lockPage }, { op: return, ret: "LOKED" }] }'), 'c.md');
    expect(!r.ok && r.errors.join()).toMatch(/c\.md: field "handler\.ops\.1\.ret": not a return value/);
    const r1 = parseScenarioText(valid.replace('handler: block@2.6.37', 'handler: { ops: [{ op: lockPage }, { op: unlockPage }] }'), 'e.md');
    expect(!r1.ok && r1.errors).toEqual(['e.md: field "handler.ops": the last op must be "return" (what ->page_mkwrite returns)']);
    const r2 = parseScenarioText(valid.replace('handler: block@2.6.37', 'handler: ext5@1.0'), 'd.md');
    expect(!r2.ok && r2.errors.join()).toMatch(/d\.md: field "handler": unknown handler "ext5@1.0"/);
  });
  it('what the model cannot hold is refused, each naming its field', () => {
    const errors = (front: string) => {
      const r = parseScenarioText(front, 'sem.md');
      return r.ok ? [] : r.errors;
    };
    const two = valid.replace('file: { pages: 1 }', 'file: { pages: 2 }');
    expect(errors(two.replace('- { kind: fault, index: 0 }', '- { kind: fault, index: 0 }\n  - { kind: punch, from: 1, to: 1 }'))).toEqual([
      'sem.md: field "actors.1.to": a hole punch [from, to) needs from < to (from 1, to 1)',
    ]);
    expect(errors(two.replace('- { kind: fault, index: 0 }', '- { kind: fault, index: 2 }'))).toEqual([
      'sem.md: field "actors.0.index": page 2 is not in the file (file.pages: 2, indices 0..1)',
    ]);
    expect(errors(two.replace('file: { pages: 2 }', 'file: { pages: 2, size: 1 }'))).toEqual([
      'sem.md: field "pages.1": page 1 lies past i_size (file.size 1 pages) and is cached by default: describe it with cached: false',
    ]);
    expect(errors(two.replace('file: { pages: 2 }', 'file: { pages: 2, size: 1 }\npages: { 1: { cached: false, pte: ro } }'))).toEqual([
      'sem.md: field "pages.1.pte": page 1 is not cached, so no PTE can map it',
    ]);
    expect(errors(two.replace('file: { pages: 2 }', 'file: { pages: 2, size: 1 }\npages: { 1: { cached: false } }'))).toEqual([]);
    expect(errors(valid.replace('expect:', 'limits: { states: 0 }\nexpect:'))).toEqual([expect.stringMatching(/^sem\.md: field "limits\.states": /)]);
  });
  it('takes up to 8 actors and 8 pages', () => {
    const sized = (actors: number, pages: number) => parseScenarioText(valid
      .replace('file: { pages: 1 }', `file: { pages: ${pages} }`)
      .replace('  - { kind: fault, index: 0 }', Array.from({ length: actors }, (_, i) => `  - { kind: fault, index: ${i % pages} }`).join('\n')), 'big.md');
    const big = sized(8, 8);
    if (!big.ok) throw new Error(big.errors.join());
    expect(explore(big.scenario, { maxStates: 20_000 }).stats.states).toBeGreaterThan(1000);
    expect(sized(9, 8)).toMatchObject({ ok: false, errors: [expect.stringMatching(/field "actors"/)] });
    expect(sized(8, 9)).toMatchObject({ ok: false, errors: [expect.stringMatching(/field "file\.pages"/)] });
  });
  it('a scenario may set its own search limits; the caller\'s win', () => {
    const r = parseScenarioText(valid.replace('expect:', 'limits: { states: 3 }\nexpect:'), 'lim.md');
    if (!r.ok) throw new Error(r.errors.join());
    const own = explore(r.scenario);
    expect(own.complete).toBe(false);
    expect(own.reason).toBe('state limit of 3 reached');
    expect(explore(r.scenario, { maxStates: 1000 }).complete).toBe(true);
  });
  it('the CLI takes search limits', () => {
    const p = spawnSync(process.execPath, [path.join(repoRoot, 'lib/cli/launch.mjs'), path.join(repoRoot, 'lib/cli/scenarios.ts'), '--json', '--max-states', '5', 'ocfs2-late-einval-sigbus'], { cwd: repoRoot, encoding: 'utf8' });
    expect(JSON.parse(p.stdout)[0]).toMatchObject({ complete: false, reason: 'state limit of 5 reached' });
    const bad = spawnSync(process.execPath, [path.join(repoRoot, 'lib/cli/launch.mjs'), path.join(repoRoot, 'lib/cli/scenarios.ts'), '--max-millis', 'soon'], { cwd: repoRoot, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--max-millis takes a whole number above 0, not soon/);
  });
  it('the CLI prints JSON for one scenario and exits 0 when it passes', () => {
    const p = spawnSync(process.execPath, [path.join(repoRoot, 'lib/cli/launch.mjs'), path.join(repoRoot, 'lib/cli/scenarios.ts'), '--json', 'ocfs2-late-einval-sigbus'], { cwd: repoRoot, encoding: 'utf8' });
    expect(p.status).toBe(0);
    const out = JSON.parse(p.stdout);
    expect(out[0].scenario.id).toBe('ocfs2-late-einval-sigbus');
    expect(out[0].expectations.every((e: { verdict: string }) => e.verdict === 'pass')).toBe(true);
  });
  it('the CLI exits non-zero on an unknown id', () => {
    const p = spawnSync(process.execPath, [path.join(repoRoot, 'lib/cli/launch.mjs'), path.join(repoRoot, 'lib/cli/scenarios.ts'), 'no-such-scenario'], { cwd: repoRoot, encoding: 'utf8' });
    expect(p.status).not.toBe(0);
    expect(p.stderr).toMatch(/no-such-scenario/);
  });
});
