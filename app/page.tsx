import Link from 'next/link';
import { connection } from 'next/server';
import { db } from '@/lib/db/client';
import { listsWithLatestThreads } from '@/lib/archive/read';
import { listHref } from '@/lib/archive/urls';
import { ThreadTable } from '@/app/components/ThreadTable';
import { counted } from '@/app/components/plural';

export default async function Home() {
  await connection();
  const lists = await listsWithLatestThreads(db());
  return (
    <>
      <h1>Lists</h1>
      {lists.length === 0 && <p>The archive is empty. Run <code>npm run ingest -- PATH</code>.</p>}
      {lists.map((l) => (
        <section key={l.name}>
          <h2><Link href={listHref(l.name)}>{l.name}</Link> <span className="muted">{counted(l.threadCount, 'thread')}, {counted(l.messageCount, 'message')}</span></h2>
          <ThreadTable list={l.name} threads={l.latest} />
        </section>
      ))}
    </>
  );
}
