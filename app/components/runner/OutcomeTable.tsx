// Every outcome, reachable or not and for whom, with the search statistics (with and without reduction).

import { OUTCOME_DESCRIPTIONS, OUTCOME_NAMES, parseOutcomeLabel, reachedFor } from '@/lib/engine/index';
import type { RunnerResult } from './compute';
import type { Selection } from './url-state';
import { Heading, HeadingLevel } from './Heading';
import styles from './runner.module.css';

const MARK = { pass: '✓', fail: '✗', unknown: '?' } as const;

interface Props {
  result: RunnerResult;
  selection?: Selection;
  headingLevel: HeadingLevel;
  /** Without it (a static page) the table offers no trace buttons. */
  onSelect?(s: Selection): void;
}

export function OutcomeTable({ result, selection, headingLevel, onSelect }: Props) {
  const r = result.explore;
  const rows = OUTCOME_NAMES.map((o) => ({ sel: o, text: OUTCOME_DESCRIPTIONS[o], who: reachedFor(r, o), ...r.outcomes[o] }));
  const about = (named: string, o: string) => named === o || parseOutcomeLabel(named)?.outcome === o;
  const s = r.stats;
  return (
    <section className={styles.outcomes}>
      <Heading level={headingLevel}>Outcomes</Heading>
      <div className={styles.scroll}>
        <table className={styles.table}>
          <thead>
            <tr><th scope="col">Outcome</th><th scope="col">Reachable</th><th scope="col">Terminal states</th><th scope="col">Shortest trace</th><th scope="col">The claim expects</th><th scope="col"><span className={styles.visuallyHidden}>Trace</span></th></tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const expected = r.expectations.flatMap((e) => e.outcomes.filter((named) => about(named, row.sel)).map((named) => ({ ...e, who: parseOutcomeLabel(named)?.who })));
              return (
                <tr key={row.sel} data-outcome={row.sel} data-reachable={row.reachable} className={row.sel === selection ? styles.selectedRow : row.reachable ? undefined : styles.unreachable}>
                  <th scope="row"><code>{row.sel}</code><span className={styles.describe}>{row.text}</span></th>
                  <td>{row.reachable ? <>yes<span className={styles.describe}>{row.who.join(', ')}</span></> : 'no'}</td>
                  <td className={styles.num}>{row.terminals}</td>
                  <td className={styles.num}>{row.length === null ? '–' : `${row.length} steps`}</td>
                  <td>{expected.map((e, i) => <span key={i} className={styles[e.verdict]}>{MARK[e.verdict]} {e.kind}{e.who ? ` (${e.who})` : ''} </span>)}</td>
                  <td>
                    {row.reachable && onSelect && (
                      <button type="button" aria-pressed={row.sel === selection} onClick={() => onSelect(row.sel)}>
                        {row.sel === selection ? 'shown' : 'show trace'}<span className={styles.visuallyHidden}> for {row.sel}</span>
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className={styles.stats} data-states={s.states} data-states-unreduced={s.statesWithoutReduction}>
        {s.states} states with partial-order reduction, {s.statesWithoutReduction ?? '?'} without; {s.transitions} transitions,{' '}
        {s.terminals} terminal states, {s.millis.toFixed(1)} ms.{' '}
        {r.complete ? 'The search is complete.' : <strong>The search is incomplete: {r.reason}.</strong>}
      </p>
    </section>
  );
}
