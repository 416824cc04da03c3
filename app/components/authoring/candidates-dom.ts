// Faint marks under the writer's sentences that name what the engine models and hold no claim
// yet: where an author may add one. Drawn with the CSS Custom Highlight API, so the page's DOM
// (and React's hydration of it) is left as it is. Runs in the browser.

import { candidateSentences } from '@/lib/claims/candidates';

const HIGHLIGHT = 'claim-candidate';

export function markCandidates(root: ParentNode): { count: number; clear(): void } {
  if (typeof Highlight === 'undefined' || typeof CSS === 'undefined' || !CSS.highlights) return { count: 0, clear() {} };
  const ranges: Range[] = [];
  // A ghost's text is rebuilt from quotes: its claims are anchored where a reply quotes it, not here.
  for (const seg of root.querySelectorAll('article:not(.ghost) [data-scope="new"]')) {
    const texts = textNodes(seg);
    const at = (node: Node) => texts.find((t) => node.contains(t.node))?.start ?? -1;
    const claimed = [...seg.querySelectorAll('a.claim-mark')].map((a) => [at(a), at(a) + (a.textContent ?? '').length] as const);
    for (const c of candidateSentences(texts.map((t) => t.node.data).join(''))) {
      if (claimed.some(([a, b]) => a < c.end && b > c.start)) continue;
      ranges.push(rangeOf(texts, c.start, c.end));
    }
  }
  const highlight = new Highlight(...ranges);
  CSS.highlights.set(HIGHLIGHT, highlight);
  // Tests wait on the count; the thread's message list holds it.
  const list = (root instanceof Element && root.closest('.thread-messages')) || root.querySelector('.thread-messages');
  list?.setAttribute('data-candidates', String(ranges.length));
  return {
    count: ranges.length,
    clear() {
      if (CSS.highlights.get(HIGHLIGHT) === highlight) CSS.highlights.delete(HIGHLIGHT);
      list?.removeAttribute('data-candidates');
    },
  };
}

/** An element's text nodes in order, each with where it starts in the element's textContent. */
function textNodes(el: Element): Array<{ node: Text; start: number }> {
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const out: Array<{ node: Text; start: number }> = [];
  let start = 0;
  for (let n = walk.nextNode() as Text | null; n; n = walk.nextNode() as Text | null) {
    out.push({ node: n, start });
    start += n.length;
  }
  return out;
}

/** The range of textContent[from, to) over the text nodes holding it. */
function rangeOf(texts: Array<{ node: Text; start: number }>, from: number, to: number): Range {
  const point = (at: number, end: boolean) => {
    const t = texts.findLast((x) => (end ? x.start < at : x.start <= at))!;
    return [t.node, at - t.start] as const;
  };
  const range = document.createRange();
  range.setStart(...point(from, false));
  range.setEnd(...point(to, true));
  return range;
}
