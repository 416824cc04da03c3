/**
 * mbox flavours: how mboxrd and mboxo un-quote `>From ` lines, mboxcl2 messages measured
 * by their Content-Length, the flavour told from the file when not given (also gzipped
 * and headless), and `--mbox` through ingest and the CLI. Real mail from ../shared where
 * it has what a case needs, small synthetic files otherwise.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../lib/db/url';
import { rawBytes } from '../../lib/db/raw';
import { ingestPaths } from '../../lib/ingest';
import { readArchive, readMbox, type RawMessage, type ReaderOptions } from '../../lib/mail';
import { detectMboxVariant } from '../../lib/mail/mbox-variant';
import { emptyStores, freshDatabase } from '../support/db';
import { hasShared, shared } from './shared';
import { scratchFolder } from '../support/scratch';

const { write } = scratchFolder('threadlab-flavour-');


async function read(path: string, options: ReaderOptions = {}) {
  const messages: RawMessage[] = [];
  const errors: { offset: number; reason: string; message: string }[] = [];
  for await (const m of readArchive(path, { onError: (e) => errors.push({ offset: e.offset, reason: e.reason, message: e.message }), ...options })) {
    messages.push(m);
  }
  return { messages, errors, text: messages.map((m) => Buffer.from(m.raw).toString('latin1')) };
}

const FROM_LINE = 'From sender@example.org Mon Jan  3 10:00:00 2011\n';

/** An mbox of the messages as a writer of `flavour` writes it: a From line before each, its quoting, a blank line after. */
function mbox(flavour: 'mboxrd' | 'mboxo' | 'mboxcl2', messages: readonly string[]): string {
  return messages
    .map((m) => {
      const text = flavour === 'mboxrd' ? m.replace(/^(>*From )/gm, '>$1') : flavour === 'mboxo' ? m.replace(/^From /gm, '>From ') : m;
      return `${FROM_LINE}${text}\n`;
    })
    .join('');
}

/** The message with a Content-Length header giving its body's length in bytes, as an mboxcl2 writer adds it. */
function withContentLength(message: string, delta = 0): string {
  const end = message.indexOf('\n\n');
  const body = message.slice(end + 2);
  return `${message.slice(0, end)}\nContent-Length: ${Buffer.byteLength(body, 'latin1') + delta}\n\n${body}`;
}

const quoting = [
  'From: Alice <alice@example.org>',
  'Subject: quoting',
  'Message-ID: <quoting@example.org>',
  '',
  '>From one',
  '>>From two',
  '>>>From three',
  '',
].join('\n');

// A body line `From ` with a header-like line after it: split there unless measured.
const build = withContentLength(
  ['From: Carol <carol@example.org>', 'Subject: build', 'Message-ID: <build@example.org>', '', 'From the build log:', 'ERROR: cannot resolve org.apache:parent', '>From stays as written.', ''].join('\n'),
);
const thanks = withContentLength(['From: Dave <dave@example.org>', 'Subject: Re: build', 'Message-ID: <thanks@example.org>', '', 'Thanks.', ''].join('\n'));
const cl2 = mbox('mboxcl2', [build, thanks]);

describe('mboxrd and mboxo', () => {
  it('mboxrd removes one > from every >+From line; mboxo only turns >From into From', async () => {
    const path = write('quoting.mbox', `${FROM_LINE}${quoting}\n`);
    const body = (text: string) => text.slice(text.indexOf('\n\n') + 2);
    const rd = await read(path, { mboxVariant: 'mboxrd' });
    expect(rd.errors).toEqual([]);
    expect(body(rd.text[0])).toBe('From one\n>From two\n>>From three\n');
    const o = await read(path, { mboxVariant: 'mboxo' });
    expect(body(o.text[0])).toBe('From one\n>>From two\n>>>From three\n');
    // Told from the file: nothing in it says mboxo, so mboxrd.
    expect(detectMboxVariant(Buffer.from(`${FROM_LINE}${quoting}\n`), true, false)).toBe('mboxrd');
    expect((await read(path)).text).toEqual(rd.text);
  });

  it.skipIf(!hasShared)("ponymail's copies of one message: mbox-vm's is mboxrd, lists.a.o's mboxo, and only the flag can say so", async () => {
    // Its text part starts with the line `>>From "Failed ...`: mboxrd writes `>>>From`, mboxo leaves it.
    const line = '\n>>From "Failed to create parent directories"...\n';
    const rd = await read(shared('corpora/ponymail/maven-dev-2017-11-124652-mboxvm.mbox'));
    expect(rd.errors).toEqual([]);
    expect(rd.text[0]).toContain(line);
    const listsao = shared('corpora/ponymail/maven-dev-2017-11-124652-listsao.mbox');
    const o = await read(listsao, { mboxVariant: 'mboxo' });
    expect(o.text[0]).toContain(line);
    // Not told: read as mboxrd, which takes one `>` too many.
    const told = await read(listsao);
    expect(told.text[0]).not.toContain(line);
    expect(told.text[0]).toContain('\n>From "Failed to create parent directories"...\n');
  });
});

describe('mboxcl2', () => {
  it('ends each message where its Content-Length says: a From line in a body is body, nothing is un-quoted', async () => {
    const path = write('cl2.mbox', cl2);
    const { messages, errors, text } = await read(path, { mboxVariant: 'mboxcl2' });
    expect(errors).toEqual([]);
    expect(text).toEqual([build, thanks]);
    expect(messages.map((m) => m.offset)).toEqual([0, cl2.lastIndexOf(FROM_LINE)]);
    expect(messages.map((m) => m.fromLine)).toEqual([FROM_LINE.trimEnd(), FROM_LINE.trimEnd()]);
    // Split at From lines instead, the build log's line starts a message of its own.
    expect((await read(path, { mboxVariant: 'mboxrd' })).messages).toHaveLength(3);
  });

  it('a Content-Length that does not end at a From line: reported with file and offset, that message split at From lines', async () => {
    const wrong = withContentLength(thanks.replace(/^Content-Length: .*\n/m, ''), -3);
    const text = mbox('mboxcl2', [wrong, build]);
    const path = write('wrong-length.mbox', text);
    const { messages, errors } = await read(path, { mboxVariant: 'mboxcl2' });
    const reason = `Content-Length ${Buffer.byteLength('Thanks.\n') - 3} does not end at a "From " line or the end of the file; split at "From " lines instead`;
    expect(errors).toEqual([{ offset: 0, reason, message: `${path} at byte 0: ${reason}` }]);
    expect(messages.map((m) => Buffer.from(m.raw).toString('latin1'))).toEqual([wrong, build]);
  });

  it('a Content-Length past the end of the file is reported the same way', async () => {
    const path = write('past-end.mbox', mbox('mboxcl2', [thanks, withContentLength(thanks.replace(/^Content-Length: .*\n/m, ''), 10)]));
    const { messages, errors } = await read(path, { mboxVariant: 'mboxcl2' });
    expect(errors.map((e) => [e.offset, e.reason.split(';')[0]])).toEqual([[FROM_LINE.length + thanks.length + 1, 'Content-Length 18 does not end at a "From " line or the end of the file']]);
    expect(messages).toHaveLength(2);
  });

  it.skipIf(!hasShared)('reads real mail written as mboxcl2 back byte for byte: maven-dev bodies with lines that start "From "', async () => {
    const originals: string[] = [];
    for await (const m of readMbox(shared('corpora/ponymail/maven-dev-2017-11-mboxvm.mbox'))) originals.push(Buffer.from(m.raw).toString('latin1'));
    const withFromLines = originals.filter((m) => /\nFrom /.test(m.slice(m.indexOf('\n\n'))));
    expect(withFromLines.length).toBeGreaterThan(0);
    const messages = [...originals.slice(0, 5), ...withFromLines].map((m) => withContentLength(m));
    const text = mbox('mboxcl2', messages);
    expect(detectMboxVariant(Buffer.from(text, 'latin1'), true, false)).toBe('mboxcl2');
    const path = write('maven-dev-cl2.mbox', Buffer.from(text, 'latin1'));
    const told = await read(path);
    expect(told.errors).toEqual([]);
    expect(told.text).toEqual(messages);
  });
});

describe('the flavour told from the file', () => {
  const detect = (text: string, whole = true, headless = false) => detectMboxVariant(Buffer.from(text, 'latin1'), whole, headless);

  it('mboxcl2: Content-Lengths that hold, and a From line in a measured body or no >From line at all', () => {
    expect(detect(cl2)).toBe('mboxcl2');
    expect(detect(mbox('mboxcl2', [thanks, thanks]))).toBe('mboxcl2');
    expect(detect(cl2.slice(cl2.indexOf('\n') + 1), true, true)).toBe('mboxcl2');
  });

  it('Content-Lengths that hold and >From quoting, no unquoted From line: mboxcl, quoted as mboxo', () => {
    const quoted = withContentLength(`${quoting}From four\n`.replace(/^From /gm, '>From '));
    expect(detect(mbox('mboxcl2', [quoted, thanks]))).toBe('mboxo');
  });

  it('mboxrd when a message has no Content-Length or one that does not hold, and for any quoting without one', () => {
    expect(detect(mbox('mboxcl2', [build, thanks.replace(/^Content-Length: .*\n/m, '')]))).toBe('mboxrd');
    expect(detect(mbox('mboxcl2', [withContentLength(thanks.replace(/^Content-Length: .*\n/m, ''), -3), thanks]))).toBe('mboxrd');
    expect(detect(mbox('mboxrd', [quoting]))).toBe('mboxrd');
    expect(detect(mbox('mboxo', [quoting]))).toBe('mboxrd'); // the bytes cannot tell
    expect(detect('')).toBe('mboxrd');
  });

  it('says nothing yet when the first message does not end in the bytes seen', () => {
    const cut = cl2.slice(0, cl2.indexOf('ERROR'));
    expect(detect(cut, false)).toBeNull();
    expect(detect(cl2, false)).toBe('mboxcl2');
  });

  it('looks past the first MiB when the first message is bigger', async () => {
    const big = withContentLength(`From: Erin <erin@example.org>\nSubject: big\n\n${`${'y'.repeat(1023)}\n`.repeat(1536)}From the build log:\nERROR: at the end\n`);
    const path = write('big-cl2.mbox', mbox('mboxcl2', [big, thanks]));
    const { errors, text } = await read(path);
    expect(errors).toEqual([]);
    expect(text).toEqual([big, thanks]);
  });

  it('is told and honoured in a gzipped mbox and in one that lost its first From line', async () => {
    const gz = await read(write('cl2.mbox.gz', gzipSync(cl2)));
    expect(gz.errors).toEqual([]);
    expect(gz.text).toEqual([build, thanks]);
    expect((await read(write('quoting.mbox.gz', gzipSync(mbox('mboxo', [quoting]))), { mboxVariant: 'mboxo' })).text).toEqual([quoting.replace('>From one', 'From one')]);

    const headless = await read(write('headless-cl2.mbox', cl2.slice(FROM_LINE.length)));
    expect(headless.errors).toEqual([]);
    expect(headless.text).toEqual([build, thanks]);
    expect(headless.messages.map((m) => m.offset)).toEqual([0, cl2.lastIndexOf(FROM_LINE) - FROM_LINE.length]);

    // The first message of a headless mbox is un-quoted as the rest.
    const path = write('headless-quoting.mbox', `${quoting}\n${FROM_LINE}${thanks}\n`);
    expect((await read(path)).text[0]).toContain('\n\nFrom one\n>From two\n>>From three\n');
    expect((await read(path, { mboxVariant: 'mboxo' })).text[0]).toContain('\n\nFrom one\n>>From two\n>>>From three\n');
  });
});

describe('--mbox', () => {
  it('ingest reads every mbox given as the flavour it is told', async () => {
    const store = await freshDatabase();
    try {
      const file = (name: string, id: string) => write(`ingest/${name}.mbox`, `${FROM_LINE}${quoting.replace('quoting@', id)}\n`);
      await ingestPaths(store.writer, [file('o', 'as-mboxo@')], { mbox: 'mboxo', list: 'flavour' });
      await ingestPaths(store.writer, [file('rd', 'as-told@')], { list: 'flavour' });
      const raw = async (id: string) => {
        const m = await store.db.message.findUniqueOrThrow({ where: { archiveId: id }, include: { raw: { include: { block: true } } } });
        return rawBytes(m.raw!).toString('latin1');
      };
      expect(await raw('as-mboxo@example.org')).toContain('\n\nFrom one\n>>From two\n>>>From three\n');
      expect(await raw('as-told@example.org')).toContain('\n\nFrom one\n>From two\n>>From three\n');
    } finally {
      await store.close();
    }
  });

  const store = emptyStores();
  const cli = async (...args: string[]) =>
    spawnSync(process.execPath, ['--expose-gc', join(projectRoot, 'lib/cli/launch.mjs'), 'lib/cli/ingest.ts', ...args], {
      env: { ...process.env, DATABASE_URL: await store('cli') },
      encoding: 'utf8',
      cwd: projectRoot,
    });

  it('the CLI takes --mbox=NAME and --mbox NAME over what the file tells', async () => {
    const path = write('cli/cl2.mbox', cl2);
    const forced = await cli('--json', '--mbox=mboxrd', path);
    expect(forced.status).toBe(0);
    expect(JSON.parse(forced.stdout)).toMatchObject({ seen: 3 });
    const measured = await cli('--json', '--mbox', 'mboxcl2', path);
    expect(measured.status).toBe(0);
    expect(JSON.parse(measured.stdout)).toMatchObject({ seen: 2, skipped: [] });
  });

  it('the CLI refuses a flavour it does not know, with exit status 2', async () => {
    const r = await cli('--mbox=mboxcl', write('cli/any.mbox', cl2));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--mbox: unknown mbox flavour "mboxcl"; one of mboxrd, mboxo, mboxcl2');
    expect(r.stderr).toMatch(/usage: npm run ingest -- \[--list NAME\] \[--mbox=mboxrd\|mboxo\|mboxcl2\]/);
  });
});
