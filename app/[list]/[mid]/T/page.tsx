import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { db } from '@/lib/db/client';
import { messageInList, threadReading, threadById } from '@/lib/archive/read';
import { decodeMessageId, threadMboxHref } from '@/lib/archive/urls';
import { MessageView } from '@/app/components/MessageView';
import { ReplyTree } from '@/app/components/ReplyTree';
import { ThreadKeys } from '@/app/components/thread/ThreadKeys';
import { hrefIn } from '@/app/components/thread/links';
import { counted } from '@/app/components/plural';
import { scenarioMap } from '@/app/scenarios/data';

type Params = { params: Promise<{ list: string; mid: string }> };
type Props = Params & { searchParams: Promise<{ run?: string | string[] }> };

export async function generateMetadata({ params }: Params) {
  const { list, mid } = await params;
  const m = await messageInList(db(), decodeURIComponent(list), decodeMessageId(mid));
  const t = m?.threadId ? await threadById(db(), m.threadId) : null;
  return { title: t ? t.subject : 'Not found' };
}

/** The whole thread containing a message: its reply tree beside every message in thread order. */
export default async function ThreadPage({ params, searchParams }: Props) {
  await connection();
  const { list: rawList, mid } = await params;
  const list = decodeURIComponent(rawList);
  const m = await messageInList(db(), list, decodeMessageId(mid));
  if (!m?.threadId) notFound();
  const thread = await threadById(db(), m.threadId);
  if (!thread) notFound();
  const reading = await threadReading(db(), thread.id);
  const { run } = await searchParams;
  const onPage = new Set(reading.messages.map((n) => n.id));
  const hrefOf = hrefIn(reading, (id) => onPage.has(id), list);
  return (
    <div className="thread">
      <div className="thread-head">
        <h1>{thread.subject || '(no subject)'}</h1>
        <p className="muted">
          {counted(thread.messageCount, 'message')} · <a href={threadMboxHref(list, m.archiveId)}>download as mbox.gz</a>
          <span className="keys"> · keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>o</kbd> fold/unfold, <kbd>u</kbd> parent</span>
        </p>
      </div>
      <aside className="thread-tree">
        <ReplyTree nodes={reading.messages} list={list} inPage />
      </aside>
      <div className="thread-messages">
        {reading.messages.map((n) => (
          <MessageView key={n.id} m={n} list={n.list?.name ?? list} hrefOf={hrefOf} scenarios={scenarioMap()} openRun={typeof run === 'string' ? run : undefined} />
        ))}
      </div>
      <ThreadKeys />
    </div>
  );
}
