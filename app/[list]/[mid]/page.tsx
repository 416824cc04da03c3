import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { db } from '@/lib/db/client';
import { messageInList, messageReading, threadMessages, threadById } from '@/lib/archive/read';
import { hrefIn } from '@/app/components/thread/links';
import { termMatcher } from '@/lib/search/highlight';
import { messageHref, permalinkParams, threadMboxHref } from '@/lib/archive/urls';
import { MessageView } from '@/app/components/MessageView';
import { ReplyTree } from '@/app/components/ReplyTree';
import { counted } from '@/app/components/plural';
import { scenarioMap } from '@/app/scenarios/data';
import { ClaimReading } from '@/app/components/claims/ClaimReading';
import { claimsShown, type PageQuery, queryOf } from '@/app/components/claims/ClaimsSwitch';
import { pageClaims } from '@/app/components/claims/page-claims';
import { pageNonce } from '@/app/_http/nonce';

type Params = { params: Promise<{ list: string; mid: string }> };
type Props = Params & { searchParams: Promise<PageQuery> };

export async function generateMetadata({ params }: Params) {
  const named = permalinkParams(await params, 'page');
  const m = named && (await messageInList(db(), named.list, named.id));
  return { title: m ? m.subject || m.archiveId : 'Not found' };
}

/** A message permalink: the message, then its place in the thread. */
export default async function MessagePage({ params, searchParams }: Props) {
  await connection();
  const named = permalinkParams(await params, 'page');
  const m = named && (await messageInList(db(), named.list, named.id));
  if (!named || !m) notFound();
  const { list } = named;
  const thread = m.threadId ? await threadById(db(), m.threadId) : null;
  const nodes = thread ? await threadMessages(db(), thread.id) : [];
  const reading = await messageReading(db(), m.id);
  // Arriving from a search hit (?q=...): its terms are marked in the body.
  const query = queryOf(await searchParams);
  const q = query.get('q');
  const highlight = q !== null ? termMatcher(q) ?? undefined : undefined;
  const viewed = { ...m, ...reading.messages[0]! };
  const claims = (await claimsShown(query)) ? pageClaims([viewed], query, scenarioMap()) : null;
  const view = <MessageView m={viewed} list={list} showThreadLink highlight={highlight} claims={claims?.of.get(m.id)} hrefOf={hrefIn(reading, (id) => id === m.id, list)} />;
  return (
    <>
      <h1>{m.isGhost ? `A message by ${m.fromName ?? m.fromAddress ?? 'someone'} (not in the archive)` : m.subject || '(no subject)'}</h1>
      {claims ? <ClaimReading src={`${messageHref(list, m.archiveId)}claims.json`} notes={claims.notes} titles={claims.titles} active={claims.active} initialRun={claims.initialRun} nonce={await pageNonce()}>{view}</ClaimReading> : view}
      {m.attachments.length > 0 && (
        <ul className="attachments" aria-label="Attachments">
          {m.attachments.map((a) => (
            <li key={a.id}>{a.filename ?? '(unnamed)'} <span className="muted">{a.contentType}, {a.size} bytes, sha256 {a.sha256.slice(0, 16)}…</span></li>
          ))}
        </ul>
      )}
      {m._count.copies > 1 && <p className="muted">Seen in {m._count.copies} archive files.</p>}
      {thread && (
        <section>
          <h2>Thread <span className="muted">({counted(thread.messageCount, 'message')}, <a href={threadMboxHref(list, m.archiveId)}>mbox.gz</a>)</span></h2>
          <ReplyTree nodes={nodes} list={list} current={m.id} />
        </section>
      )}
    </>
  );
}
