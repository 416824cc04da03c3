// storeClaims on a real database holding the bundled mail: every bundled claim stored once,
// anchored where the annotation says, re-runs change nothing, and problems are reported per
// file and claim while the rest is stored.

import { readSegments } from '../../lib/quote/stored';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../support/db';
import { prepare } from '../../lib/db/connection';
import { ingestBundled } from '../../lib/ingest/bundled';
import { storeClaims, type StoreClaimsResult } from '../../lib/claims/store';
import { defaultAnnotationsDir, loadAnnotations } from '../../lib/claims/load';
import type { LinkResult } from '../../lib/claims/types';
import { bundledScenarios } from './support';

const scenarios = bundledScenarios();
const bundledClaims = loadAnnotations().flatMap((f) => f.claims);

interface Row {
  id: number; key: string; messageId: number; exact: string; prefix: string; suffix: string; start: number; end: number;
  anchorScore: number; claimant: string; statement: string; kind: string; scenariosJson: string; verdict: string; source: string;
}

describe('storeClaims', () => {
  let store: Awaited<ReturnType<typeof freshDatabase>>;
  let first: StoreClaimsResult;
  const rows = () => prepare<[], Row>(store.writer, 'SELECT * FROM "Claim" ORDER BY "key"').all();
  const message = (id: number) => prepare<[number], { archiveId: string; body: string; segmentsJson: string; fromName: string }>(store.writer,
    'SELECT m."archiveId", t.body, t."segmentsJson", m."fromName" FROM "Message" m JOIN "MessageText" t ON t."messageId" = m.id WHERE m.id = ?').get(id)!;

  beforeAll(async () => {
    store = await freshDatabase();
    await ingestBundled(store.writer);
    first = await storeClaims(store.db, defaultAnnotationsDir, scenarios);
  });
  afterAll(() => store.close());

  it('stores every bundled claim, with no problem and no verdict the annotations do not expect', () => {
    expect(first.problems.map((p) => p.message)).toEqual([]);
    expect(first.warnings.map((p) => p.message)).toEqual([]);
    expect(first.disagreements).toEqual([]);
    expect(first.claims).toBe(bundledClaims.length);
    expect(first.stored).toBe(bundledClaims.length);
    expect(rows().map((r) => r.key)).toEqual(bundledClaims.map((c) => c.key).sort());
    expect(store.danglingReferences()).toEqual([]);
  });

  it('keeps a selector that matches the stored body, and the computed runs', () => {
    for (const r of rows()) {
      const m = message(r.messageId);
      expect(m.body.slice(r.start, r.end)).toBe(r.exact);
      expect(m.body.slice(0, r.start).endsWith(r.prefix)).toBe(true);
      expect(m.body.slice(r.end).startsWith(r.suffix)).toBe(true);
      expect(r.anchorScore).toBe(1);
      const spec = bundledClaims.find((c) => c.key === r.key)!;
      const links = JSON.parse(r.scenariosJson) as LinkResult[];
      expect(links.map((l) => l.scenario)).toEqual(spec.tests.map((t) => t.scenario));
      expect(links.every((l) => l.computed === l.expected)).toBe(true);
      expect(r.source).toBe(spec.file);
      expect([r.claimant, r.statement, r.kind]).toEqual([spec.claimant, spec.statement, spec.kind]);
    }
  });

  it("anchors Joel Becker's claims in the quotes of him in the seed, and Nick Piggin's in his own text", () => {
    const seedRows = rows().filter((r) => r.key.startsWith('ocfs2-devel/'));
    const seed = message(seedRows[0]!.messageId);
    expect(seed.fromName).toBe('Nick Piggin');
    expect(seedRows.every((r) => r.messageId === seedRows[0]!.messageId)).toBe(true);
    const segments = readSegments(seed.segmentsJson);
    const kindsAt = (r: Row) => [...new Set(segments.filter((s) => s.start < r.end && s.end > r.start).map((s) => s.kind))];
    for (const r of seedRows) expect(kindsAt(r), r.key).toEqual([r.claimant === 'Nick Piggin' ? 'new' : 'quote']);
    expect(seedRows.filter((r) => r.claimant === 'Joel Becker').length).toBeGreaterThanOrEqual(10);
  });

  it('changes nothing when run again, after the mail is ingested again', async () => {
    const before = rows();
    await ingestBundled(store.writer);
    const again = await storeClaims(store.db, defaultAnnotationsDir, scenarios);
    expect([again.stored, again.removed, again.problems.length]).toEqual([first.stored, 0, 0]);
    expect(rows()).toEqual(before);
  });

  it('reports bad files, absent messages and broken links by file and claim, and stores the rest', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-annotations-'));
    try {
      fs.mkdirSync(path.join(dir, 'linux-mm'));
      const kept = 'linux-mm/2017-02-03-jan-kara-vm-fault-retry.md';
      fs.copyFileSync(path.join(defaultAnnotationsDir, kept), path.join(dir, kept));
      fs.writeFileSync(path.join(dir, 'broken-yaml.md'), '```claim\nid: x\nstatement: a: b\n```\n');
      const claim = (id: string, message: string, exact: string, scenario = 'seed-nopage-retry') =>
        `\`\`\`claim\nid: ${id}\nmessage: ${message}\nclaimant: Someone\nkind: rule\nstatement: A claim.\nanchor: { exact: "${exact}" }\ntests: [{ scenario: ${scenario}, expect: supported }]\n\`\`\`\n\n`;
      fs.writeFileSync(path.join(dir, 'mixed.md'),
        claim('absent-message', '{ mid: nobody@example.org }', 'anything') +
        claim('absent-pipermail', '{ list: ocfs2-devel, from: npiggin@gmail.com, date: "2010-12-30T01:31:44-08:00" }', 'anything') +
        claim('unknown-scenario', '{ mid: 20170203150729.15863-1-jack@suse.cz }', 'Some ->page_mkwrite handlers', 'no-such-scenario') +
        claim('no-anchor', '{ mid: 20170203150729.15863-1-jack@suse.cz }', 'VM_FAULT_RETRY is handled perfectly well by the mm code') +
        claim('fine', '{ mid: 20170203150729.15863-1-jack@suse.cz }', 'Some ->page_mkwrite handlers may return VM_FAULT_RETRY'));
      const r = await storeClaims(store.db, dir, scenarios);
      const text = r.problems.map((p) => p.message);
      expect(text).toEqual([
        expect.stringMatching(/broken-yaml\.md:3: claim block is not valid YAML: /),
        expect.stringMatching(/mixed\.md:1: claim "absent-message": <nobody@example\.org> is not in the archive$/),
        expect.stringMatching(/mixed\.md:\d+: claim "absent-pipermail": the message from npiggin@gmail\.com on ocfs2-devel at 2010-12-30T01:31:44-08:00 is not in the archive; nearest from that sender on that list: \S+@archive\.invalid \(2010-12-31T09:31:44/),
        expect.stringMatching(/mixed\.md:\d+: claim "unknown-scenario": no scenario "no-such-scenario" in content\/scenarios$/),
        expect.stringMatching(/mixed\.md:\d+: claim "no-anchor": in 20170203150729\.15863-1-jack@suse\.cz: does not anchor in the new text of the message: .*closest candidates:\n {4}0\.\d\d/s),
      ]);
      expect(r.problems.map((p) => p.claim)).toEqual([undefined, 'absent-message', 'absent-pipermail', 'unknown-scenario', 'no-anchor']);
      expect(r.stored).toBe(3);
      expect(rows().map((x) => x.key)).toEqual([`${kept}#nopage-instead`, `${kept}#retry-unhandled`, 'mixed.md#fine']);
      expect(r.removed).toBe(first.stored - 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await storeClaims(store.db, defaultAnnotationsDir, scenarios);
    }
  });

  it('stores the computed verdict and reports the disagreement when an annotation expects another', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'threadlab-annotations-'));
    try {
      const text = fs.readFileSync(path.join(defaultAnnotationsDir, 'linux-kernel/2021-12-01-joseph-qi.md'), 'utf8');
      const wrong = text.replace(/verdict: refuted\n/, '').replaceAll('counterexample: true, expect: refuted', 'counterexample: true, expect: supported');
      expect(wrong).not.toBe(text);
      fs.writeFileSync(path.join(dir, 'qi.md'), wrong);
      const r = await storeClaims(store.db, dir, scenarios);
      expect(r.problems).toEqual([]);
      expect(r.disagreements.map((d) => [d.key, d.expected, d.computed, d.links.length])).toEqual([['qi.md#better-vm-fault-retry', 'supported', 'refuted', 2]]);
      expect(rows().find((x) => x.key === 'qi.md#better-vm-fault-retry')!.verdict).toBe('refuted');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await storeClaims(store.db, defaultAnnotationsDir, scenarios);
    }
  });
});
