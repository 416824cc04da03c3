'use client';
// The place after a paragraph that holds claims: on a narrow screen (or without JavaScript) the
// open claim's card shows here, and on every screen its runner opens here, the full width of the
// message. The runner's code loads only when one is opened.

import dynamic from 'next/dynamic';
import { NoteCard } from './NoteCard';
import { useClaims } from './ClaimReading';
import { panelAnchor, runHeading, runKeyOf } from './notes';

const RunPanel = dynamic(() => import('./RunPanel'), { loading: () => <p className="muted">Loading the engine…</p> });

export function ClaimSlot({ block }: { block: string }) {
  const { notes, titles, active, running, wide, initialRun, closeRun } = useClaims();
  const note = active ? notes.get(active) : undefined;
  const runNote = running ? notes.get(running.slug) : undefined;
  const here = note?.block === block && wide !== true;
  const runHere = runNote?.block === block ? running! : null;
  if (!here && !runHere) return null;
  const test = runHere && runNote!.tests[runHere.test];
  return (
    <>
      {here && <NoteCard note={note!} inline />}
      {runHere && test && (
        <section className="run-slot" id={panelAnchor(runHere.slug)} aria-label={`Run: ${titles[test.scenario] ?? test.scenario}`}>
          <p className="run-head">
            <span><strong>{runNote!.claimant}:</strong> {runNote!.statement}</span>
            <button type="button" className="run-close" onClick={closeRun} aria-label="Close the runner">✕</button>
          </p>
          {initialRun && initialRun.slug === runHere.slug && initialRun.test === runHere.test
            ? initialRun.runner
            : <RunPanel test={test} heading={runHeading(test, titles)} runKey={runKeyOf(runHere.slug, runHere.test)} />}
        </section>
      )}
    </>
  );
}
