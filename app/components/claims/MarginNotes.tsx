'use client';
// A message's claim cards in the margin, each at the height of its words (placeNotes), on wide
// screens once the page is hydrated and can be measured. Elsewhere (narrow screens, no JavaScript)
// a highlight opens its card after its paragraph instead (ClaimSlot).

import { useLayoutEffect, useRef } from 'react';
import { NoteCard } from './NoteCard';
import { useClaims } from './ClaimReading';
import { placeNotes } from './place';
import { wordsAnchor } from './notes';

/** Where a note's words are on screen: its first highlight, or the fold it is folded into. */
function wordsOf(slug: string): Element | null {
  const words = document.getElementById(wordsAnchor(slug));
  if (!words || words.getClientRects().length > 0) return words;
  return words.closest('details:not([open])')?.querySelector(':scope > summary') ?? words;
}

export function MarginNotes({ slugs }: { slugs: string[] }) {
  const { notes, active, running, wide } = useClaims();
  // Cards are placed by measuring the page: on a wide screen, once hydrated. The server sends none.
  const margin = useRef<HTMLElement>(null);

  useLayoutEffect(() => {
    const aside = margin.current;
    const article = aside?.closest('article');
    if (!aside || !article || !wide || aside.children.length === 0) return;
    let frame = 0;
    const place = () => {
      frame = 0;
      const cards = [...aside.querySelectorAll<HTMLElement>(':scope > .note')];
      const origin = aside.getBoundingClientRect().top;
      const boxes = cards.map((card) => {
        const words = wordsOf(card.dataset.note!);
        return { want: words ? words.getBoundingClientRect().top - origin : 0, height: card.offsetHeight };
      });
      const bands = [...article.querySelectorAll('.run-slot')].map((p) => {
        const r = p.getBoundingClientRect();
        return { top: r.top - origin, bottom: r.bottom - origin };
      });
      const tops = placeNotes(boxes, bands, 3);
      cards.forEach((card, i) => { card.style.top = `${Math.round(tops[i]!)}px`; });
      const bottom = Math.max(0, ...tops.map((t, i) => t + boxes[i]!.height));
      aside.style.minHeight = `${Math.ceil(bottom)}px`;
      aside.dataset.placed = '';
    };
    const soon = () => { if (!frame) frame = requestAnimationFrame(place); };
    place();
    // Folds opening, a runner opening, a card opening, fonts arriving: anything that moves words or cards.
    const observer = new ResizeObserver(soon);
    observer.observe(article.querySelector('.body') ?? article);
    for (const card of aside.children) observer.observe(card);
    article.addEventListener('toggle', soon, true);
    return () => {
      observer.disconnect();
      article.removeEventListener('toggle', soon, true);
      if (frame) cancelAnimationFrame(frame);
      for (const card of aside.querySelectorAll<HTMLElement>(':scope > .note')) card.style.top = '';
      aside.style.minHeight = '';
      delete aside.dataset.placed;
    };
  }, [notes, slugs, active, running, wide]);

  return (
    <aside className="notes" ref={margin} aria-label="Claims in this message">
      {wide && slugs.flatMap((slug) => { const n = notes.get(slug); return n ? [<NoteCard key={slug} note={n} />] : []; })}
    </aside>
  );
}
