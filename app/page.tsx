import Link from 'next/link';
import { connection } from 'next/server';
import { db } from '@/lib/db/client';
import { annotatedThreads, listsWithLatestThreads } from '@/lib/archive/read';
import { listHref, threadHref } from '@/lib/archive/urls';
import { ThreadTable } from '@/app/components/ThreadTable';
import { counted } from '@/app/components/plural';
import { VERDICT_WORDS } from '@/app/components/claims/verdicts';

const VERDICT_ORDER = ['supported', 'refuted', 'depends', 'undecided', 'untested'];

export default async function Home() {
  await connection();
  const [lists, annotated] = await Promise.all([listsWithLatestThreads(db()), annotatedThreads(db())]);
  return (
    <>
      <h1>Threadlab</h1>
      <p className="lede">
        Kernel mailing-list threads, read with their claims checked. Threadlab archives the mail as lore does and ties what
        the messages claim to scenarios for a model of the kernel&apos;s write-fault path (<code>-&gt;page_mkwrite</code>,
        its <code>VM_FAULT_*</code> return codes, truncate, writeback and cluster-lock races). The engine explores every
        interleaving and says whether each claim holds, beside the words that make it.
      </p>
      {annotated.length > 0 && (
        <section aria-labelledby="annotated">
          <h2 id="annotated">Annotated threads</h2>
          <ul className="featured">
            {annotated.map((a) => (
              <li key={a.thread.id}>
                <Link href={threadHref(a.list, a.archiveId)}>{a.thread.subject || '(no subject)'}</Link>
                <span className="muted"> — {a.list}, {a.thread.firstDate?.toISOString().slice(0, 10) ?? 'undated'}, {counted(a.thread.messageCount, 'message')}</span>
                <p className="verdicts">
                  {counted(a.claims, 'claim')}:{' '}
                  {VERDICT_ORDER.filter((v) => a.verdicts[v]).map((v, i) => (
                    <span key={v}>{i > 0 && ', '}<span className="badge" data-verdict={v}>{a.verdicts[v]} {VERDICT_WORDS[v]}</span></span>
                  ))}
                </p>
              </li>
            ))}
          </ul>
        </section>
      )}
      <h2>Lists</h2>
      {lists.length === 0 && <p>The archive is empty. Run <code>npm run ingest -- PATH</code>.</p>}
      {lists.map((l) => (
        <section key={l.name} aria-label={l.name}>
          <h3><Link href={listHref(l.name)}>{l.name}</Link> <span className="muted">{counted(l.threadCount, 'thread')}, {counted(l.messageCount, 'message')}</span></h3>
          <ThreadTable list={l.name} threads={l.latest} />
        </section>
      ))}
    </>
  );
}
