import type { ReactNode } from 'react';
import type { Block, Piece } from '@/lib/archive/reading';
import type { Part } from '@/lib/search/match';

/** Splits text into runs a search matched and runs it did not. */
export type Highlighter = (text: string) => Part[];

/**
 * A message body read through its segments: new text plain, quotes folded
 * under their writer's name (details/summary, so folding works without
 * JavaScript), patches as diffs, signatures and list footers dimmed.
 * Everything is React text: mail is never markup.
 */
export function Body({ messageId, blocks, hrefOfSource, highlight }: {
  messageId: number;
  blocks: Block[];
  /** Where a quote's source span lives: an in-page anchor on a thread page, a permalink elsewhere. */
  hrefOfSource: (sourceId: number, linkId: number) => string | null;
  highlight?: Highlighter;
}) {
  return (
    <div className="body">
      {blocks.map((b) => {
        if (b.kind === 'text') {
          return (
            <pre key={b.segment} id={segmentAnchor(messageId, b.segment)} className={`seg seg-${b.role}`}>
              {b.pieces.map((p, i) => <PieceView key={i} piece={p} highlight={highlight} />)}
            </pre>
          );
        }
        if (b.kind === 'diff') {
          return (
            <pre key={b.segment} id={segmentAnchor(messageId, b.segment)} className="seg seg-diff">
              {b.lines.map((l, i) => <span key={i} className={`d-${l.kind}`}>{marked(l.text, highlight)}{'\n'}</span>)}
            </pre>
          );
        }
        const first = b.parts[0]!.segment;
        return (
          <details key={first} className="fold" id={segmentAnchor(messageId, first)}>
            <summary>
              <span className="who">{b.writer ?? 'Quoted text'}</span> wrote, {b.lines} {b.lines === 1 ? 'line' : 'lines'}
              <span className="opening"> — “{b.opening}”</span>
              {b.claims > 0 && <span className="fold-claims"> · {b.claims} {b.claims === 1 ? 'claim' : 'claims'}</span>}
            </summary>
            {b.parts.map((p) => (
              <div key={p.segment} id={p.segment === first ? undefined : segmentAnchor(messageId, p.segment)} className="part">
                <pre className={p.kind === 'attribution' ? 'seg seg-attribution' : `seg q${((p.depth - 1) % 3) + 1}`} data-depth={p.depth}>
                  {p.pieces.map((piece, i) => <PieceView key={i} piece={piece} highlight={highlight} />)}
                </pre>
                {p.kind === 'quote' && <SourceNote source={p.source} hrefOfSource={hrefOfSource} />}
              </div>
            ))}
          </details>
        );
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

function PieceView({ piece, highlight }: { piece: Piece; highlight?: Highlighter }) {
  const anchors = piece.anchors.map((id) => <span key={`a${id}`} id={spanAnchor(id)} className="span-anchor" />);
  let text: ReactNode = marked(piece.text, highlight);
  // Claimed words link to their claim's card.
  if (piece.claims.length > 0) text = <a className="claim-mark" href={`#${claimAnchor(piece.claims[0]!)}`} data-claims={piece.claims.join(' ')}>{text}</a>;
  if (piece.quotedBy.length > 0) text = <span className="quoted-span" data-quoted-by={piece.quotedBy.join(' ')}>{text}</span>;
  return <>{anchors}{text}</>;
}

/** Text with a search's terms in <mark>. */
function marked(text: string, highlight?: Highlighter) {
  if (!highlight) return text;
  return highlight(text).map((r, i) => (r.hit ? <mark key={i}>{r.text}</mark> : r.text));
}

export const segmentAnchor = (messageId: number, segment: number) => `q-${messageId}-${segment}`;
export const spanAnchor = (linkId: number) => `qs-${linkId}`;
export const claimAnchor = (claimId: number) => `claim-${claimId}`;
