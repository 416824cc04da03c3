import { cache } from 'react';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { db } from '@/lib/db/client';
import { threadOfMessage, threadReading } from '@/lib/archive/read';
import { permalinkParams, threadHref, threadMboxHref } from '@/lib/archive/urls';
import { MessageView } from '@/app/components/MessageView';
import { ReplyTree } from '@/app/components/ReplyTree';
import { ThreadKeys } from '@/app/components/thread/ThreadKeys';
import { hrefIn } from '@/app/components/thread/links';
import { counted } from '@/app/components/plural';
import { ClaimReading } from '@/app/components/claims/ClaimReading';
import { ClaimsSwitch, claimsShown, type PageQuery, queryOf } from '@/app/components/claims/ClaimsSwitch';
import { pageClaims } from '@/app/components/claims/page-claims';
import { pageNonce } from '@/app/_http/nonce';
import { scenarioMap } from '@/app/scenarios/data';
import { AuthoringProvider, AuthoringSwitch } from '@/app/components/authoring/Authoring';
import { createHash } from 'node:crypto';

type Params = { params: Promise<{ list: string; mid: string }> };
type Props = Params & { searchParams: Promise<PageQuery> };

/** The message a URL names and its thread: asked once per request, by the metadata and by the page. */
const lookup = cache(async (rawList: string, mid: string) => {
  const named = permalinkParams({ list: rawList, mid }, 'page');
  const found = named && (await threadOfMessage(db(), named.list, named.id));
  return { list: named?.list ?? '', m: found?.message, thread: found?.thread };
});

export async function generateMetadata({ params }: Params) {
  const { list, mid } = await params;
  const { thread } = await lookup(list, mid);
  return { title: thread ? thread.subject : 'Not found' };
}

/** The whole thread containing a message: its reply tree beside every message in thread order. */
export default async function ThreadPage({ params, searchParams }: Props) {
  await connection();
  const { list: rawList, mid } = await params;
  const { list, m, thread } = await lookup(rawList, mid);
  if (!m || !thread) notFound();
  const reading = await threadReading(db(), thread.id);
  const query = queryOf(await searchParams);
  const shown = await claimsShown(query);
  const onPage = new Set(reading.messages.map((n) => n.id));
  const hrefOf = hrefIn(reading, (id) => onPage.has(id), list);
  const reconstructed = reading.messages.filter((n) => n.isGhost && n.blocks.length > 0).length;
  const claims = shown ? pageClaims(reading.messages, query, scenarioMap()) : null;
  const messages = reading.messages.map((n) => (
    <MessageView key={n.id} m={n} list={n.inLists.includes(list) ? list : n.list?.name ?? list} hrefOf={hrefOf} claims={claims?.of.get(n.id)} />
  ));
  const claimCount = reading.messages.reduce((k, n) => k + n.claims.length, 0);
  // Moves when a claim on the page is added, edited or removed: the page's notes are fetched again.
  const version = createHash('sha1').update(reading.messages.flatMap((n) => n.claims.map((c) => `${c.key}:${c.verdict}:${c.statement}`)).join('\n')).digest('hex').slice(0, 12);
  return (
    <AuthoringProvider canSave={Boolean(process.env.THREADLAB_EDIT_TOKEN)} version={version}>
    <div className="thread">
      <div className="thread-head">
        <h1>{thread.subject || '(no subject)'}</h1>
        <p className="muted">
          {counted(thread.messageCount, 'message')}{reconstructed > 0 && `, ${reconstructed} reconstructed`}
          {' · '}<a href={threadMboxHref(list, m.archiveId)}>download as mbox.gz</a>
          {claimCount > 0 && <> · <ClaimsSwitch shown={shown} query={query} count={claimCount} /></>}
          {' · '}<AuthoringSwitch />
          <span className="keys"> · keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>o</kbd> fold/unfold, <kbd>u</kbd> parent</span>
        </p>
      </div>
      <aside className="thread-tree">
        <ReplyTree nodes={reading.messages} list={list} inPage />
      </aside>
      <div className="thread-messages">
        {claims ? <ClaimReading src={`${threadHref(list, m.archiveId)}claims.json?v=${version}`} notes={claims.notes} titles={claims.titles} active={claims.active} initialRun={claims.initialRun} nonce={await pageNonce()}>{messages}</ClaimReading> : messages}
      </div>
      <ThreadKeys />
    </div>
    </AuthoringProvider>
  );
}
