import Link from 'next/link';
import type { Block, QuotedBy } from '@/lib/archive/reading';
import { listHref, messageHref, rawHref, threadHref, messageAnchor } from '@/lib/archive/urls';
import { Body, segmentAnchor } from './thread/Body';
import type { Highlighter } from './thread/Body';
import { MarginNotes } from './claims/MarginNotes';
import { messageRefOf } from '@/lib/claims/message-ref';
import type { MessageClaims } from './claims/page-claims';
import type { NoteSource } from './claims/notes';

export interface ViewedMessage {
  id: number;
  archiveId: string;
  idKind: string;
  /** For idKind "reused": the Message-ID it carried. */
  claimedId?: string | null;
  isGhost: boolean;
  subject: string;
  fromName: string | null;
  fromAddress: string | null;
  date: Date | null;
  dateText: string | null;
  parentId?: number | null;
  /** Every list the message was delivered to. */
  inLists?: string[];
  blocks?: Block[];
  quotedBy?: QuotedBy[];
  claims?: NoteSource[];
}

/** A Message-ID as written: a malformed one is stored with its brackets (lib/mail/message-id.ts). */
const bracketed = (id: string) => (/[<>]/.test(id) ? id : `<${id}>`);

function author(m: ViewedMessage): string {
  if (m.fromName && m.fromAddress) return `${m.fromName} <${m.fromAddress}>`;
  return m.fromName ?? m.fromAddress ?? '(unknown)';
}

/**
 * One message: its headers, links and body. On a thread page (`hrefOf`
 * given) links between quotes and their sources stay in the page.
 */
export function MessageView({ m, list, showThreadLink, hrefOf, highlight, claims }: {
  m: ViewedMessage;
  list: string;
  showThreadLink?: boolean;
  /** Where a message of the thread is shown: an in-page anchor, or its permalink when null. */
  hrefOf: (messageId: number) => string | null;
  highlight?: Highlighter;
  /** The message's claims as the page shows them (inside ClaimReading); none when claims are off. */
  claims?: MessageClaims;
}) {
  const reconstructed = m.isGhost && (m.blocks?.length ?? 0) > 0;
  const quoters = groupQuoters(m.quotedBy ?? []);
  const heading = `${m.isGhost ? 'Not in the archive: ' : ''}${m.fromName ?? m.fromAddress ?? 'unknown'}${m.date ? `, ${m.date.toUTCString().slice(5, 16)}` : ''}`;
  return (
    <article className={['message', m.isGhost && 'ghost', claims && 'has-claims'].filter(Boolean).join(' ')} id={messageAnchor(m.id)} tabIndex={-1}
      data-parent={m.parentId ? messageAnchor(m.parentId) : undefined} data-archive-id={m.archiveId} data-author={m.fromName ?? m.fromAddress ?? undefined}
      data-ref={m.isGhost ? undefined : JSON.stringify(messageRefOf({ ...m, list }))}
      aria-labelledby={`${messageAnchor(m.id)}-h`}>
      <header>
        <h2 className="visually-hidden" id={`${messageAnchor(m.id)}-h`}>{heading}</h2>
        <dl>
          <dt>From</dt><dd>{author(m)}</dd>
          <dt>Date</dt>
          {/* A ghost's date comes from an attribution line, in its writer's local time and zone-less: show it as written. */}
          <dd>{m.isGhost && m.dateText ? `${m.dateText} (as quoted)` : m.date ? m.date.toUTCString() : 'unknown'}</dd>
          {!m.isGhost && <><dt>Subject</dt><dd>{m.subject || '(no subject)'}</dd></>}
          {!m.isGhost && m.inLists && m.inLists.length > 0 && (
            <><dt>{m.inLists.length > 1 ? 'Lists' : 'List'}</dt><dd className="lists">{m.inLists.map((l, i) => <span key={l}>{i > 0 && ', '}<Link href={listHref(l)}>{l}</Link></span>)}</dd></>
          )}
          <dt>{m.isGhost ? 'Note' : 'Message-ID'}</dt>
          <dd>
            {m.isGhost
              ? reconstructed
                ? 'This message is not in the archive. Its text below is reconstructed from the replies that quote it: only the quoted parts, in order; “[...]” marks what nobody quoted.'
                : 'This message is not in the archive; replies refer to it.'
              : m.idKind === 'derived' ? `${m.archiveId} (the original has no Message-ID; derived from its content)`
              : m.idKind === 'reused' ? `${m.archiveId} (derived from its content: it carries ${bracketed(m.claimedId ?? '')}, which another message in the archive had first)`
              : bracketed(m.archiveId)}
          </dd>
        </dl>
        {!m.isGhost && (
          <p className="links">
            <Link href={messageHref(list, m.archiveId)}>permalink</Link>
            <a href={rawHref(list, m.archiveId)}>raw</a>
            {showThreadLink && <Link href={threadHref(list, m.archiveId)}>whole thread</Link>}
          </p>
        )}
      </header>
      {m.blocks && m.blocks.length > 0 && (
        <Body messageId={m.id} blocks={m.blocks} highlight={highlight} claims={claims}
          hrefOfSource={(sourceId, linkId) => { const at = hrefOf(sourceId); return at === null ? null : `${at.split('#')[0]}#qs-${linkId}`; }} />
      )}
      {quoters.length > 0 && (
        <p className="quoted-by">
          Quoted by{' '}
          {quoters.map((q, i) => (
            <span key={q.messageId}>
              {i > 0 && ', '}
              {q.author}:{' '}
              {q.links.map((l, j) => {
                const at = hrefOf(q.messageId);
                return at === null ? null : <a key={l.linkId} href={`${at.split('#')[0]}#${segmentAnchor(q.messageId, l.segment)}`} data-quoted-span={l.linkId}>{j === 0 ? '' : ' '}¶{j + 1}</a>;
              })}
            </span>
          ))}
        </p>
      )}
      {claims && <MarginNotes slugs={claims.slugs} />}
    </article>
  );
}

function groupQuoters(quotedBy: QuotedBy[]) {
  const by = new Map<number, { messageId: number; author: string; links: QuotedBy[] }>();
  for (const q of [...quotedBy].sort((a, b) => a.start - b.start)) {
    const g = by.get(q.messageId) ?? { messageId: q.messageId, author: q.author, links: [] };
    g.links.push(q);
    by.set(q.messageId, g);
  }
  return [...by.values()];
}
