// A reader's selection on a thread page, as a claim's anchor: which message and scope it is in
// (the data-scope, data-writer, data-archive-id and data-author that Body and MessageView render),
// and its words anchored in that scope's text by lib/claims/selection. Runs in the browser.

import { scopeText } from '@/lib/claims/scope';
import { anchorFromScope, refusal, type Refused } from '@/lib/claims/selection';
import { ANCHOR_SCOPES, type Anchor, type AnchorScope } from '@/lib/claims/types';

export type SelectionAnchor =
  | {
      ok: true;
      archiveId: string;
      author: string;
      scope: AnchorScope;
      /** The quoted writer, for scope quote, when the page knows it. */
      writer: string | null;
      anchor: Anchor;
      /** Where the selection is on screen, for placing the Add claim button. */
      rect: DOMRect;
      /** The block a form can open after: the selection's segment, or for a quote its fold. */
      block: Element;
    }
  | Refused;

/** A text node's selected part. */
interface Selected { node: Text; from: number; to: number }

export function selectionAnchor(sel: Selection): SelectionAnchor {
  if (sel.rangeCount === 0 || sel.isCollapsed) return refusal('empty');
  const range = sel.getRangeAt(0);
  const selected = selectedText(range);
  if (selected.length === 0) return refusal('empty');

  const articles = new Set(selected.map((t) => t.node.parentElement?.closest('article.message') ?? null));
  if (articles.has(null)) return refusal('outside');
  if (articles.size > 1) return refusal('two-messages');
  const article = [...articles][0]!;
  if (article.classList.contains('ghost')) return refusal('ghost');

  let scope: AnchorScope | null = null;
  const inScope: Array<Selected & { seg: Element }> = [];
  for (const t of selected) {
    const el = t.node.parentElement!;
    if (el.closest('header')) return refusal('headers');
    // Text in no segment (a fold's summary, a source note, a claim's card or runner) is the page's, not the mail's.
    const seg = el.closest('.seg');
    if (!seg) continue;
    const s = ANCHOR_SCOPES.find((x) => x === seg.getAttribute('data-scope'));
    if (!s) return refusal(seg.classList.contains('seg-attribution') ? 'attribution' : 'not-claim-text');
    if (scope && s !== scope) return refusal(scope === 'quote' || s === 'quote' ? 'crosses-quote' : 'crosses-scopes');
    scope = s;
    inScope.push({ ...t, seg });
  }
  if (!scope) return refusal('outside');

  // The scope's text as lib/claims/scope.ts reads a body: its segments' text one after another
  // (with a line break between two), quote and patch markers stripped line by line, normalised.
  let body = '';
  const segments = [...article.querySelectorAll(`.seg[data-scope="${scope}"]`)].map((seg) => {
    const start = body.length;
    body += `${seg.textContent ?? ''}\n`;
    return { seg, kind: scope, start, end: body.length, depth: 0 };
  });
  const text = scopeText(body, segments, scope);
  const bodyAt = (t: Selected & { seg: Element }, offset: number) => segments.find((s) => s.seg === t.seg)!.start + offsetIn(t.seg, t.node) + offset;
  // Characters of the text keep their body offsets in order: a selection starts at the first at or after its body offset.
  const textAt = (at: number) => { const i = text.offsets.findIndex((o) => o >= at); return i < 0 ? text.text.length : i; };
  const first = inScope[0]!;
  const last = inScope[inScope.length - 1]!;
  const words = anchorFromScope(text.text, textAt(bodyAt(first, first.from)), textAt(bodyAt(last, last.to)));
  if (!words.ok) return words;

  const fold = scope === 'quote' ? last.seg.closest('details.fold') : null;
  return {
    ok: true,
    archiveId: article.getAttribute('data-archive-id') ?? '',
    author: article.getAttribute('data-author') ?? '',
    scope,
    writer: first.seg.closest('details.fold')?.getAttribute('data-writer') ?? null,
    anchor: { exact: words.exact, prefix: words.prefix, suffix: words.suffix, in: scope },
    rect: range.getBoundingClientRect(),
    block: fold ?? last.seg,
  };
}

/** The text nodes a range covers, with the part of each it covers; whitespace alone does not count. */
function selectedText(range: Range): Selected[] {
  const root = range.commonAncestorContainer;
  const nodes: Text[] = [];
  if (root.nodeType === Node.TEXT_NODE) nodes.push(root as Text);
  else {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, { acceptNode: (n) => (range.intersectsNode(n) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT) });
    for (let n = walk.nextNode(); n; n = walk.nextNode()) nodes.push(n as Text);
  }
  return nodes
    .map((node) => ({ node, from: node === range.startContainer ? range.startOffset : 0, to: node === range.endContainer ? range.endOffset : node.length }))
    .filter((t) => /\S/.test(t.node.data.slice(t.from, t.to)));
}

/** Where a text node starts in its segment's textContent. */
function offsetIn(seg: Element, node: Text): number {
  const walk = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT);
  let offset = 0;
  for (let n = walk.nextNode(); n && n !== node; n = walk.nextNode()) offset += (n as Text).length;
  return offset;
}
