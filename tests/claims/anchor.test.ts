// Anchoring against altered copies of the bundled mail: re-wrapped, moved, duplicated, edited,
// re-scoped. Failures must name the file and the claim and show the closest candidates.

import { beforeAll, describe, expect, it } from 'vitest';
import { anchorClaim, anchorText, FUZZY_MIN } from '../../lib/claims/anchor';
import { parseAnnotations } from '../../lib/claims/parse';
import { loadAnnotations } from '../../lib/claims/load';
import { normalise } from '../../lib/claims/scope';
import { segmentBody } from '../../lib/quote/segment';
import { quoteDepth } from '../../lib/quote/quote-depth';
import type { ClaimSpec } from '../../lib/claims/types';
import { bundledMail, findBundled, type BundledMessage } from './support';

const FILE = 'content/annotations/broken.md';

/** One claim as an annotation file would give it. */
function claim(anchor: Record<string, string>): ClaimSpec {
  const yaml = Object.entries(anchor).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join('\n');
  const text = `Some prose.\n\n\`\`\`claim\nid: the-claim\nmessage: { mid: test@example.org }\nclaimant: Nick Piggin\nkind: rule\nstatement: A claim.\nanchor:\n${yaml}\ntests: [{ scenario: seed-nopage-retry, expect: supported }]\n\`\`\`\n`;
  const parsed = parseAnnotations(text, FILE, 'broken.md');
  expect(parsed.problems).toEqual([]);
  return parsed.claims[0]!;
}

const target = (body: string, archiveId = 'test@example.org') => ({ archiveId, body, segments: segmentBody(body) });

/** Re-wraps every paragraph (a run of non-blank lines of one quote depth) at `width`, as another mail client would. */
function rewrap(body: string, width: number): string {
  const out: string[] = [];
  let para: { depth: number; words: string[] } | null = null;
  const flush = () => {
    if (!para) return;
    const marker = '> '.repeat(para.depth);
    let line = '';
    for (const w of para.words) {
      if (line && marker.length + line.length + 1 + w.length > width) { out.push(marker + line); line = w; } else line = line ? `${line} ${w}` : w;
    }
    if (line) out.push(marker + line);
    para = null;
  };
  for (const raw of body.split('\n')) {
    const { depth, text } = quoteDepth(raw);
    if (text.trim() === '' || /wrote:$/.test(raw)) {
      flush();
      out.push(raw);
      continue;
    }
    if (para && para.depth !== depth) flush();
    para ??= { depth, words: [] };
    para.words.push(...text.trim().split(/\s+/));
  }
  flush();
  return out.join('\n');
}

const squash = (s: string) => normalise(s).replace(/[\s>]/g, '');

describe('anchoring', () => {
  let mail: BundledMessage[];
  let seed: BundledMessage;
  const seedClaims = loadAnnotations().flatMap((f) => f.claims).filter((c) => c.file.includes('ocfs2-devel/'));
  beforeAll(async () => {
    mail = await bundledMail();
    seed = findBundled(mail, seedClaims[0]!.message)!;
  });

  it('survives re-wrapping: every seed claim lands on the same words in a copy wrapped at 38 columns', () => {
    const wrapped = target(rewrap(seed.body, 38));
    expect(wrapped.body).not.toBe(seed.body);
    expect(seedClaims.length).toBeGreaterThanOrEqual(25);
    for (const c of seedClaims) {
      const before = anchorClaim(c, seed);
      const after = anchorClaim(c, wrapped);
      if (!before.ok) throw new Error(before.problem.message);
      if (!after.ok) throw new Error(after.problem.message);
      expect(after.anchored.match, c.key).toBe('exact');
      expect(squash(wrapped.body.slice(after.anchored.start, after.anchored.end)), c.key)
        .toBe(squash(seed.body.slice(before.anchored.start, before.anchored.end)));
    }
  });

  it('survives a moved paragraph: the words are found where they went; a stale prefix is a warning', () => {
    const para = 'Well you just return NOPAGE and the VM throws the page away.\n';
    const body = seed.body.replace(para, '') + '\n' + para;
    const c = claim({ exact: 'Well you just return NOPAGE and the VM throws the page away.', prefix: 'if a pagecache flush has dropped it?' });
    const r = anchorClaim(c, target(body));
    if (!r.ok) throw new Error(r.problem.message);
    expect(body.slice(r.anchored.start, r.anchored.end)).toBe(para.trim());
    expect(r.anchored.start).toBeGreaterThan(body.indexOf('Thanks,'));
    expect(r.warnings.map((w) => w.message).join('\n')).toMatch(/broken\.md:\d+: claim "the-claim": .*prefix\/suffix do not match/);
  });

  it('tolerates small edits by fuzzy matching, with a score and a warning', () => {
    const c = claim({ exact: '0 has always meant a minor fault, which means the file system satisfied the request without doing I/O.' });
    const r = anchorClaim(c, seed);
    if (!r.ok) throw new Error(r.problem.message);
    expect(r.anchored.match).toBe('fuzzy');
    expect(r.anchored.score).toBeGreaterThanOrEqual(FUZZY_MIN);
    expect(r.anchored.score).toBeLessThan(1);
    expect(seed.body.slice(r.anchored.start, r.anchored.end)).toBe('0 has always meant minor fault, which means the filesystem satisfied\nthe request without doing IO.');
    expect(r.warnings[0]!.message).toContain('anchored by fuzzy match');
  });

  it('fails on words that are not there, naming the file, the claim and the closest candidates', () => {
    const c = claim({ exact: 'Returning zero from page_mkwrite is always a bug in the filesystem.' });
    const r = anchorClaim(c, seed);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const m = r.problem.message;
    expect(r.problem.file).toBe(FILE);
    expect(r.problem.claim).toBe('the-claim');
    expect(m).toMatch(/^content\/annotations\/broken\.md:\d+: claim "the-claim": in \S+: does not anchor in the new text of the message: the closest text scores 0\.\d\d \(a fuzzy match needs 0\.85\)/);
    const lines = m.split('closest candidates:')[1]!.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l.trim()).toMatch(/^0\.\d\d \(context 1\.00\) at line \d+: "\.\.\..*«.+».*\.\.\."$/);
  });

  it('fails when the words moved to another message, showing what the named one has instead', () => {
    const trond = mail.find((m) => m.messageId === '1236895724.7179.71.camel@heimdal.trondhjem.org')!;
    const c = claim({ exact: 'NOPAGE basically means no further action on part of the VM is required.' });
    const r = anchorClaim(c, trond);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.message).toContain(`claim "the-claim": in ${trond.archiveId}: does not anchor`);
    expect(r.problem.message).toContain('closest candidates:');
  });

  it('fails when the words occur twice and nothing tells them apart, listing both; a prefix settles it', () => {
    const para = 'If the filesystem returns 0, it means minor fault, and the VM will actually\ninstall the page (unless the hack to check page->mapping catches it).\n';
    const body = seed.body.replace('Thanks,\n', `${para}\nThanks,\n`);
    const exact = 'If the filesystem returns 0, it means minor fault';
    const r = anchorClaim(claim({ exact }), target(body));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.message).toMatch(/broken\.md:\d+: claim "the-claim": in test@example\.org: anchors ambiguously: 2 places in the new text match equally well/);
    const lines = r.problem.message.split('closest candidates:')[1]!.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.includes('«If the filesystem returns 0, it means minor fault»'))).toBe(true);

    const settled = anchorClaim(claim({ exact, prefix: 'which is potentially confusing at best, I would have thought.' }), target(body));
    if (!settled.ok) throw new Error(settled.problem.message);
    expect(settled.anchored.start).toBeGreaterThan(body.indexOf('confusing at best'));
  });

  it('looks only in the scope it names, and says where the words are instead', () => {
    const exact = 'we\'re returning 0 to mean "Please try again Mr VM"';
    const inNew = anchorClaim(claim({ exact }), seed);
    expect(inNew.ok).toBe(false);
    if (!inNew.ok) expect(inNew.problem.message).toContain('the exact text is in the quoted text (anchor "in: quote")');
    const inQuote = anchorClaim(claim({ exact, in: 'quote' }), seed);
    expect(inQuote.ok).toBe(true);
    // and quoted words never anchor a claim about the new text, however close
    const quotedOnly = anchorText(seed.body, seed.segments, { exact: 'At this late stage, we -EINVAL (clearly wrong).', prefix: '', suffix: '', in: 'new' });
    expect(quotedOnly.ok).toBe(false);
  });

  it('reads typographic quotes and any wrapping in the selector as the plain text', () => {
    const r = anchorText(seed.body, seed.segments, { exact: 'we\u2019re returning 0 to mean \u201cPlease try again\n    Mr VM\u201d', prefix: '', suffix: '', in: 'quote' });
    expect(r.ok && r.match).toBe('exact');
  });

  it('a message with nothing in the scope fails clearly', () => {
    const r = anchorText('Just new text.\n', segmentBody('Just new text.\n'), { exact: 'new text', prefix: '', suffix: '', in: 'diff' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe('the message has no patch; the exact text is in the new text (anchor "in: new")');
  });
});
