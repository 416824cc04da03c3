import Link from 'next/link';
import type { Metadata } from 'next';
import type { ReactElement } from 'react';
import { connection } from 'next/server';
import type { SearchResults } from '@/lib/search/search';
import { QuerySyntaxError } from '@/lib/search/query/ast';
import { SearchBudgetExceeded } from '@/lib/search/limits';
import type { Part } from '@/lib/search/match';
import { scenarioHref } from '@/app/scenarios/data';
import { counted } from '@/app/components/plural';
import { searchPool, searchHref, searchRequest, type SearchRequest } from './data';
import { SyntaxHelp } from './SyntaxHelp';
import './search.css';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata({ searchParams }: Props): Promise<Metadata> {
  const r = searchRequest(await searchParams);
  if (!r.q) return { title: 'Search' };
  return { title: `Search: ${r.q}`, alternates: { types: { 'application/atom+xml': searchHref(r, '/search/atom') } } };
}

/** Search over messages, claims and scenarios; the query lives in the URL, and it all works without JavaScript. */
export default async function SearchPage({ searchParams }: Props) {
  await connection();
  const r = searchRequest(await searchParams);
  let results: SearchResults | null = null;
  let error: QuerySyntaxError | SearchBudgetExceeded | null = null;
  if (r.q) {
    try {
      results = await searchPool().search(r.q, { page: r.page, sort: r.sort });
    } catch (e) {
      if (!(e instanceof QuerySyntaxError || e instanceof SearchBudgetExceeded)) throw e;
      error = e;
    }
  }
  return (
    <>
      <h1>Search</h1>
      <form role="search" action="/search" method="get" className="search-form">
        <input type="search" name="q" defaultValue={r.q} aria-label="Query" placeholder='nq:VM_FAULT_NOPAGE f:piggin d:2010-12-01..2011-01-31' />
        <select name="sort" defaultValue={r.sort} aria-label="Order">
          <option value="relevance">best match first</option>
          <option value="date">newest first</option>
        </select>
        <button type="submit">Search</button>
      </form>
      {/* A page's status cannot be set in the App Router: this one answers 200; /search/json says 503. */}
      {error instanceof SearchBudgetExceeded && (
        <div role="alert" className="search-error">
          <p>This search was stopped: {error.message}.</p>
        </div>
      )}
      {error instanceof QuerySyntaxError && (
        <div role="alert" className="search-error">
          <p>This query cannot be read: {error.message} (at column {error.column}).</p>
          <pre aria-label="Where">{error.pointer()}</pre>
        </div>
      )}
      {results && <Results results={results} request={r} />}
      <details className="syntax" open={!results}>
        <summary>How to write a query</summary>
        <SyntaxHelp />
      </details>
    </>
  );
}

function Marked({ parts }: { parts: Part[] }) {
  return <>{parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}</>;
}

const SHOWN = 3;

/** The first few hits of a kind, the rest behind a disclosure: mail stays in view. */
function Folded({ items, noun }: { items: ReactElement[]; noun: string }) {
  return (
    <>
      <ol className="hits">{items.slice(0, SHOWN)}</ol>
      {items.length > SHOWN && (
        <details className="more">
          <summary>{counted(items.length - SHOWN, `more ${noun}`)}</summary>
          <ol className="hits">{items.slice(SHOWN)}</ol>
        </details>
      )}
    </>
  );
}

function Results({ results, request }: { results: SearchResults; request: SearchRequest }) {
  const { messages, claims, scenarios } = results;
  return (
    <>
      <p className="muted">
        {counted(messages.total, 'message')}, {counted(claims.total, 'claim')}, {counted(scenarios.total, 'scenario')}
        {' · '}{results.sort === 'date' ? 'newest first' : 'best match first'}
        {' · '}<a href={searchHref(request, '/search/json')}>JSON</a>
        {' · '}<a href={searchHref(request, '/search/atom')}>Atom feed</a>
      </p>
      {scenarios.hits.length > 0 && (
        <section aria-label="Scenarios">
          <h2>Scenarios</h2>
          <Folded items={scenarios.hits.map((s) => (
            <li key={s.id}>
              <Link href={scenarioHref(s.id)}><Marked parts={s.title} /></Link> <span className="muted">{s.id}</span>
              <p className="snippet"><Marked parts={s.snippet} /></p>
            </li>
          ))} noun="scenario" />
        </section>
      )}
      {claims.hits.length > 0 && (
        <section aria-label="Claims">
          <h2>Claims</h2>
          <Folded items={claims.hits.map((c) => (
            <li key={c.key}>
              {c.href ? <a href={c.href}><Marked parts={c.statement} /></a> : <Marked parts={c.statement} />}
              <span className="muted"> · {c.claimant} · {c.kind} · {c.verdict}</span>
              <p className="snippet"><Marked parts={c.snippet} /></p>
            </li>
          ))} noun="claim" />
        </section>
      )}
      <section aria-label="Messages">
        <h2>Messages</h2>
        {messages.total === 0 && <p>No message matches.</p>}
        {messages.rankedAmong && (
          <p className="muted">
            So many match that best-match order ranks only the {messages.rankedAmong.toLocaleString('en')} most recently archived.
            Add words or a <code>d:</code> range to narrow the search, or list them all <Link href={searchHref({ ...request, sort: 'date', page: 1 })}>newest first</Link>.
          </p>
        )}
        {messages.hits.map((t, i) => (
          <section key={t.threadId ?? `loose-${i}`} className="hit-thread">
            <h3>
              {t.href ? <Link href={t.href}>{t.subject || '(no subject)'}</Link> : t.subject || '(no subject)'}{' '}
              <span className="muted">{counted(t.size, 'message')} in the thread</span>
            </h3>
            <ol className="hits">
              {t.hits.map((h) => (
                <li key={h.id}>
                  {h.href ? <a href={h.href}><Marked parts={h.subject.length ? h.subject : [{ text: '(no subject)', hit: false }]} /></a> : <Marked parts={h.subject} />}
                  <span className="muted"> · {h.from || 'unknown'}{h.isGhost ? ' (not in the archive)' : ''} · {h.date?.slice(0, 10) ?? 'undated'}</span>
                  <p className="snippet"><Marked parts={h.snippet} /></p>
                </li>
              ))}
            </ol>
          </section>
        ))}
      </section>
      {results.pages > 1 && (
        <nav className="pager" aria-label="Pages">
          {results.page > 1 && <Link href={searchHref({ ...request, page: results.page - 1 })} rel="prev">previous</Link>}
          <span className="muted">page {results.page} of {results.pages}</span>
          {results.page < results.pages && <Link href={searchHref({ ...request, page: results.page + 1 })} rel="next">next</Link>}
        </nav>
      )}
    </>
  );
}
