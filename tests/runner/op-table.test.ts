// The op table (lib/engine/handlers/ops.ts) is the one place handler ops are defined: every op
// it holds, with every value its fields take, is read back from a URL, loaded from a scenario
// file, compiled and offered by the editor, with nothing else to change.
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { HANDLERS, OPS, OP_NAMES, describePrograms, freshOp, opFields } from '@/lib/engine/index';
import type { HandlerOp, OpName, Scenario } from '@/lib/engine/index';
import { parseScenarioText } from '@/lib/scenarios/load';
import { decodeOps, encodeOps } from '@/app/components/runner/handler-code';
import { HandlerEditor } from '@/app/components/runner/HandlerEditor';

/** Every op `name` can be: each flag set or not, each choice's every value (or none), a return value. */
function variants(name: OpName): HandlerOp[] {
  let ops: Array<Record<string, unknown>> = [{ op: name }];
  for (const [field, f] of opFields(name)) {
    const values: unknown[] = f.kind === 'flag' ? [true] : f.kind === 'choice' ? [...f.values] : [(freshOp(name) as Record<string, unknown>)[field], '-ENOMEM', 'LOCKED|MAJOR'];
    const choices = f.optional ? [undefined, ...values] : values;
    ops = ops.flatMap((op) => choices.map((v) => (v === undefined ? op : { ...op, [field]: v })));
  }
  return ops as HandlerOp[];
}

const scenarioFile = (ops: HandlerOp[]) => `---
title: every op
era: "2.6.37"
handler: ${JSON.stringify({ fn: 'my_page_mkwrite', ops })}
file: { pages: 1 }
actors:
  - { kind: fault, index: 0 }
expect:
  exists: [WriteLanded]
---
`;

describe('the op table', () => {
  it('lists the ops every bundled handler is written in', () => {
    const used = new Set(Object.values(HANDLERS).flatMap((h) => h.ops.map((o) => o.op)));
    expect([...used].filter((name) => !OP_NAMES.includes(name))).toEqual([]);
    expect(OP_NAMES.length).toBeGreaterThanOrEqual(used.size);
  });

  it('every op, with every value of its fields, goes through a URL and comes back the same', () => {
    for (const name of OP_NAMES) {
      const ops = variants(name);
      expect(ops.length, name).toBeGreaterThan(0);
      for (const op of ops) expect(decodeOps(encodeOps([op])), encodeOps([op])).toEqual([op]);
    }
  });

  it('every op, with every value of its fields, loads from a scenario file and compiles', () => {
    for (const name of OP_NAMES) {
      const ops = [...variants(name), { op: 'return', ret: '0' } as HandlerOp];
      const r = parseScenarioText(scenarioFile(ops), `${name}.md`);
      if (!r.ok) throw new Error(r.errors.join('\n'));
      expect((r.scenario.handler as { ops: HandlerOp[] }).ops, name).toEqual(ops);
      const steps = describePrograms(r.scenario as Scenario)[0]!.steps;
      expect(steps.length, name).toBeGreaterThan(ops.length);
    }
  });

  it('a file may give an op only the fields its row has', () => {
    const r = parseScenarioText(scenarioFile([{ op: 'lockPage', sem: 'i_alloc_sem' } as unknown as HandlerOp, { op: 'return', ret: '0' }]), 'extra.md');
    expect(!r.ok && r.errors.join()).toMatch(/field "handler\.ops\.0": Unrecognized key: "sem"/);
    const s = parseScenarioText(scenarioFile([{ op: 'allocSem', sem: 'i_alloc_sem' } as HandlerOp, { op: 'return', ret: '0' }]), 'missing.md');
    expect(!s.ok && s.errors.join()).toMatch(/field "handler\.ops\.0\.mode"/);
  });

  it('a URL is read unambiguously: each op\'s optional tokens are its own, and a return value is always required', () => {
    for (const name of OP_NAMES) {
      const fields = opFields(name);
      const tokens = fields.filter(([, f]) => f.optional).flatMap(([field, f]) => (f.kind === 'choice' ? f.values : [field]));
      expect(new Set(tokens).size, name).toBe(tokens.length);
      expect(fields.filter(([, f]) => f.kind === 'ret' && f.optional), name).toEqual([]);
    }
  });

  it('the editor offers every op the table holds, by its text, and a control for each field', () => {
    const ops = OP_NAMES.map(freshOp);
    const html = renderToStaticMarkup(createElement(HandlerEditor, {
      scenario: { handler: 'block@2.6.37' },
      custom: { fn: 'f', errno: 'vmf_error', ops }, idPrefix: 'ed', headingLevel: 3, onChange() {},
    }));
    const first = /<select aria-label="Op 1">(.*?)<\/select>/.exec(html)?.[1] ?? '';
    const offered = [...first.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1], m[2]]);
    const escape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(offered).toEqual(OP_NAMES.map((name) => [name, escape(OPS[name].text)]));
    ops.forEach((op, i) => {
      for (const [, f] of opFields(op.op)) {
        const shown = f.kind === 'flag' || (f.kind === 'choice' && f.captioned) ? `>${escape(f.label)}<` : `aria-label="Op ${i + 1}: ${escape(f.label)}"`;
        expect(html, `${op.op}: ${f.label}`).toContain(shown);
      }
    });
  });
});
