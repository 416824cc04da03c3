import { describe, expect, it } from 'vitest';
import { threadMessages } from '../../lib/thread/index';
import { checkInvariants, message, nodeOf, outline, outlines, threadOf } from './build';

const at = (hour: number) => `2024-01-01T${String(hour).padStart(2, '0')}:00:00Z`;

describe('JWZ over Message-ID / In-Reply-To / References', () => {
  it('keeps a ghost for a missing parent that holds several replies together', () => {
    const inputs = [
      message({ id: 'b@x', references: ['a@x'], date: at(1) }),
      message({ id: 'c@x', references: ['a@x'], date: at(2) }),
    ];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(outlines(result)).toEqual(['a@x\n  b@x\n  c@x']);
    expect(result.ghosts).toEqual([
      { key: 'a@x', messageId: 'a@x', authorName: null, authorAddress: null, dateText: null, date: null },
    ]);
    expect(nodeOf(result, 'b@x')).toMatchObject({ parentKey: 'a@x', parentBy: 'references' });
  });

  it('promotes the only reply of a missing root and drops the ghost', () => {
    const inputs = [message({ id: 'b@x', inReplyTo: 'a@x', references: ['a@x'] })];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(outlines(result)).toEqual(['b@x']);
    expect(result.ghosts).toEqual([]);
  });

  it('splices out a missing message in the middle of a chain', () => {
    const inputs = [
      message({ id: 'a@x', date: at(1) }),
      message({ id: 'c@x', inReplyTo: 'b@x', references: ['a@x', 'b@x'], date: at(3) }),
    ];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(outlines(result)).toEqual(['a@x\n  c@x']);
    // The link to a@x came from References through the missing b@x.
    expect(nodeOf(result, 'c@x')).toMatchObject({ parentKey: 'a@x', parentBy: 'references' });
  });

  it('promotes the replies of a missing message inside a thread to its parent', () => {
    const inputs = [
      message({ id: 'a@x', date: at(1) }),
      message({ id: 'c@x', references: ['a@x', 'b@x'], date: at(3) }),
      message({ id: 'd@x', references: ['a@x', 'b@x'], date: at(4) }),
    ];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(outlines(result)).toEqual(['a@x\n  c@x\n  d@x']);
  });

  it('breaks a reference loop (A refs B, B refs A) without losing either message', () => {
    for (const order of [[0, 1], [1, 0]]) {
      const both = [
        message({ id: 'a@x', references: ['b@x'], date: at(1) }),
        message({ id: 'b@x', references: ['a@x'], date: at(2) }),
      ];
      const inputs = order.map((i) => both[i]!);
      const result = threadMessages(inputs);
      checkInvariants(inputs, result);
      expect(result.threads).toHaveLength(1);
      expect(result.threads[0]!.nodes).toHaveLength(2);
    }
  });

  it('breaks a longer loop through a ghost', () => {
    const inputs = [
      message({ id: 'a@x', references: ['c@x', 'b@x'], date: at(1) }),
      message({ id: 'b@x', references: ['a@x', 'c@x'], date: at(2) }),
      message({ id: 'c@x', references: ['b@x', 'a@x'], date: at(3) }),
    ];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(result.threads).toHaveLength(1);
    expect(result.threads[0]!.nodes.map((n) => n.key).sort()).toEqual(['a@x', 'b@x', 'c@x']);
  });

  it('tolerates a message that references itself', () => {
    const inputs = [
      message({ id: 'a@x', inReplyTo: 'a@x', references: ['a@x'] }),
      message({ id: 'b@x', inReplyTo: 'a@x', references: ['b@x', 'a@x'], date: at(2) }),
    ];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(outlines(result)).toEqual(['a@x\n  b@x']);
    expect(result.ghosts).toEqual([]);
  });

  it('trusts In-Reply-To over a misordered References, in either arrival order', () => {
    // d answers c; its References list c before b, though b is not c's parent.
    const a = message({ id: 'a@x', date: at(1) });
    const b = message({ id: 'b@x', inReplyTo: 'a@x', references: ['a@x'], date: at(2) });
    const c = message({ id: 'c@x', inReplyTo: 'a@x', references: ['a@x'], date: at(3) });
    const d = message({ id: 'd@x', inReplyTo: 'c@x', references: ['a@x', 'c@x', 'b@x'], date: at(4) });
    for (const inputs of [[a, b, c, d], [d, c, b, a]]) {
      const result = threadMessages(inputs);
      checkInvariants(inputs, result);
      expect(outlines(result)).toEqual(['a@x\n  b@x\n  c@x\n    d@x']);
      expect(nodeOf(result, 'd@x')).toMatchObject({ parentKey: 'c@x', parentBy: 'in-reply-to' });
      expect(nodeOf(result, 'b@x')).toMatchObject({ parentKey: 'a@x', parentBy: 'in-reply-to' });
    }
  });

  it('lets a message\'s own headers override what other messages\' References implied', () => {
    // e's References claim b is c's parent; c itself says a, and c wins whenever it arrives.
    const a = message({ id: 'a@x', date: at(1) });
    const b = message({ id: 'b@x', references: ['a@x'], date: at(2) });
    const c = message({ id: 'c@x', references: ['a@x'], date: at(3) });
    const e = message({ id: 'e@x', references: ['a@x', 'b@x', 'c@x'], date: at(5) });
    for (const inputs of [[a, b, c, e], [e, a, b, c]]) {
      const result = threadMessages(inputs);
      checkInvariants(inputs, result);
      expect(outlines(result)).toEqual(['a@x\n  b@x\n  c@x\n    e@x']);
    }
  });

  it('never merges threads by subject', () => {
    const inputs = [
      message({ id: 'a@x', subject: 'Status', date: at(1) }),
      message({ id: 'b@x', subject: 'Status', date: at(2) }),
      message({ id: 'c@x', subject: 'Re: Status', date: at(3), body: 'Agreed.' }),
    ];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(outlines(result)).toEqual(['a@x', 'b@x', 'c@x']);
  });

  it('orders siblings and threads by date, then key; undated last', () => {
    const inputs = [
      message({ id: 'root@x', date: at(1) }),
      message({ id: 'late@x', references: ['root@x'], date: at(9) }),
      message({ id: 'undated@x', references: ['root@x'], date: null }),
      message({ id: 'early-b@x', references: ['root@x'], date: at(3) }),
      message({ id: 'early-a@x', references: ['root@x'], date: at(3) }),
      message({ id: 'reply@x', references: ['root@x', 'late@x'], date: at(10) }),
      message({ id: 'older-thread@x', date: '2023-06-01T00:00:00Z' }),
    ];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(result.threads.map((t) => t.rootKey)).toEqual(['older-thread@x', 'root@x']);
    expect(outline(threadOf(result, 'root@x'))).toBe(
      ['root@x', '  early-a@x', '  early-b@x', '  late@x', '    reply@x', '  undated@x'].join('\n'),
    );
    expect(threadOf(result, 'root@x').nodes.map((n) => n.order)).toEqual([0, 0, 1, 2, 0, 3]);
  });

  it('orders a ghost among its siblings by its earliest descendant', () => {
    const inputs = [
      message({ id: 'a@x', date: at(1) }),
      message({ id: 'b@x', references: ['a@x'], date: at(5) }),
      message({ id: 'd@x', references: ['ghost@x'], date: at(3) }),
      message({ id: 'e@x', references: ['ghost@x'], date: at(4) }),
    ];
    const result = threadMessages(inputs);
    expect(result.threads.map((t) => t.rootKey)).toEqual(['a@x', 'ghost@x']);
    const later = threadMessages([...inputs, message({ id: 'f@x', references: ['ghost@x'], date: '2023-12-31T00:00:00Z' })]);
    expect(later.threads.map((t) => t.rootKey)).toEqual(['ghost@x', 'a@x']);
  });

  it('threads a duplicate Message-ID under its own key; references resolve to the first', () => {
    const inputs = [
      message({ id: 'a@x', key: 'first', date: at(1) }),
      message({ id: 'a@x', key: 'second', date: at(2) }),
      message({ id: 'b@x', references: ['a@x'], date: at(3) }),
      message({ id: 'b@x', key: 'b-again', references: ['a@x'], date: at(4) }),
    ];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(outlines(result)).toEqual(['first\n  b@x\n  b-again', 'second']);
  });

  it('ignores reply "IDs" without an @, such as git send-email\'s <yes>', () => {
    const inputs = [
      message({ id: 'patch-1@x', inReplyTo: 'yes', references: ['yes'], date: at(1) }),
      message({ id: 'other-patch@y', inReplyTo: 'yes', references: ['yes'], date: at(2) }),
      message({ id: 'review@x', inReplyTo: 'patch-1@x', references: ['yes', 'patch-1@x'], date: at(3) }),
    ];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(outlines(result)).toEqual(['patch-1@x\n  review@x', 'other-patch@y']);
  });

  it('maps a gmane-munged In-Reply-To back to the References entry it came from', () => {
    // The mailer listed References out of order; only In-Reply-To, once unmunged, names the parent.
    const inputs = [
      message({ id: 'a@x', date: at(1) }),
      message({ id: '22746.1277470713@redhat.com', references: ['a@x'], date: at(2) }),
      message({ id: 'c@x', references: ['a@x', '22746.1277470713@redhat.com'], date: at(3) }),
      message({
        id: 'd@x',
        inReplyTo: '22746.1277470713-H+wXaHxf7aLQT0dZR+AlfA@public.gmane.org',
        references: ['22746.1277470713@redhat.com', 'a@x', 'c@x'],
        date: at(4),
      }),
    ];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    expect(nodeOf(result, 'd@x')).toMatchObject({ parentKey: '22746.1277470713@redhat.com', parentBy: 'in-reply-to' });
  });

  it('accepts Message-IDs with stray angle brackets', () => {
    const inputs = [message({ id: 'a@x', date: at(1) }), message({ id: 'b@x', inReplyTo: '<a@x>', references: [' <a@x> '] })];
    expect(outlines(threadMessages(inputs))).toEqual(['a@x\n  b@x']);
  });

  it('rejects duplicate input keys', () => {
    expect(() => threadMessages([message({ id: 'a@x', key: 'k' }), message({ id: 'b@x', key: 'k' })])).toThrow(/duplicate input key k/);
  });

  it('keeps its invariants on random tangles of references', () => {
    // Deterministic PRNG (mulberry32), so a failure is reproducible.
    let seed = 42;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const pick = (n: number) => `m${Math.floor(random() * n)}@x`;
    for (let round = 0; round < 200; round++) {
      const n = 2 + Math.floor(random() * 12);
      const inputs = Array.from({ length: n }, (_, i) =>
        message({
          id: random() < 0.1 ? pick(n) : `m${i}@x`,
          key: `k${i}`,
          inReplyTo: random() < 0.5 ? pick(n + 4) : null,
          references: Array.from({ length: Math.floor(random() * 4) }, () => pick(n + 4)),
          date: random() < 0.1 ? null : at(Math.floor(random() * 24)),
        }),
      );
      checkInvariants(inputs, threadMessages(inputs));
    }
  });
});
