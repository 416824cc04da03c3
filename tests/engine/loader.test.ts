import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenarioText } from '../../lib/scenarios/load';
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
    const r2 = parseScenarioText(valid.replace('handler: block@2.6.37', 'handler: ext5@1.0'), 'd.md');
    expect(!r2.ok && r2.errors.join()).toMatch(/d\.md: field "handler": unknown handler "ext5@1.0"/);
  });
  it('the CLI prints JSON for one scenario and exits 0 when it passes', () => {
    const p = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'lib/cli/scenarios.ts'), '--json', 'ocfs2-late-einval-sigbus'], { cwd: repoRoot, encoding: 'utf8' });
    expect(p.status).toBe(0);
    const out = JSON.parse(p.stdout);
    expect(out[0].scenario.id).toBe('ocfs2-late-einval-sigbus');
    expect(out[0].expectations.every((e: { verdict: string }) => e.verdict === 'pass')).toBe(true);
  });
  it('the CLI exits non-zero on an unknown id', () => {
    const p = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'lib/cli/scenarios.ts'), 'no-such-scenario'], { cwd: repoRoot, encoding: 'utf8' });
    expect(p.status).not.toBe(0);
    expect(p.stderr).toMatch(/no-such-scenario/);
  });
});
