import Link from 'next/link';
import { MessageBody } from './MessageBody';
import { messageHref, rawHref, threadHref, messageAnchor } from '@/lib/archive/urls';

export interface ViewedMessage {
  id: number;
  archiveId: string;
  idKind: string;
  isGhost: boolean;
  subject: string;
  fromName: string | null;
  fromAddress: string | null;
  date: Date | null;
  dateText: string | null;
  body?: string;
}

function author(m: ViewedMessage): string {
  if (m.fromName && m.fromAddress) return `${m.fromName} <${m.fromAddress}>`;
  return m.fromName ?? m.fromAddress ?? '(unknown)';
}

export function MessageView({ m, list, showThreadLink }: { m: ViewedMessage; list: string; showThreadLink?: boolean }) {
  return (
    <article className={m.isGhost ? 'message ghost' : 'message'} id={messageAnchor(m.id)}>
      <header>
        <dl>
          <dt>From</dt><dd>{author(m)}</dd>
          <dt>Date</dt>
          {/* A ghost's date comes from an attribution line, in its writer's local time and zone-less: show it as written. */}
          <dd>{m.isGhost && m.dateText ? `${m.dateText} (as quoted)` : m.date ? m.date.toUTCString() : 'unknown'}</dd>
          {!m.isGhost && <><dt>Subject</dt><dd>{m.subject || '(no subject)'}</dd></>}
          <dt>{m.isGhost ? 'Note' : 'Message-ID'}</dt>
          <dd>
            {m.isGhost
              ? 'This message is not in the archive; replies quote it.'
              : m.idKind === 'derived' ? `${m.archiveId} (the original has no Message-ID; derived from its content)` : `<${m.archiveId}>`}
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
      {m.body !== undefined && m.body !== '' && <MessageBody text={m.body} />}
    </article>
  );
}
