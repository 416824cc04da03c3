// Links a reader expects in mail text, as lore makes them: web addresses, and a patch's
// diffstat lines pointing at their file's diff. Pure: the pages turn the parts into elements.

/** http(s) and ftp addresses, up to white space or a character that cannot be in one unescaped. */
const WEB = /\b(?:https?|ftp):\/\/[^\s<>"'`\u0000-\u001f\u007f]+/g;
/** Punctuation that ends a sentence rather than the address. */
const TRAILING = /[.,;:!?'"\]]+$/;

export type TextPart = { text: string; href?: string };

/** Text cut into plain runs and web addresses (each its own href). */
export function webLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const m of text.matchAll(WEB)) {
    let url = m[0].replace(TRAILING, '');
    // A closing parenthesis belongs to the address only when it opened one: "(see http://x/a_(b))".
    while (url.endsWith(')') && count(url, '(') < count(url, ')')) url = url.slice(0, -1).replace(TRAILING, '');
    if (m.index > at) parts.push({ text: text.slice(at, m.index) });
    parts.push({ text: url, href: url });
    at = m.index + url.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at) });
  return parts;
}

const count = (s: string, c: string) => s.split(c).length - 1;

/** The files a patch touches, by path, from its `diff --git a/X b/Y` lines (else its `+++ b/Y` lines). */
export function diffFiles(lines: readonly string[]): Array<{ path: string; line: number }> {
  const git = lines.flatMap((l, i) => {
    const m = /^diff --git a\/(\S+) b\/(\S+)/.exec(l);
    return m ? [{ path: m[2]!, line: i }] : [];
  });
  if (git.length) return git;
  return lines.flatMap((l, i) => {
    const m = /^\+\+\+ (?:b\/)?(\S+)/.exec(l);
    return m && m[1] !== '/dev/null' ? [{ path: m[1]!, line: i }] : [];
  });
}

/**
 * A diffstat line's path and where it sits in the line (" fs/ocfs2/mmap.c |  12 +++---"), or
 * null for the summary line. git abbreviates long paths to ".../tail" and renames to "a => b".
 */
export function diffstatPath(line: string): { path: string; start: number } | null {
  const m = /^(\s*)(\S(?:.*\S)?)\s+\|\s+(?:\d+|Bin)/.exec(line);
  return m ? { path: m[2]!, start: m[1]!.length } : null;
}

/** The file of `paths` a diffstat path names: the same path, or the one ending in its abbreviated tail. */
export function matchDiffstat(path: string, paths: readonly string[]): string | undefined {
  const renamed = /^(.*?)\{?[^{}]* => ([^{}]*)\}?(.*)$/.exec(path);
  const target = renamed ? `${renamed[1]}${renamed[2]}${renamed[3]}`.replace('//', '/') : path;
  if (target.startsWith('...')) return paths.find((p) => p.endsWith(target.slice(3)));
  return paths.find((p) => p === target);
}
