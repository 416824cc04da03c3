import type { ReactNode } from 'react';
import type { Block, Piece } from '@/lib/archive/reading';
import type { Part } from '@/lib/search/match';
import { ClaimSlot } from '@/app/components/claims/ClaimSlot';
import { wordsAnchor } from '@/app/components/claims/notes';
import { diffFiles, diffstatPath, matchDiffstat, webLinks } from '@/lib/archive/links';

/** Splits text into runs a search matched and runs it did not. */
export type Highlighter = (text: string) => Part[];

/**
 * A message body read through its segments: new text plain, quotes folded
 * under their writer's name (details/summary, so folding works without
 * JavaScript), patches as diffs, signatures and list footers dimmed.
 * Everything is React text: mail is never markup. Each segment in an anchor scope says which
 * (data-scope, the segment kinds of lib/claims/scope.ts), for selecting a claim's words. Segments are divs with pre-wrapped
 * white space, not <pre>: the HTML parser drops a <pre>'s leading newline, which the
 * client then renders, and React throws the server's HTML away over the difference.
 */
export function Body({ messageId, blocks, hrefOfSource, highlight, claims }: {
  messageId: number;
  blocks: Block[];
  /** Where a quote's source span lives: an in-page anchor on a thread page, a permalink elsewhere. */
  hrefOfSource: (sourceId: number, linkId: number) => string | null;
  highlight?: Highlighter;
  /** Claimed words are marked when given: each claim's slug, and the blocks its runner may open after. */
  claims?: { slugOf: (claimId: number) => string; slots: Map<string, string[]> };
}) {
  // The first words of each claim get the anchor its card links back to.
  const seen = new Set<string>();
  const mark: Marker = { highlight, claims: claims && { slugOf: claims.slugOf, first: (slug) => !seen.has(slug) && !!seen.add(slug) } };
  const slot = (id: string) => claims?.slots.has(id) && <ClaimSlot key={`slot-${id}`} slugs={claims.slots.get(id)!} />;
  // Each file a patch touches, so that its diffstat line can link to it.
  const files = blocks.flatMap((b) => (b.kind === 'diff'
    ? diffFiles(b.lines.map((l) => l.text)).map((f) => ({ ...f, segment: b.segment, anchor: fileAnchor(messageId, b.segment, f.line) }))
    : []));
  return (
    <div className="body">
      {blocks.map((b) => {
        if (b.kind === 'text' && b.role === 'diffstat' && files.length > 0) {
          const id = segmentAnchor(messageId, b.segment);
          return <div key={b.segment} id={id} className="seg seg-diffstat">{diffstat(b.pieces.map((p) => p.text).join(''), files)}</div>;
        }
        if (b.kind === 'text') {
          const id = segmentAnchor(messageId, b.segment);
          return [
            <div key={b.segment} id={id} className={`seg seg-${b.role}`} data-scope={b.role === 'new' && !b.attribution ? 'new' : undefined}>
              {b.pieces.map((p, i) => pieceView(p, i, mark))}
            </div>,
            slot(id),
          ];
        }
        if (b.kind === 'diff') {
          const id = segmentAnchor(messageId, b.segment);
          return [
            <div key={b.segment} id={id} className="seg seg-diff" data-scope="diff">
              {diffRuns(b.lines, new Map(files.filter((f) => f.segment === b.segment).map((f) => [f.line, f.anchor]))).map((r) => (
                <span key={r.line} className={`d-${r.kind}`} {...(r.anchor && { id: r.anchor })}>{marked(r.text, highlight)}</span>
              ))}
            </div>,
            slot(id),
          ];
        }
        const first = b.parts[0]!.segment;
        const id = segmentAnchor(messageId, first);
        return [
          <details key={first} className="fold" id={id} data-writer={b.writer ?? undefined}>
            <summary>
              <span className="who">{b.writer ?? 'Quoted text'}</span> wrote, {b.lines} {b.lines === 1 ? 'line' : 'lines'}
              <span className="opening"> — “{b.opening}”</span>
              {b.claims > 0 && <span className="fold-claims"> · {b.claims} {b.claims === 1 ? 'claim' : 'claims'}</span>}
            </summary>
            {b.parts.map((p) => (
              <div key={p.segment} id={p.segment === first ? undefined : segmentAnchor(messageId, p.segment)} className="part">
                <div className={p.kind === 'attribution' ? 'seg seg-attribution' : `seg q${((p.depth - 1) % 3) + 1}`} data-depth={p.depth}
                  data-scope={p.kind === 'quote' ? 'quote' : undefined}>
                  {p.pieces.map((piece, i) => pieceView(piece, i, mark))}
                </div>
                {p.kind === 'quote' && <SourceNote source={p.source} hrefOfSource={hrefOfSource} />}
              </div>
            ))}
          </details>,
          slot(id),
        ];
      })}
    </div>
  );
}

function SourceNote({ source, hrefOfSource }: { source: Extract<Block, { kind: 'quote' }>['parts'][number]['source']; hrefOfSource: (sourceId: number, linkId: number) => string | null }) {
  if (!source || source.sourceId === null || source.match === 'unmatched') return <p className="source muted">source not found in the archive</p>;
  const href = hrefOfSource(source.sourceId, source.linkId);
  const how = source.match === 'exact' ? '' : ` (re-worded or re-wrapped; ${Math.round(source.score * 100)}% match)`;
  return (
    <p className="source">
      {href ? <a href={href} data-quote-link={source.linkId}>↗ where {source.sourceAuthor ?? 'the writer'} wrote this</a> : `quoted from ${source.sourceAuthor ?? 'an earlier message'}`}
      <span className="muted">{how}</span>
    </p>
  );
}

interface Marker {
  highlight?: Highlighter;
  claims?: { slugOf: (claimId: number) => string; first: (slug: string) => boolean };
}

/** A piece's nodes: a plain string when nothing covers it (most text), so the page carries no wrapper for it. */
function pieceView(piece: Piece, key: number, mark: Marker): ReactNode {
  const claimed = piece.claims.length > 0 && mark.claims;
  // A link may not hold another: claimed words keep their addresses as text.
  let text: ReactNode = claimed ? marked(piece.text, mark.highlight) : linked(piece.text, mark.highlight);
  // Claimed words open their claim: in place with JavaScript, through the URL without.
  if (claimed) {
    const slugs = piece.claims.map(claimed.slugOf);
    const first = slugs.filter(claimed.first);
    const [slug] = slugs as [string];
    const props: Record<string, string> = { className: 'claim-mark', href: `?claim=${encodeURIComponent(slug)}#${wordsAnchor(slug)}`, 'data-claim': slug };
    if (first.includes(slug)) props.id = wordsAnchor(slug);
    text = <a key={`c${key}`} {...props}>{first.filter((s) => s !== slug).map((s) => <span key={s} id={wordsAnchor(s)} />)}{text}</a>;
  }
  if (piece.quotedBy.length > 0) text = <span key={`q${key}`} className="quoted-span" data-quoted-by={piece.quotedBy.join(' ')}>{text}</span>;
  if (piece.anchors.length === 0) return text;
  return [...piece.anchors.map((id) => <span key={`a${id}`} id={spanAnchor(id)} className="span-anchor" />), text];
}

/** Text with its web addresses as links (never followed for ranking, never given the opener), and a search's terms marked. */
function linked(text: string, highlight?: Highlighter): ReactNode {
  const parts = webLinks(text);
  if (parts.length === 1 && !parts[0]!.href) return marked(text, highlight);
  return parts.map((p, i) => (p.href ? <a key={i} href={p.href} rel="nofollow noopener">{marked(p.text, highlight)}</a> : marked(p.text, highlight)));
}

/**
 * A patch's lines as runs of one kind (a span each, not a span a line: a long patch is most of a
 * page's elements); a file's header line starts a run of its own, to carry the anchor its
 * diffstat line links to.
 */
function diffRuns(lines: Array<{ kind: string; text: string }>, anchors: Map<number, string>) {
  const runs: Array<{ kind: string; text: string; line: number; anchor?: string }> = [];
  lines.forEach((l, i) => {
    const last = runs[runs.length - 1];
    const anchor = anchors.get(i);
    if (last && last.kind === l.kind && !anchor) last.text += `${l.text}\n`;
    else runs.push({ kind: l.kind, text: `${l.text}\n`, line: i, anchor });
  });
  return runs;
}

/** A diffstat with each file's path linking to its diff further down. */
function diffstat(text: string, files: Array<{ path: string; anchor: string }>): ReactNode {
  return text.split(/(?<=\n)/).map((line, i) => {
    const at = diffstatPath(line);
    const path = at && matchDiffstat(at.path, files.map((f) => f.path));
    if (!at || !path) return line;
    const end = at.start + at.path.length;
    return [line.slice(0, at.start), <a key={i} href={`#${files.find((f) => f.path === path)!.anchor}`}>{at.path}</a>, line.slice(end)];
  });
}

/** Text with a search's terms in <mark>. */
function marked(text: string, highlight?: Highlighter) {
  if (!highlight) return text;
  return highlight(text).map((r, i) => (r.hit ? <mark key={i}>{r.text}</mark> : r.text));
}

const fileAnchor = (messageId: number, segment: number, line: number) => `f-${messageId}-${segment}-${line}`;
export const segmentAnchor = (messageId: number, segment: number) => `q-${messageId}-${segment}`;
export const spanAnchor = (linkId: number) => `qs-${linkId}`;
