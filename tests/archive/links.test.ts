// Links in mail text: web addresses, and diffstat lines to their file's diff.
import { describe, it, expect } from 'vitest';
import { diffFiles, diffstatPath, matchDiffstat, webLinks } from '../../lib/archive/links';

describe('webLinks', () => {
  it('links addresses and leaves the sentence around them', () => {
    expect(webLinks('See https://lore.kernel.org/linux-mm/20090311@x/T/. Thanks')).toEqual([
      { text: 'See ' }, { text: 'https://lore.kernel.org/linux-mm/20090311@x/T/', href: 'https://lore.kernel.org/linux-mm/20090311@x/T/' }, { text: '. Thanks' },
    ]);
    expect(webLinks('<http://oss.oracle.com/mailman/listinfo/ocfs2-devel>')[1]).toEqual({ text: 'http://oss.oracle.com/mailman/listinfo/ocfs2-devel', href: 'http://oss.oracle.com/mailman/listinfo/ocfs2-devel' });
  });

  it('keeps a parenthesis the address opened, drops one the sentence opened', () => {
    expect(webLinks('(see http://en.wikipedia.org/wiki/Fork_(Unix))')[1]!.href).toBe('http://en.wikipedia.org/wiki/Fork_(Unix)');
    expect(webLinks('(http://example.org/a).')[1]!.href).toBe('http://example.org/a');
  });

  it('never makes a link of another scheme or of a quote character', () => {
    expect(webLinks('javascript:alert(1) data:text/html,x')).toEqual([{ text: 'javascript:alert(1) data:text/html,x' }]);
    expect(webLinks('"http://a.example/x"onmouseover=1')[1]!.href).toBe('http://a.example/x');
  });
});

describe('diffstat links', () => {
  const patch = ['diff --git a/fs/ocfs2/mmap.c b/fs/ocfs2/mmap.c', 'index 1..2', '--- a/fs/ocfs2/mmap.c', '+++ b/fs/ocfs2/mmap.c', '@@ -1 +1 @@',
    '-a', '+b', 'diff --git a/include/linux/mm.h b/include/linux/mm.h'];

  it('finds the files a patch touches', () => {
    expect(diffFiles(patch)).toEqual([{ path: 'fs/ocfs2/mmap.c', line: 0 }, { path: 'include/linux/mm.h', line: 7 }]);
    expect(diffFiles(['--- a/x.c', '+++ b/x.c', '@@ -1 +1 @@'])).toEqual([{ path: 'x.c', line: 1 }]);
  });

  it('reads a diffstat line, and matches abbreviated and renamed paths', () => {
    expect(diffstatPath(' fs/ocfs2/mmap.c |   12 ++++++------')).toEqual({ path: 'fs/ocfs2/mmap.c', start: 1 });
    expect(diffstatPath(' 2 files changed, 7 insertions(+), 5 deletions(-)')).toBeNull();
    expect(diffstatPath(' img.png | Bin 0 -> 42 bytes')).toEqual({ path: 'img.png', start: 1 });
    const paths = ['fs/ocfs2/mmap.c', 'include/linux/mm.h', 'fs/new.c'];
    expect(matchDiffstat('.../ocfs2/mmap.c', paths)).toBe('fs/ocfs2/mmap.c');
    expect(matchDiffstat('include/linux/mm.h', paths)).toBe('include/linux/mm.h');
    expect(matchDiffstat('fs/{old.c => new.c}', paths)).toBe('fs/new.c');
    expect(matchDiffstat('fs/other.c', paths)).toBeUndefined();
  });
});
