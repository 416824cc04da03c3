// The claim's verdict with each expectation's result: the live run's once there is one, else the
// default run precomputed on the server (which is what shows without JavaScript).

import type { ExpectationResult } from '@/lib/engine/index';
import type { RunnableScenario } from '@/lib/scenarios/runnable';
import { PrecomputedRun, verdictOnClaim } from '@/lib/scenarios/verdict';
import { RunnerResult, selectionFor } from './compute';
import type { Selection } from './url-state';
import { VerdictBadge } from './VerdictBadge';
import styles from './runner.module.css';

const MARK = { pass: '✓', fail: '✗', unknown: '?' } as const;

interface Props {
  scenario: RunnableScenario;
  precomputed?: PrecomputedRun;
  counterexample: boolean;
  result?: RunnerResult;
  /** Without it (a static page) expectations offer no trace buttons. */
  onShow?(selection: Selection): void;
}

function Expectations({ list, show, onShow }: { list: ExpectationResult[]; show?: (e: ExpectationResult) => Selection | undefined; onShow?(s: Selection): void }) {
  return (
    <ul className={styles.expectations}>
      {list.map((e, i) => {
        const sel = show?.(e);
        return (
          <li key={i} data-verdict={e.verdict}>
            <span className={styles[e.verdict]} aria-label={e.verdict}>{MARK[e.verdict]}</span>{' '}
            <code>{e.kind} {e.outcomes.join(', ')}</code>: {e.detail}
            {sel && onShow && <> <button type="button" className={styles.link} onClick={() => onShow(sel)}>show trace</button></>}
          </li>
        );
      })}
    </ul>
  );
}

export function VerdictPanel({ scenario, precomputed, counterexample, result, onShow }: Props) {
  const note = counterexample && (
    <p className={styles.muted}>This scenario is a counterexample to the claim: its expectations holding refute it.</p>
  );
  let body;
  if (result) {
    const r = result.explore;
    body = (
      <>
        <p className={styles.verdictLine}>
          Verdict <span className={styles.muted}>(era {r.scenario.era}, handler {r.scenario.handler})</span>: <VerdictBadge verdict={verdictOnClaim(result.verdict, counterexample)} />
        </p>
        <Expectations list={r.expectations} show={(e) => selectionFor(result.explore, e)} onShow={onShow} />
      </>
    );
  } else if (precomputed?.ok) {
    body = (
      <>
        <p className={styles.verdictLine}>
          Verdict <span className={styles.muted}>(precomputed default run: era {precomputed.era}, handler {precomputed.handler})</span>:{' '}
          <VerdictBadge verdict={verdictOnClaim(precomputed.verdict, counterexample)} />
        </p>
        <Expectations list={precomputed.expectations} />
      </>
    );
  } else if (precomputed) {
    body = <p className={styles.error}>No precomputed verdict: {precomputed.error}</p>;
  } else {
    body = <p className={styles.muted}>Run the scenario to compute whether {scenario.claim ? 'the claim' : 'its expectations'} hold{scenario.claim ? 's' : ''}.</p>;
  }
  return <div className={styles.verdict} aria-live="polite">{body}{note}</div>;
}
