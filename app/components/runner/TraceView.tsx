// The chosen trace as swimlanes (one column per actor, one row per step, each step labelled with
// its kernel function and file:line) beside the state at the current position, changes marked.
// Keys in the step list: arrows step, Home / End jump; only the current step is a tab stop.

import { useEffect, useRef } from 'react';
import type { CSSProperties, KeyboardEvent } from 'react';
import type { TraceReplay } from './compute';
import { parsePattern } from '@/lib/engine/index';
import type { Selection } from './url-state';
import { StatePanel } from './StatePanel';
import { Heading, HeadingLevel } from './Heading';
import styles from './runner.module.css';

interface Props {
  actors: string[];
  replay: TraceReplay;
  selection: Selection;
  step: number;
  headingLevel: HeadingLevel;
  onStep(step: number): void;
}

const KEYS: Record<string, (pos: number, n: number) => number> = {
  ArrowDown: (p) => p + 1, ArrowRight: (p) => p + 1, ArrowUp: (p) => p - 1, ArrowLeft: (p) => p - 1,
  Home: () => 0, End: (_, n) => n,
};

/** Events in order hold part way through a run; an outcome is how one ends. */
const ordered = (selection: Selection) => parsePattern(selection).kind !== 'outcome';

export function TraceView({ actors, replay, selection, step, headingLevel, onStep }: Props) {
  const n = replay.steps.length;
  const pos = Math.min(step, n);
  const go = (k: number) => onStep(Math.max(0, Math.min(n, k)));
  const scroller = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const byKey = useRef(false);

  // Keep the current step in view inside the lanes' own scroll box (never scroll the page).
  useEffect(() => {
    const box = scroller.current;
    const cur = list.current?.querySelector<HTMLButtonElement>('[aria-current="step"]');
    if (!box || !cur) return;
    const b = box.getBoundingClientRect(), c = cur.getBoundingClientRect();
    if (c.top < b.top) box.scrollTop -= b.top - c.top + 40;
    else if (c.bottom > b.bottom) box.scrollTop += c.bottom - b.bottom;
    if (byKey.current) cur.focus();
    byKey.current = false;
  }, [pos, replay]);

  const onKeyDown = (e: KeyboardEvent) => {
    const to = KEYS[e.key];
    if (!to) return;
    e.preventDefault();
    byKey.current = true;
    go(to(pos, n));
  };
  const lanes = { '--lanes': actors.length } as CSSProperties;
  const changed = pos > 0 ? replay.steps[pos - 1].changed : [];
  const label = selection;

  return (
    <section className={styles.trace} aria-label={`Trace to ${label}`}>
      <Heading level={headingLevel}>{ordered(label) ? 'Shortest run in which' : 'Shortest trace to'} {label}</Heading>
      <p className={styles.muted}>{n} steps; schedule <code data-trace>{replay.trace}</code> (a letter per actor, a count for repeats)</p>
      <div role="toolbar" aria-label="Trace position" className={styles.toolbar}>
        <button type="button" onClick={() => go(0)} disabled={pos === 0}>« Start</button>
        <button type="button" onClick={() => go(pos - 1)} disabled={pos === 0}>◀ Step back</button>
        <span className={styles.position} aria-live="polite" data-position={pos}>Step {pos} of {n}</span>
        <button type="button" onClick={() => go(pos + 1)} disabled={pos === n}>Step forward ▶</button>
        <button type="button" onClick={() => go(n)} disabled={pos === n}>Jump to end »</button>
      </div>
      <div className={styles.traceBody}>
        <div className={styles.lanesBox} ref={scroller}>
          <div className={styles.laneHeads} style={lanes} aria-hidden="true">
            {actors.map((a, i) => <span key={i}>{a}</span>)}
          </div>
          <ol className={styles.lanes} style={lanes} ref={list} aria-label="Steps, one lane per actor" onKeyDown={onKeyDown}>
            <li style={{ gridColumn: '1 / -1', gridRow: 1 }}>
              <button type="button" className={styles.stepCell} tabIndex={pos === 0 ? 0 : -1} aria-current={pos === 0 ? 'step' : undefined} onClick={() => go(0)}>
                initial state
              </button>
            </li>
            {replay.steps.map((s, i) => {
              const k = i + 1;
              return (
                <li key={k} style={{ gridColumn: s.actor + 1, gridRow: k + 1 }}>
                  <button type="button" tabIndex={pos === k ? 0 : -1} aria-current={pos === k ? 'step' : undefined} onClick={() => go(k)}
                    className={`${styles.stepCell} ${k > pos ? styles.future : ''}`} data-step={k}>
                    <span className={styles.stepHead}>
                      <span className={styles.stepNo}>{k}</span> <span className={styles.actorTag}>{s.actorName}</span>
                    </span>
                    <code className={styles.fn}>{s.kernelFunction}</code>{' '}
                    <span className={styles.loc}>{s.location}</span>
                    <span className={styles.desc}>{s.description}{s.inferred && <em> (inferred)</em>}</span>
                    {s.events.length > 0 && <span className={styles.events} data-events>{s.events.join(' · ')}</span>}
                  </button>
                </li>
              );
            })}
          </ol>
        </div>
        <StatePanel state={replay.states[pos]} changed={changed} />
      </div>
    </section>
  );
}
