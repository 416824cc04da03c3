// A run as plain HTML, for a reader without JavaScript and for the moment before the runner's code
// has loaded: the verdict, the outcome table and the shortest trace with the state it ends in.
// No hooks and no handlers, so the server renders it and the page ships no code for it.

import type { RunnableScenario } from '@/lib/scenarios/runnable';
import type { RunnerResult } from './compute';
import { Heading, HeadingLevel, below } from './Heading';
import { OutcomeTable } from './OutcomeTable';
import { Setup } from './Setup';
import { StatePanel } from './StatePanel';
import { VerdictPanel } from './VerdictPanel';
import styles from './runner.module.css';

export function StaticRun({ scenario, result, counterexample, heading, headingLevel, runKey }: {
  scenario: RunnableScenario;
  result: RunnerResult;
  counterexample: boolean;
  heading: string;
  headingLevel: HeadingLevel;
  runKey: string;
}) {
  const sub = below(headingLevel);
  const replay = result.replay;
  const label = result.selection;
  return (
    <section className={styles.runner} data-run-key={runKey} data-static="">
      <Heading level={headingLevel}>{heading}</Heading>
      <Setup scenario={scenario} />
      <p className={styles.status}>Computed on the server for this link; changing the settings and stepping need JavaScript.</p>
      <VerdictPanel scenario={scenario} counterexample={counterexample} result={result} />
      <OutcomeTable result={result} selection={result.selection} headingLevel={sub} />
      {replay && (
        <section aria-label={`Trace to ${label}`}>
          <Heading level={sub}>Shortest trace to {label}</Heading>
          <p className={styles.muted}>{replay.steps.length} steps; schedule <code data-trace>{replay.trace}</code></p>
          <ol className={styles.steps}>
            {replay.steps.map((s, i) => (
              <li key={i} data-step={i + 1}>
                <span className={styles.actorTag}>{s.actorName}</span> <code className={styles.fn}>{s.kernelFunction}</code>{' '}
                <span className={styles.loc}>{s.location}</span> <span className={styles.desc}>{s.description}</span>
              </li>
            ))}
          </ol>
          <Heading level={below(sub)}>The state at the end</Heading>
          <StatePanel state={replay.states[replay.steps.length]!} changed={[]} />
        </section>
      )}
    </section>
  );
}
