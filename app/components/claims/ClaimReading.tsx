'use client';
// The claims of a thread page, read beside their words: which claim's card is open, which claim's
// runner is open (one at a time), and the URL that says so (?claim=<slug>, or ?run=<slug>[@n] with
// the runner's own parameters). Highlights and cards are links to those URLs, so everything also
// works without JavaScript; with it, clicks open things in place instead of loading a page.

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { RefObject } from 'react';
import type { ReactNode } from 'react';
import { RUNNER_PARAMS } from '@/app/components/runner/params';
import type { RunnerView } from '@/app/components/runner/url-state';
import type { RunnerResult } from '@/app/components/runner/compute';
import type { RunnableScenario } from '@/lib/scenarios/runnable';
import { type ClaimNote, panelAnchor, runKeyOf, wordsAnchor } from './notes';

export interface Running { slug: string; test: number }

/** The runner a URL opened, with its run computed on the server: as HTML (shown without JavaScript) and as the runner's data. */
export interface InitialRun extends Running {
  scenario: RunnableScenario;
  view: RunnerView;
  result: RunnerResult;
  html: ReactNode;
}

interface Claims {
  notes: Map<string, ClaimNote>;
  titles: Record<string, string>;
  active: string | null;
  running: Running | null;
  initialRun?: InitialRun;
  /** Margin notes are shown (a wide screen); null until measured, as on the server. */
  wide: boolean | null;
  /** The claim whose card takes the focus once it is shown (a highlight was selected; its card may still be loading). */
  focusNext: RefObject<string | null>;
  toggle(slug: string): void;
  run(slug: string, test: number): void;
  closeRun(): void;
}

/** The claim's card as the reader sees it: in the margin on a wide screen, after its paragraph on a narrow one. */
export function shownNote(slug: string): HTMLElement | undefined {
  return [...document.querySelectorAll<HTMLElement>(`[data-note="${CSS.escape(slug)}"]`)].find((el) => el.getClientRects().length > 0);
}

const ClaimsContext = createContext<Claims | null>(null);

export function useClaims(): Claims {
  const c = useContext(ClaimsContext);
  if (!c) throw new Error('useClaims outside ClaimReading');
  return c;
}

/** Margin notes need this much room; app/globals.css uses the same width. */
export const WIDE = '(min-width: 85rem)';

function urlWith(change: (q: URLSearchParams) => void, hash = window.location.hash) {
  const q = new URLSearchParams(window.location.search);
  change(q);
  const s = q.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${s ? `?${s}` : ''}${hash}`);
}

const dropClaimParams = (q: URLSearchParams) => {
  for (const p of RUNNER_PARAMS) q.delete(p);
  q.delete('claim');
};

export function ClaimReading({ src, notes: initialNotes, titles: initialTitles, active: initialActive, initialRun, nonce, children }: {
  /** Where the page's notes are (notes-json): fetched once hydrated. */
  src: string;
  /** The notes the server rendered (the open claim's), and their scenario titles by id. */
  notes: ClaimNote[];
  titles: Record<string, string>;
  active: string | null;
  initialRun?: InitialRun;
  /** The page's policy nonce (app/_http/nonce.ts): the open claim's <style> needs it. */
  nonce: string | null;
  children: ReactNode;
}) {
  const [{ notes, titles }, setLoaded] = useState({ notes: initialNotes, titles: initialTitles });
  const bySlug = useMemo(() => new Map(notes.map((n) => [n.slug, n])), [notes]);
  useEffect(() => {
    let live = true;
    fetch(src)
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${r.status} ${r.statusText}`))))
      .then((j: { notes: ClaimNote[]; titles: Record<string, string> }) => live && setLoaded(j))
      .catch((e: Error) => console.warn(`claims of this page could not be loaded from ${src}: ${e.message}`));
    return () => { live = false; };
  }, [src]);
  const [active, setActive] = useState(initialActive);
  const [running, setRunning] = useState<Running | null>(initialRun ? { slug: initialRun.slug, test: initialRun.test } : null);
  const [wide, setWide] = useState<boolean | null>(null);
  const focusNext = useRef<string | null>(null);

  useEffect(() => {
    const mq = window.matchMedia(WIDE);
    const on = () => setWide(mq.matches);
    on();
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);

  const open = useCallback((slug: string | null) => {
    urlWith((q) => {
      dropClaimParams(q);
      if (slug) q.set('claim', slug);
    }, '');
    setActive(slug);
    setRunning(null);
  }, []);

  const toggle = useCallback((slug: string) => open(active === slug ? null : slug), [active, open]);

  const run = useCallback((slug: string, test: number) => {
    // The runner reads its key from the URL and runs: the URL is set before it mounts.
    urlWith((q) => {
      dropClaimParams(q);
      q.set('run', runKeyOf(slug, test));
    }, `#${panelAnchor(slug)}`);
    setActive(slug);
    setRunning({ slug, test });
  }, []);

  const closeRun = useCallback(() => open(running?.slug ?? null), [open, running]);

  // A highlight opens its card in place and focuses it.
  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const slug = (e.target as Element).closest<HTMLAnchorElement>('a.claim-mark')?.dataset.claim;
      if (!slug) return;
      e.preventDefault();
      focusNext.current = slug;
      if (active !== slug) open(slug);
      else shownNote(slug)?.focus({ preventScroll: true });
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, [bySlug, active, open]);

  // A link that opened a runner shows it: once the notes have moved into place, bring it into view.
  useEffect(() => {
    if (initialRun) requestAnimationFrame(() => document.getElementById(panelAnchor(initialRun.slug))?.scrollIntoView({ block: 'start' }));
    else if (initialActive) requestAnimationFrame(() => document.getElementById(wordsAnchor(initialActive))?.scrollIntoView({ block: 'center' }));
  }, [initialRun, initialActive]);

  const value = useMemo<Claims>(() => ({ notes: bySlug, titles, active, running, initialRun, wide, focusNext, toggle, run, closeRun }),
    [bySlug, titles, active, running, initialRun, wide, toggle, run, closeRun]);
  return (
    <ClaimsContext.Provider value={value}>
      {/* The open claim's words stand out (slugs are [A-Za-z0-9_-], safe in a selector). */}
      {active && <style nonce={nonce ?? undefined}>{`.body a.claim-mark[data-claim="${active}"]{background:var(--claim-on)}`}</style>}
      {children}
    </ClaimsContext.Provider>
  );
}
