import Link from 'next/link';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { db } from '@/lib/db/client';
import { threadsOfList } from '@/lib/archive/read';
import { listHref, pageParam, permalinkParams } from '@/lib/archive/urls';
import { ThreadTable } from '@/app/components/ThreadTable';
import { counted } from '@/app/components/plural';

export default async function ListPage({ params, searchParams }: { params: Promise<{ list: string }>; searchParams: Promise<{ page?: string }> }) {
  await connection();
  const named = permalinkParams(await params, 'page');
  const found = named && (await threadsOfList(db(), named.list, pageParam((await searchParams).page)));
  if (!found) notFound();
  return (
    <>
      <h1>{found.list} <span className="muted">{counted(found.total, 'thread')}</span></h1>
      <ThreadTable list={found.list} threads={found.threads} />
      <nav className="pager" aria-label="Pages">
        {found.page > 1 && <Link href={listHref(found.list, found.page - 1)} rel="prev">newer</Link>}
        <span className="muted">page {found.page} of {found.pages}</span>
        {found.page < found.pages && <Link href={listHref(found.list, found.page + 1)} rel="next">older</Link>}
      </nav>
    </>
  );
}
