/**
 * Message-IDs as ingest reads them (lib/mail/message-id.ts): public-inbox's reading where it
 * is sound, ids that never merge where it is not, control characters dropped from every
 * stored header value, and the same reading wherever an id is written (References, search's
 * mid:, the claims' { mid }).
 */
import { describe, expect, it } from 'vitest';
import { decode, type RawMessage } from '../../lib/mail';
import { MAX_MESSAGE_ID_LENGTH, messageIdOf, referencedIds } from '../../lib/mail/message-id';
import { parseQuery } from '../../lib/search/query/parse';
import { parseAnnotations } from '../../lib/claims/parse';
import { hasShared, readAll, shared } from './shared';

const raw = (text: string): RawMessage => ({ source: 'test.eml', offset: 0, raw: Buffer.from(text, 'latin1') });
const headers = (...lines: string[]) => raw(`${['Date: Mon, 1 Feb 2021 10:00:00 +0000', ...lines].join('\n')}\n\nbody\n`);

describe('messageIdOf', () => {
  it('reads the text inside the brackets, spaces and all', () => {
    expect(messageIdOf('  <CAF+x@Mail.Gmail.com> ')).toBe('CAF+x@Mail.Gmail.com');
    expect(messageIdOf('<a b@x>')).toBe('a b@x');
    expect(messageIdOf('< a@x >')).toBe(' a@x ');
  });

  it('drops the TAB a folded field leaves (postal-mime unfolds by removing the line break only)', () => {
    expect(messageIdOf('<a\tb@x>')).toBe('ab@x');
  });

  it('takes a Message-ID without brackets whole, trimmed', () => {
    expect(messageIdOf(' a@x ')).toBe('a@x');
    expect(messageIdOf('a b@x')).toBe('a b@x');
    expect(messageIdOf('..')).toBe('..');
  });

  it('takes the first of several ids, and the first that is not empty', () => {
    expect(messageIdOf('<a@x> <b@y>')).toBe('a@x');
    expect(messageIdOf('<> <b@y>')).toBe('b@y');
  });

  it('passes over white space, commas and comments between ids', () => {
    expect(messageIdOf('(added by postmaster <pm@x>) <a@x>, <b@y>')).toBe('a@x');
    expect(messageIdOf('<a(1)@x>')).toBe('a(1)@x');
  });

  it('finds no id in an empty field or empty brackets', () => {
    for (const field of [undefined, null, '', '   ', '<>', '< >', '\0']) expect(messageIdOf(field)).toBeNull();
  });

  it('keeps a field whose brackets do not pair, or that has more than ids in it, whole', () => {
    expect(messageIdOf('<">foo@x>')).toBe('<">foo@x>');
    expect(messageIdOf('<">foo@x')).toBe('<">foo@x');
    expect(messageIdOf('<a@x')).toBe('<a@x');
    expect(messageIdOf('a@x>')).toBe('a@x>');
    expect(messageIdOf('<<a@x>>')).toBe('<<a@x>>');
    expect(messageIdOf('<a@x> <b>c@y>')).toBe('<a@x> <b>c@y>');
  });

  it('never gives two different malformed fields one id', () => {
    const fields = ['<">foo@x>', '<">bar@x>', '<">foo@x', '<">bar@x', '">foo@x', '">foo@x>', '<"> foo@x>', '<a>b@x>', '<a>c@x>',
      '<a@x', 'a@x>', '<a@x>>', '<<a@x>', '<<a@x>>', '<a@x> junk', '<a@x> (unclosed', '<a@x> <b>c@y>', '<a@x> <b>d@y>'];
    const ids = fields.map(messageIdOf);
    expect(new Set(ids).size).toBe(fields.length);
    // Nor one that a well-formed field gives: those hold no bracket.
    for (const id of ids) expect(id).toMatch(/[<>]/);
  });

  it('drops control characters without cutting what follows', () => {
    expect(messageIdOf('<n\0ul@x>')).toBe('nul@x');
    expect(messageIdOf('<a\x01\x7f\x85\x9fb@x>')).toBe('ab@x');
  });

  describe('over-long ids', () => {
    const long = (tail: string) => `${'a'.repeat(MAX_MESSAGE_ID_LENGTH)}${tail}@x`;

    it('keeps an id of the limit as it is, counting characters, not UTF-16 units', () => {
      expect(messageIdOf(`<${'a'.repeat(MAX_MESSAGE_ID_LENGTH)}>`)).toBe('a'.repeat(MAX_MESSAGE_ID_LENGTH));
      const emoji = '\u{1F600}'.repeat(MAX_MESSAGE_ID_LENGTH);
      expect(messageIdOf(`<${emoji}>`)).toBe(emoji);
    });

    it('cuts a longer one and adds a digest of the whole, so two that begin alike stay two', () => {
      const one = messageIdOf(`<${long('1')}>`)!;
      const two = messageIdOf(`<${long('2')}>`)!;
      expect(one.startsWith('a'.repeat(MAX_MESSAGE_ID_LENGTH))).toBe(true);
      expect(one).not.toBe(two);
      // Longer than the limit, so no uncut id can be the same string.
      expect(Array.from(one).length).toBeGreaterThan(MAX_MESSAGE_ID_LENGTH);
      expect(messageIdOf(`<${long('1')}>`)).toBe(one);
    });

    it('cuts between characters, never inside one', () => {
      const id = messageIdOf(`<${'\u{1F600}'.repeat(MAX_MESSAGE_ID_LENGTH + 1)}>`)!;
      expect(id.startsWith('\u{1F600}'.repeat(MAX_MESSAGE_ID_LENGTH))).toBe(true);
      expect(id).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/); // no high surrogate left alone
    });

    it('gives a reference to a long id the same cut', () => {
      expect(referencedIds(`<r@x> <${long('1')}>`)[1]).toBe(messageIdOf(`<${long('1')}>`));
    });
  });
});

describe('referencedIds', () => {
  it('reads every id in order, each once', () => {
    expect(referencedIds('<root@x>\t<parent@x> <root@x>')).toEqual(['root@x', 'parent@x']);
    expect(referencedIds('<a@x><b@y>,<c@z>')).toEqual(['a@x', 'b@y', 'c@z']);
  });

  it('skips the prose around ids, and reads words with an @ when nothing is bracketed', () => {
    expect(referencedIds('<p@x> (Joel Becker\'s message of "Thu, 30 Dec 2010")')).toEqual(['p@x']);
    expect(referencedIds('a@x b@y and so on')).toEqual(['a@x', 'b@y']);
    expect(referencedIds('Your message of Thu, 30 Dec 2010')).toEqual([]);
  });

  it('names every id as the Message-ID it quotes is stored, malformed or not', () => {
    const written = ['<a b@x>', '<a\tb@x>', '<">foo@x>', '<a>b@x>', '<<a@x>>', '<..>', '<n\0ul@x>', '<é@x>'];
    for (const w of written) expect(referencedIds(`<first@x> ${w} <last@x>`)).toEqual(['first@x', messageIdOf(w), 'last@x']);
  });

  it('keeps an unclosed id whole with the rest of its piece rather than cut it', () => {
    expect(referencedIds('<first@x> <a@x <last@x>')).toEqual(['first@x', '<a@x <last@x>']);
  });
});

describe('decode', () => {
  it('stores a Message-ID with a space in it, with no "no Message-ID" warning', async () => {
    const m = await decode(headers('Message-ID: <a b@x>', 'In-Reply-To: <p q@x>', 'References: <r@x> <p q@x>'));
    expect(m.messageId).toBe('a b@x');
    expect(m.inReplyTo).toBe('p q@x');
    expect(m.references).toEqual(['r@x', 'p q@x']);
    expect(m.warnings).toEqual([]);
  });

  it('keeps two messages with malformed ids apart', async () => {
    const foo = await decode(headers('Message-ID: <">foo@x>'));
    const bar = await decode(headers('Message-ID: <">bar@x>'));
    expect([foo.messageId, bar.messageId]).toEqual(['<">foo@x>', '<">bar@x>']);
  });

  it('drops NUL and other control characters from the stored header values, keeping what follows', async () => {
    const m = await decode(raw([
      'Subject: before\0after\x01 and \x1b[31mred\x7f',
      'From: "Al\x02ice" <al\x03ice@x>',
      'To: "B\x1bob" <bob@x>',
      'Message-ID: <n\0ul@x>',
      'In-Reply-To: <p\0@x>',
      'References: <r\0@x>',
      'List-Id: <li\0st.x>',
      'Date: Mon, 1 Feb 2021 10:00:00 +0000',
      '',
      'body',
    ].join('\n')));
    expect(m).toMatchObject({
      subject: 'beforeafter and [31mred',
      from: { name: 'Alice', address: 'alice@x' },
      to: [{ name: 'Bob', address: 'bob@x' }],
      messageId: 'nul@x',
      inReplyTo: 'p@x',
      references: ['r@x'],
      listHint: 'list',
    });
  });

  it('drops them from encoded words too', async () => {
    const m = await decode(headers('Subject: =?utf-8?Q?enc=00oded=C2=85_words?=', 'Message-ID: <a@x>'));
    expect(m.subject).toBe('encoded words');
  });

  it('stores ids of dots, which only the permalinks must take care of', async () => {
    expect((await decode(headers('Message-ID: <..>'))).messageId).toBe('..');
    expect((await decode(headers('Message-ID: <.>'))).messageId).toBe('.');
  });
});

describe.skipIf(!hasShared)('real mail', () => {
  it('reads an Outlook Message-ID folded onto its own line', async () => {
    const { messages } = await readAll(shared('corpora/ponymail/httpd-users-2020-07.mbox'));
    const folded = messages.filter((m) => /^Message-ID:\r?\n /m.test(Buffer.from(m.raw).toString('latin1')));
    expect(folded.length).toBeGreaterThan(0);
    const ids = await Promise.all(folded.map(async (m) => (await decode(m)).messageId));
    expect(ids).toContain('BL0PR02MB54250574D02EAF175F7981769F7A0@BL0PR02MB5425.namprd02.prod.outlook.com');
    for (const id of ids) expect(id).toMatch(/^[^\s<>]+@[^\s<>]+$/);
  });

  it('splits References whose ids have no space between them', async () => {
    const { messages } = await readAll(shared('corpora/ponymail/maven-dev-2017-11-mboxvm.mbox'));
    const glued = messages.find((m) => Buffer.from(m.raw).toString('latin1').includes('kasserver.com><1667195.t7Hg2OM9be@giga>'));
    expect(glued).toBeDefined();
    expect((await decode(glued!)).references).toEqual([
      '20171109053551.957D429C50D1@dd17332.kasserver.com',
      '20171114171940.1EAF629C1F97@dd17332.kasserver.com',
      '1667195.t7Hg2OM9be@giga',
    ]);
  });
});

describe('ids written elsewhere are read as ingest reads them', () => {
  it('in search, mid:', () => {
    expect(parseQuery('mid:"<a b@x>"')).toMatchObject({ type: 'mid', id: 'a b@x' });
    expect(parseQuery('mid:<a@x>')).toMatchObject({ type: 'mid', id: 'a@x' });
  });

  it('in claims, { mid }', () => {
    const claim = (mid: string) => parseAnnotations(`\`\`\`claim
id: c1
kind: rule
statement: s
message: { mid: ${JSON.stringify(mid)} }
claimant: c
anchor: { exact: x }
untested: no scenario
\`\`\`
`, 'x.md');
    expect(claim('<a b@x>').claims[0]?.message).toEqual({ mid: 'a b@x' });
    expect(claim('<">foo@x>').claims[0]?.message).toEqual({ mid: '<">foo@x>' });
    expect(claim('<>').problems.map((p) => p.message).join()).toMatch(/names no Message-ID/);
  });
});
