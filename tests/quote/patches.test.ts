/**
 * Patches without hunks: a `diff --git` block that is a rename, a mode change, a new
 * or deleted empty file or a binary patch segments as a diff, and no further than
 * git wrote it. The bodies are git's own output (git 2.39 format-patch and log -p,
 * commits made for these tests), and mail from ../shared/corpora.
 */
import { describe, expect, it } from 'vitest';
import { diffLines } from '../../lib/archive/reading';
import { decode } from '../../lib/mail';
import { readMbox } from '../../lib/mail/mbox';
import { segmentBody } from '../../lib/quote/segment';
import { corpus, hasShared } from '../support/shared';
import { expectContract, view } from './helpers';

const lines = (...l: string[]) => l.join('\n') + '\n';
/** Kind and first line of each segment, and its line count. */
const outline = (body: string) => {
  const segments = segmentBody(body);
  expectContract(body, segments);
  return view(body, segments).map(([k, t]) => [k, t.split('\n')[0], t.split('\n').length - 1] as const);
};

const SIGNATURE = ['-- ', '2.39.5'];

describe('segmentBody: git patches without hunks', () => {
  it('a rename: the commit message, trailers, diffstat, the diff and the signature apart', () => {
    const body = lines(
      'ocfs2: name the file after what it does',
      '',
      'Signed-off-by: A U Thor <a@example.org>',
      '---',
      ' fs/ocfs2/{mmap.c => fault.c} | 0',
      ' 1 file changed, 0 insertions(+), 0 deletions(-)',
      ' rename fs/ocfs2/{mmap.c => fault.c} (100%)',
      '',
      'diff --git a/fs/ocfs2/mmap.c b/fs/ocfs2/fault.c',
      'similarity index 100%',
      'rename from fs/ocfs2/mmap.c',
      'rename to fs/ocfs2/fault.c',
      ...SIGNATURE,
    );
    expect(outline(body)).toEqual([
      ['new:0', 'ocfs2: name the file after what it does', 2],
      ['trailers:0', 'Signed-off-by: A U Thor <a@example.org>', 1],
      ['diffstat:0', '---', 5],
      ['diff:0', 'diff --git a/fs/ocfs2/mmap.c b/fs/ocfs2/fault.c', 4],
      ['signature:0', '-- ', 2],
    ]);
  });

  it.each([
    ['a mode change', ['diff --git a/scripts/check.sh b/scripts/check.sh', 'old mode 100644', 'new mode 100755']],
    ['a new empty file', ['diff --git a/fs/ocfs2/empty.h b/fs/ocfs2/empty.h', 'new file mode 100644', 'index 0000000..e69de29']],
    ['a deleted empty file', ['diff --git a/fs/ocfs2/unused.h b/fs/ocfs2/unused.h', 'deleted file mode 100644', 'index e69de29..0000000']],
    ['a copy', ['diff --git a/fs/ocfs2/mmap.c b/fs/ocfs2/mmap-old.c', 'similarity index 100%', 'copy from fs/ocfs2/mmap.c', 'copy to fs/ocfs2/mmap-old.c']],
    ['a binary change (git log -p)', ['diff --git a/Documentation/logo.gif b/Documentation/logo.gif', 'index 553a99f..496bad5 100644', 'Binary files a/Documentation/logo.gif and b/Documentation/logo.gif differ']],
    ['a new binary file', ['diff --git a/Documentation/logo.gif b/Documentation/logo.gif', 'new file mode 100644', 'index 0000000..553a99f', 'Binary files /dev/null and b/Documentation/logo.gif differ']],
  ])('%s is a diff, and the signature after it is not', (_, diff) => {
    const body = lines('A message.', '', ...diff, ...SIGNATURE);
    expect(outline(body)).toEqual([
      ['new:0', 'A message.', 2],
      ['diff:0', diff[0], diff.length],
      ['signature:0', '-- ', 2],
    ]);
  });

  it('a GIT binary patch: its literal hunks, forward and reverse, with the blank line between them', () => {
    const diff = [
      'diff --git a/Documentation/logo.gif b/Documentation/logo.gif',
      'index 553a99f955221f149c3a4ee0df0b19c117d744bf..496bad542ac83ee289c01072e182cca72d708c10 100644',
      'GIT binary patch',
      'literal 512',
      'zcmezW@9&@AzkdGs{_X3R&!0Yic>nJ0o7b;izIguZ>66Eg9zM8#@9v%3w{G6Je(ma&',
      'z%a<-*IDhW!nbW6Eo;ZH&=#j&R4j$OQZ||PnyLRr_zHRH4&6_rESif%Vn$@dTu2{Zo',
      'z>5|2Z7A}}SZ|<Dgvu4hiK5goh$&)5d=<n<8>F(<6Xm4w6X>Mw4sIRN7sjjN5C@(85',
      'zDK083$j{5o$<E5mNKZ>mNlr>kh>weniH?el2oDPl2@VPj@b~le@%HlcaCdWcadvWa',
      'zu(z|dv9_|bFgG(bF*Y(Z(AU$|(bm$`P*+n`QC3n^ke8E{k(QE_5El~_5f%~@;OFDz',
      'V;pXDxU}s}xVP;}v_&>t^4*)%O{{a91',
      '',
      'literal 512',
      'zcmZQzWMXDvWn<^y<l^Sx<>MC+6cQE@6%&_`l#-T_m6KOcR8m$^Ra4i{)Y8_`)zddH',
      'zG%_|ZH8Z!cw6eCbwX=6{baHlab#wRd^z!!c_45x13<?ej4GWKmjEatljf+o6OiE5k',
      'zO-s+n%*xKm&C4$+EGjN3Ei136tg5c5t*dWnY-(<4ZENr7?CS36?dzW~anj@|Q>RUz',
      'zF>}`JIdkXDU$Ah|;w4L$Enl&6)#^2C*R9{Mant54TeofBv2)k%J$v`<KXCBS;Uh<n',
      'z9Y1mM)af&4&z-+;@zUihSFc^aar4&gJ9qEhfAH|p<0ns_J%91?)$2EJ-@X6v@zduo',
      'VU%!3-@$=X3KY#!IXBgrB2LR)2{{a91',
    ];
    const body = lines(
      '---',
      ' Documentation/logo.gif | Bin 512 -> 512 bytes',
      ' 1 file changed, 0 insertions(+), 0 deletions(-)',
      '',
      ...diff,
      '',
      ...SIGNATURE,
    );
    expect(outline(body)).toEqual([
      ['diffstat:0', '---', 4],
      ['diff:0', diff[0], diff.length + 1],
      ['signature:0', '-- ', 2],
    ]);
  });

  it('a GIT binary patch of delta hunks', () => {
    const diff = [
      'diff --git a/Documentation/big.bin b/Documentation/big.bin',
      'index cd880f980997a372c2e74f3d5638b2787ce760d4..283c190ebb9c4b1b5af6451582258a9018cc4ea1 100644',
      'GIT binary patch',
      'delta 12',
      'TcmdlXzC(OM3ggm^slnU;Ajbr)',
      '',
      'delta 12',
      'TcmdlXzC(OM3S-p9)L?D^A5a8h',
    ];
    expect(outline(lines('Smaller.', '', ...diff, '', ...SIGNATURE))).toEqual([
      ['new:0', 'Smaller.', 2],
      ['diff:0', diff[0], diff.length + 1],
      ['signature:0', '-- ', 2],
    ]);
  });

  it('hunkless files among files with hunks make one diff (git format-patch --binary of five files)', () => {
    const body = lines(
      '---',
      ' blob.bin       | Bin 40 -> 7 bytes',
      ' dead.txt       |   1 -',
      ' empty.txt      |   0',
      ' old.c => new.c |   0',
      ' run.sh         |   0',
      ' 5 files changed, 1 deletion(-)',
      ' delete mode 100644 dead.txt',
      ' create mode 100644 empty.txt',
      ' rename old.c => new.c (100%)',
      ' mode change 100644 => 100755 run.sh',
      '',
      'diff --git a/blob.bin b/blob.bin',
      'index 36e4ba2b7f94658bce2f93913c6705be9f1dce91..aa13906c40562856bc2174d8187b0d3236ad6d2b 100644',
      'GIT binary patch',
      'literal 7',
      'OcmZQzWMXDvWdi^JKL8d0',
      '',
      'literal 40',
      'ycmV+@0N4NAK6OahOa~-R+jMxU*AyN=H!`Wv=RKA|ZJl7cY&Y@B>`?!|Y5BH$8Wf=b',
      '',
      'diff --git a/dead.txt b/dead.txt',
      'deleted file mode 100644',
      'index 286c5f5..0000000',
      '--- a/dead.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-gone',
      'diff --git a/empty.txt b/empty.txt',
      'new file mode 100644',
      'index 0000000..e69de29',
      'diff --git a/old.c b/new.c',
      'similarity index 100%',
      'rename from old.c',
      'rename to new.c',
      'diff --git a/run.sh b/run.sh',
      'old mode 100644',
      'new mode 100755',
      ...SIGNATURE,
    );
    expect(outline(body)).toEqual([
      ['diffstat:0', '---', 12],
      ['diff:0', 'diff --git a/blob.bin b/blob.bin', 26],
      ['signature:0', '-- ', 2],
    ]);
  });

  it("stops where git's lines stop: a reply's text right after the patch stays new text", () => {
    const body = lines(
      'Would this be enough?',
      '',
      'diff --git a/scripts/check.sh b/scripts/check.sh',
      'old mode 100644',
      'new mode 100755',
      'That is all it takes: the script was never run.',
      '',
      'diff --git a/Documentation/big.bin b/Documentation/big.bin',
      'index cd880f9..283c190 100644',
      'GIT binary patch',
      'delta 12',
      'TcmdlXzC(OM3ggm^slnU;Ajbr)',
      'Thanks for looking.',
    );
    expect(outline(body)).toEqual([
      ['new:0', 'Would this be enough?', 2],
      ['diff:0', 'diff --git a/scripts/check.sh b/scripts/check.sh', 3],
      ['new:0', 'That is all it takes: the script was never run.', 2],
      ['diff:0', 'diff --git a/Documentation/big.bin b/Documentation/big.bin', 5],
      ['new:0', 'Thanks for looking.', 1],
    ]);
  });

  it('does not take prose that mentions "diff --git" for a diff', () => {
    const body = lines(
      'The header git writes, diff --git a/x b/x, is followed by the mode lines.',
      'diff --git a/fs/ocfs2/mmap.c b/fs/ocfs2/fault.c',
      'is all you see of it when the rename is not detected.',
      '',
      'diff --git a/fs/ocfs2/mmap.c b/fs/ocfs2/mmap.c',
      'index 68d11c2..a74a370 100644',
      'and then nothing: the hunks were cut from this paste.',
      'rename from here to there, as I said.',
    );
    expect(outline(body).map(([k]) => k)).toEqual(['new:0']);
  });

  it('keeps a quoted hunkless patch a quote', () => {
    const body = lines(
      'On Mon, Feb 1, 2021 at 10:00 AM, Joel Becker <joel@example.org> wrote:',
      '> diff --git a/scripts/check.sh b/scripts/check.sh',
      '> old mode 100644',
      '> new mode 100755',
      '',
      'Applied, thanks.',
    );
    expect(outline(body).map(([k]) => k)).toEqual(['attribution:0', 'quote:1', 'new:0']);
  });
});

describe('diffLines: the header lines of hunkless diffs are file lines', () => {
  it('reads mode, rename, copy and binary headers as file lines, the base85 data as meta', () => {
    const text = lines(
      'diff --git a/run.sh b/run.sh',
      'old mode 100644',
      'new mode 100755',
      'diff --git a/old.c b/new.c',
      'dissimilarity index 60%',
      'copy from old.c',
      'copy to new.c',
      'diff --git a/blob.bin b/blob.bin',
      'new file mode 100644',
      'GIT binary patch',
      'literal 7',
      'OcmZQzWMXDvWdi^JKL8d0',
    );
    expect(diffLines(text).map((l) => l.kind)).toEqual([
      'file', 'file', 'file', 'file', 'file', 'file', 'file', 'file', 'file', 'file', 'meta', 'meta',
    ]);
  });
});

describe.skipIf(!hasShared)('hunkless patches in the ponymail corpus', () => {
  it("reads the binary-only commit mails of incubator-ponymail-site's banner as diffs", async () => {
    // ASF commit mail: each file's diff under its blob URL and a rule of dashes.
    const ids = new Set(['77ced1623b2f4dc3aaa0d1b0e86a19dc@git.apache.org', '756d40e8ad6f4c6280822b21fcff409f@git.apache.org', '711ca44130fc4a4f842b42f2066d442a@git.apache.org']);
    const found = new Map<string, string[][]>();
    for await (const raw of readMbox(corpus('ponymail', 'commits_ponymail_apache_org_2016-06.mbox'), { onError: () => {} })) {
      const m = await decode(raw);
      if (!m.messageId || !ids.has(m.messageId)) continue;
      const segments = segmentBody(m.body);
      expectContract(m.body, segments);
      found.set(m.messageId, view(m.body, segments).filter(([k]) => k === 'diff:0').map(([, t]) => t.trimEnd().split('\n')));
    }
    const binary = (from: string, to: string) => [
      'diff --git a/content/images/devme.png b/content/images/devme.png',
      `index ${from}..${to} 100644`,
      'Binary files a/content/images/devme.png and b/content/images/devme.png differ',
    ];
    // "crop this a bit" and "fix shadow": the binary change is the whole patch (before, new text).
    expect(found.get('77ced1623b2f4dc3aaa0d1b0e86a19dc@git.apache.org')).toEqual([binary('a93a39b', '31ebc55')]);
    expect(found.get('756d40e8ad6f4c6280822b21fcff409f@git.apache.org')).toEqual([binary('31ebc55', 'f3e098c')]);
    // "change the dev-me image": the binary file's diff, then template.html's with its hunk.
    const mixed = found.get('711ca44130fc4a4f842b42f2066d442a@git.apache.org')!;
    expect(mixed.map((d) => d[0])).toEqual(['diff --git a/content/images/devme.png b/content/images/devme.png', 'diff --git a/source/template.html b/source/template.html']);
    expect(mixed[0]).toEqual(binary('003d7f1', 'ffb9502'));
  });
});
