// One claim's card: collapsed, a line (verdict, claimant, statement); open, the whole statement,
// each scenario that tests it with its computed verdict and "Run it here", and a way back to the
// words. Its links are real URLs (?claim=, ?run=) so it works without JavaScript.

import { useEffect, useRef, useState } from 'react';
import type { MouseEvent } from 'react';
import { scenarioHref } from '@/app/scenarios/href';
import { type ClaimNote, noteAnchor, panelAnchor, runKeyOf, wordsAnchor } from './notes';
import { useClaims } from './ClaimReading';
import { VERDICT_TITLES, VERDICT_WORDS } from './verdicts';
import { useAuthoring } from '@/app/components/authoring/Authoring';

const plainClick = (e: MouseEvent) => e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;

export function NoteCard({ note, inline = false }: { note: ClaimNote; inline?: boolean }) {
  const { titles, active, running, focusNext, toggle, run } = useClaims();
  const open = active === note.slug;
  const { slug } = note;
  const card = useRef<HTMLElement>(null);
  // Selecting the words focuses the card where it shows (the margin, or after the paragraph).
  useEffect(() => {
    const el = card.current;
    if (!open || focusNext.current !== slug || !el || el.getClientRects().length === 0) return;
    focusNext.current = null;
    el.focus({ preventScroll: true });
  });
  return (
    <section ref={card} className={`note${open ? ' open' : ''}${inline ? ' inline' : ''}`} id={inline ? undefined : noteAnchor(slug)}
      data-note={slug} data-verdict={note.verdict} tabIndex={-1} aria-label={`Claim by ${note.claimant}`}>
      <a className="note-line" href={open ? '?' : `?claim=${encodeURIComponent(slug)}#${wordsAnchor(slug)}`} aria-expanded={open}
        onClick={(e) => { if (plainClick(e)) { e.preventDefault(); toggle(slug); } }}>
        <span className="badge" data-verdict={note.verdict} title={VERDICT_TITLES[note.verdict]}>{VERDICT_WORDS[note.verdict] ?? note.verdict}</span>{' '}
        <strong>{note.claimant}:</strong> {note.statement}
      </a>
      {open && (
        <div className="note-more">
          <ul className="note-tests">
            {note.tests.map((t, n) => (
              <li key={n}>
                {t.counterexample ? 'Counterexample: ' : 'Tested by '}<a href={scenarioHref(t.scenario)}>{titles[t.scenario] ?? t.scenario}</a>{' '}
                <span className="muted">({t.era}, {t.handler})</span>{' '}
                <span className="badge" data-verdict={t.computed}>{t.computed}</span>{' '}
                {!t.missing && (running?.slug === slug && running.test === n
                  ? <a className="run-it" href={`#${panelAnchor(slug)}`}>running below</a>
                  : <a className="run-it" href={`?run=${encodeURIComponent(runKeyOf(slug, n))}#${panelAnchor(slug)}`}
                    onClick={(e) => { if (plainClick(e)) { e.preventDefault(); run(slug, n); } }}>Run it here</a>)}
              </li>
            ))}
          </ul>
          <p className="note-foot">
            <span className="muted">{note.kind}</span>
            <a href={`#${wordsAnchor(slug)}`}>↑ to the words</a>
          </p>
          <AuthorActions note={note} />
        </div>
      )}
    </section>
  );
}

/** In authoring mode: edit the claim in the form, or remove it (asked twice). */
function AuthorActions({ note }: { note: ClaimNote }) {
  const authoring = useAuthoring();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!authoring?.on) return null;
  return (
    <p className="note-author">
      <button type="button" onClick={() => authoring.edit(note.key, note.slug)}>Edit</button>{' '}
      {confirming
        ? <><button type="button" onClick={async () => setError(await authoring.remove(note.key))}>Remove it from {note.key.split('#')[0]}</button>{' '}
          <button type="button" onClick={() => setConfirming(false)}>Keep it</button></>
        : <button type="button" onClick={() => setConfirming(true)}>Remove</button>}
      {error && <span className="error" role="alert"> {error}</span>}
    </p>
  );
}
