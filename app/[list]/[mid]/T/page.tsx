import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { db } from '@/lib/db/client';
import { messageInList, threadMessages, threadById } from '@/lib/archive/read';
import { decodeMessageId, threadMboxHref } from '@/lib/archive/urls';
import { MessageView } from '@/app/components/MessageView';
import { ReplyTree } from '@/app/components/ReplyTree';
import { counted } from '@/app/components/plural';

type Params = { params: Promise<{ list: string; mid: string }> };

export async function generateMetadata({ params }: Params) {
  const { list, mid } = await params;
  const m = await messageInList(db(), decodeURIComponent(list), decodeMessageId(mid));
  const t = m?.threadId ? await threadById(db(), m.threadId) : null;
  return { title: t ? t.subject : 'Not found' };
}

/** The whole thread containing a message: its reply tree, then every message in thread order. */
export default async function ThreadPage({ params }: Params) {
  await connection();
  const { list: rawList, mid } = await params;
  const list = decodeURIComponent(rawList);
  const m = await messageInList(db(), list, decodeMessageId(mid));
  if (!m?.threadId) notFound();
  const thread = await threadById(db(), m.threadId);
  if (!thread) notFound();
  const nodes = await threadMessages(db(), thread.id, true);
  return (
    <>
      <h1>{thread.subject || '(no subject)'}</h1>
      <p className="muted">{counted(thread.messageCount, 'message')} · <a href={threadMboxHref(list, m.archiveId)}>download as mbox.gz</a></p>
      <ReplyTree nodes={nodes} list={list} inPage />
      {nodes.map((n) => (
        <MessageView key={n.id} m={n} list={n.list?.name ?? list} />
      ))}
    </>
  );
}
