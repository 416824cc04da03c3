/**
 * Segmentation, provenance and ghost text on the thread the site ships with
 * (content/thread), read with the mail layer as ingest reads it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { decode, readEml, readPipermailText, type ParsedMessage } from '../../lib/mail';
import { reconstructGhost } from '../../lib/quote/ghost';
import { QuoteIndex, linkQuotes, type QuotedAncestor } from '../../lib/quote/provenance';
import { segmentBody } from '../../lib/quote/segment';
import type { Segment } from '../../lib/quote/types';
import { expectContract, segmentStarting, view } from './helpers';

const threadDir = fileURLToPath(new URL('../../content/thread', import.meta.url));

interface Read {
  message: ParsedMessage;
  segments: Segment[];
}

/** The bundled messages by file number ("01" .. "12") and "seed". */
const read = new Map<string, Read>();
const get = (key: string) => read.get(key)!;
const asAncestor = (key: string): QuotedAncestor => ({ archiveId: key, body: get(key).message.body, segments: get(key).segments, isGhost: false });
const text = (key: string, s: Segment) => get(key).message.body.slice(s.start, s.end);

beforeAll(async () => {
  const add = (key: string, message: ParsedMessage) => read.set(key, { message, segments: segmentBody(message.body) });
  for (const list of ['linux-mm', 'linux-kernel']) {
    for (const name of readdirSync(join(threadDir, list)).sort()) {
      for await (const raw of readEml(join(threadDir, list, name))) add(name.slice(0, 2), await decode(raw));
    }
  }
  for await (const raw of readPipermailText(join(threadDir, 'ocfs2-devel', '2010-December-confused-by-commit-56a76f.txt'))) add('seed', await decode(raw));
});

describe('segmentation of the bundled thread', () => {
  it('keeps the segment contract on every message', () => {
    expect(read.size).toBe(13);
    for (const { message, segments } of read.values()) expectContract(message.body, segments);
  });

  it("splits the seed into Nick's text, the attribution naming Joel Becker, six quotes of Joel and the sign-off", () => {
    const { segments } = get('seed');
    expect(segments.map((s) => `${s.kind}:${s.depth}`)).toEqual([
      'new:0', 'attribution:0', 'quote:1', 'new:0', 'quote:1', 'new:0', 'quote:1', 'new:0', 'quote:1', 'new:0', 'quote:1', 'new:0', 'quote:1', 'new:0', 'signature:0',
    ]);
    expect(segments[1]).toMatchObject({ name: 'Joel Becker', address: 'Joel.Becker@oracle.com', dateText: 'Fri, Dec 31, 2010 at 10:29 AM' });
    expect(text('seed', segments[2]!)).toMatch(/^> Nick,\n>\s+While visiting some issues in ocfs2_page_mkwrite\(\)/);
    expect(text('seed', segments[14]!)).toBe('Thanks,\nNick');
  });

  it("splits Nick's patch 02 into changelog, trailers, diffstat, diff and the kvack footer", () => {
    const parts = view(get('02').message.body, get('02').segments);
    expect(parts.map(([k]) => k)).toEqual(['new:0', 'trailers:0', 'diffstat:0', 'diff:0', 'footer:0']);
    expect(parts[1]![1]).toBe('Acked-by: Chris Mason <chris.mason@oracle.com>\nSigned-off-by: Nick Piggin <npiggin@suse.de>\n');
    expect(parts[2]![1]).toMatch(/^---\n fs\/btrfs\/inode\.c \|\s+11 \+\+\+\+\+\+\+----\n fs\/buffer\.c\s+\|\s+12 \+\+\+\+\+\+\+\+----\n 2 files changed/);
    // Both files' hunks, from the first "Index:" to the last context line.
    expect(parts[3]![1]).toMatch(/^Index: linux-2\.6\/fs\/btrfs\/inode\.c\n={67}\n/);
    expect(parts[3]![1]).toContain('Index: linux-2.6/fs/buffer.c');
    expect(parts[3]![1].trimEnd().endsWith(' }')).toBe(true);
    expect(parts[4]![1]).toMatch(/^--\nTo unsubscribe, send a message with 'unsubscribe linux-mm' in\n/);
  });

  it("takes Jan Kara's format-patch tail apart: diff, then the \"-- \" version signature, then the footer", () => {
    const kinds = get('10').segments.map((s) => `${s.kind}:${s.depth}`);
    expect(kinds).toEqual(['new:0', 'trailers:0', 'diffstat:0', 'diff:0', 'signature:0', 'footer:0']);
    expect(text('10', get('10').segments[4]!)).toMatch(/^-- \n2\.10\.2\n/);
  });

  it("keeps the patch Joseph Qi quotes from Dan Carpenter (12) one depth-1 quote, after his sign-off", () => {
    const { segments } = get('12');
    const signOff = segmentStarting(get('12').message.body, segments, 'Thanks,');
    expect(signOff.segment.kind).toBe('signature');
    const patch = segments[signOff.index + 1]!;
    expect(patch).toMatchObject({ kind: 'quote', depth: 1 });
    expect(text('12', patch)).toMatch(/^> Fixes: 5cffff9e2986[\s\S]*> diff --git a\/fs\/ocfs2\/aops\.c[\s\S]*> \+\t\t\*fsdata = wc;/);
  });
});

describe('provenance in the bundled thread', () => {
  it("links Trond's quote (03) to the changelog of Nick's patch 02", () => {
    const [source, ...rest] = linkQuotes({ body: get('03').message.body, segments: get('03').segments }, [asAncestor('02'), asAncestor('01')]);
    expect(rest).toEqual([]);
    expect(source).toMatchObject({ segment: 1, sourceArchiveId: '02', match: 'exact', score: 1 });
    const span = get('02').message.body.slice(source!.sourceStart!, source!.sourceEnd!);
    expect(span.startsWith('page_mkwrite is called with neither the page lock nor the ptl held.')).toBe(true);
    expect(span.endsWith('should be fixed in a similar\nmanner.')).toBe(true);
  });

  it("links Sage's depth-2 quote (04) to Nick's patch and his depth-1 quotes to Trond", () => {
    const index = new QuoteIndex();
    const sources = linkQuotes({ body: get('04').message.body, segments: get('04').segments }, [asAncestor('03'), asAncestor('02'), asAncestor('01')], index);
    const start = (key: string, s: (typeof sources)[number]) => get(key).message.body.slice(s.sourceStart!, s.sourceStart! + 38);
    expect(sources.map((s) => [get('04').segments[s.segment]!.depth, s.sourceArchiveId, s.match])).toEqual([
      [2, '02', 'exact'],
      [1, '03', 'exact'],
      [1, '03', 'exact'],
    ]);
    expect(start('02', sources[0]!)).toBe('page_mkwrite is called with neither th');
    expect(start('03', sources[1]!)).toBe('There appears to be another atomicity ');
    expect(start('03', sources[2]!)).toBe('How then is the filesystem supposed to');
  });

  it('links each depth of Nick\'s reply 05 one generation further up', () => {
    const sources = linkQuotes({ body: get('05').message.body, segments: get('05').segments }, [asAncestor('04'), asAncestor('03'), asAncestor('02')]);
    const byDepth = new Map(sources.map((s) => [get('05').segments[s.segment]!.depth, s.sourceArchiveId]));
    expect([...byDepth]).toEqual([
      [3, '02'],
      [2, '03'],
      [1, '04'],
    ]);
    expect(sources.every((s) => s.match === 'exact')).toBe(true);
  });

  it("links the patch Joseph Qi quotes to Dan Carpenter's diff", () => {
    const sources = linkQuotes({ body: get('12').message.body, segments: get('12').segments }, [asAncestor('11')]);
    const patch = sources.at(-1)!;
    expect(patch).toMatchObject({ sourceArchiveId: '11', match: 'exact' });
    const span = get('11').message.body.slice(patch.sourceStart!, patch.sourceEnd!);
    expect(span.startsWith('Fixes: 5cffff9e2986')).toBe(true);
    expect(span).toContain('+\t\t*fsdata = wc;');
  });
});

describe('ghost text in the bundled thread', () => {
  it("rebuilds Joel Becker's message from the seed's quotes, and provenance finds each quote in it", () => {
    const seed = get('seed');
    const quotes = seed.segments.flatMap((s, i) => (s.kind === 'quote' && s.depth === 1 ? [i] : []));
    const ghost = reconstructGhost([{ body: seed.message.body, segments: seed.segments, quotes }], 'ghost:joel');
    // The indents are no-break spaces, as on the pipermail page.
    expect(ghost.body).toMatch(/^Nick,\n\s+While visiting some issues in ocfs2_page_mkwrite\(\), I realized\nthat we're returning 0/);
    // Fragments the seed split mid-sentence join up again.
    expect(ghost.body).toMatch(/but the caller\nof page_mkwrite\(\) now expects VM_FAULT_NOPAGE\./);
    expect(ghost.body).toMatch(/gets a\ndifferent\.\s+Is that safe behavior\?$/);
    expect(ghost.body).not.toContain('[...]');
    expect(ghost.body).not.toMatch(/^>/m);
    expect(ghost.sources[0]!.map((s) => [s.segment, s.match])).toEqual(quotes.map((q) => [q, 'exact']));
    const viaProvenance = linkQuotes(
      { body: seed.message.body, segments: seed.segments },
      [{ archiveId: 'ghost:joel', body: ghost.body, segments: ghost.segments, isGhost: true }],
    );
    viaProvenance.forEach((p, k) => {
      const own = ghost.sources[0]![k]!;
      expect(p).toMatchObject({ segment: own.segment, sourceArchiveId: 'ghost:joel', match: 'exact' });
      expect(ghost.body.slice(p.sourceStart!, p.sourceEnd!)).toBe(ghost.body.slice(own.sourceStart!, own.sourceEnd!).trim());
    });
  });

  it("rebuilds Nick's 3 March patch mail, absent here, from Christoph's quotes (07) and Nick's quotes of them (08)", () => {
    const christoph = get('07');
    const nick = get('08');
    const depth = (r: Read, d: number) => r.segments.flatMap((s, i) => (s.kind === 'quote' && s.depth === d ? [i] : []));
    const ghost = reconstructGhost(
      [
        // Christoph replies to the missing mail; Nick replies to Christoph, so his depth-2 quotes are of it.
        { body: christoph.message.body, segments: christoph.segments },
        { body: nick.message.body, segments: nick.segments, quotes: depth(nick, 2) },
      ],
      '20090303103838.GC17042@wotan.suse.de',
    );
    // Both quote the same two passages: merged, not repeated.
    expect(ghost.body).toBe(
      [
        'Change the page_mkwrite prototype to take a struct vm_fault, and return',
        'VM_FAULT_xxx flags. Same as ->fault handler. Should be no change in',
        'behaviour.',
        'This is required for a subsequent fix. And will also make it easier to',
        'merge page_mkwrite() with fault() in future.',
      ].join('\n'),
    );
    expect(ghost.sources.map((s) => s.map((q) => ghost.body.slice(q.sourceStart!, q.sourceEnd!).split('\n')[0]))).toEqual([
      ['Change the page_mkwrite prototype to take a struct vm_fault, and return', 'This is required for a subsequent fix. And will also make it easier to'],
      ['Change the page_mkwrite prototype to take a struct vm_fault, and return', 'This is required for a subsequent fix. And will also make it easier to'],
    ]);
  });
});
