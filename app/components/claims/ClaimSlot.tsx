'use client';
// The place after a paragraph that holds claims: on a narrow screen (or without JavaScript) the
// open claim's card shows here, and on every screen its runner opens here, the full width of the
// message. The runner's code loads only when one is opened; a runner a link opened shows the run
// the server computed (static HTML) until then.

import { Suspense, lazy, useEffect, useState } from 'react';
import { NoteCard } from './NoteCard';
import { useClaims } from './ClaimReading';
import { panelAnchor, runHeading, runKeyOf } from './notes';

const RunPanel = lazy(() => import('./RunPanel'));

/** `slugs`: the claims whose first words are in the paragraph before this slot. */
export function ClaimSlot({ slugs }: { slugs: string[] }) {
  const { notes, titles, active, running, wide, initialRun, closeRun } = useClaims();
  // Hydrated: the server's HTML stays as it is until then, and the runner's code may load.
  const [live, setLive] = useState(false);
  useEffect(() => setLive(true), []);
  const note = active ? notes.get(active) : undefined;
  const runNote = running ? notes.get(running.slug) : undefined;
  const here = note !== undefined && slugs.includes(note.slug) && wide !== true;
  const runHere = runNote && slugs.includes(runNote.slug) ? running! : null;
  if (!here && !runHere) return null;
  const test = runHere && runNote!.tests[runHere.test];
  const linked = initialRun && runHere && initialRun.slug === runHere.slug && initialRun.test === runHere.test ? initialRun : undefined;
  const waiting = linked?.html ?? <p className="muted">Loading the engine…</p>;
  return (
    <>
      {here && <NoteCard note={note!} inline />}
      {runHere && test && (
        <section className="run-slot" id={panelAnchor(runHere.slug)} aria-label={`Run: ${titles[test.scenario] ?? test.scenario}`}>
          <p className="run-head">
            <span><strong>{runNote!.claimant}:</strong> {runNote!.statement}</span>
            <button type="button" className="run-close" onClick={closeRun} aria-label="Close the runner">✕</button>
          </p>
          {live
            ? (
              <Suspense fallback={waiting}>
                <RunPanel test={test} heading={runHeading(test, titles)} runKey={runKeyOf(runHere.slug, runHere.test)}
                  initial={linked && { scenario: linked.scenario, view: linked.view, result: linked.result }} />
              </Suspense>
            )
            : waiting}
        </section>
      )}
    </>
  );
}
