'use client';
import { useEffect } from 'react';

/**
 * Reading a thread from the keyboard, as in mutt: j/k next/previous message,
 * o or Enter fold/unfold its quotes, u up to the parent. Also lights up the
 * span a quote link points at. The page reads fine without this: folds are
 * details elements and links are plain anchors.
 */
export function ThreadKeys() {
  useEffect(() => {
    const messages = () => [...document.querySelectorAll<HTMLElement>('article.message')];
    const focused = () => document.activeElement?.closest<HTMLElement>('article.message') ?? null;
    // Nothing focused yet: the first message still on screen.
    const current = () => focused() ?? messages().find((m) => m.getBoundingClientRect().bottom > 0) ?? null;
    // The reply tree marks the message being read.
    const mark = (m: HTMLElement) => {
      for (const el of document.querySelectorAll('.thread-tree [aria-current]')) el.removeAttribute('aria-current');
      document.querySelector(`.thread-tree li[data-message="${m.id}"]`)?.setAttribute('aria-current', 'true');
    };
    const go = (m: HTMLElement | null | undefined) => {
      if (!m) return;
      m.focus({ preventScroll: true });
      m.scrollIntoView({ block: 'start' });
      history.replaceState(null, '', `#${m.id}`);
      mark(m);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, [contenteditable]')) return;
      const all = messages();
      const at = current();
      const i = at ? all.indexOf(at) : -1;
      // The first j or k takes the message in view; later ones move from it.
      const step = focused() ? 1 : 0;
      if (e.key === 'j') go(all[i + step] ?? all[i]);
      else if (e.key === 'k') go(all[Math.max(0, i - step)]);
      else if (e.key === 'u' && at?.dataset.parent) go(document.getElementById(at.dataset.parent));
      else if ((e.key === 'o' || e.key === 'Enter') && at && !t.closest('a, summary, button')) {
        const folds = [...at.querySelectorAll<HTMLDetailsElement>('details.fold')];
        const open = !folds.some((d) => d.open);
        for (const d of folds) d.open = open;
      } else return;
      e.preventDefault();
    };
    const onHash = () => {
      for (const el of document.querySelectorAll('.lit')) el.classList.remove('lit');
      const id = decodeURIComponent(location.hash.slice(1));
      const target = id && document.getElementById(id);
      if (!target) return;
      // A quote's source span: light every piece of it. A quoting segment: open its fold.
      const span = /^qs-(\d+)$/.exec(id);
      const lit = span ? [...document.querySelectorAll(`[data-quoted-by~="${span[1]}"]`)] : [target];
      for (const el of lit) el.classList.add('lit');
      target.closest<HTMLDetailsElement>('details')?.setAttribute('open', '');
      target.scrollIntoView({ block: 'center' });
      const m = target.closest<HTMLElement>('article.message');
      if (m) mark(m);
    };
    document.addEventListener('keydown', onKey);
    window.addEventListener('hashchange', onHash);
    onHash();
    // Says the keys work now (hydration done); tests wait for it.
    document.documentElement.dataset.threadKeys = 'on';
    return () => {
      delete document.documentElement.dataset.threadKeys;
      document.removeEventListener('keydown', onKey);
      window.removeEventListener('hashchange', onHash);
    };
  }, []);
  return null;
}
