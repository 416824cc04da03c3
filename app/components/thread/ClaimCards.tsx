import type { LinkResult } from '@/lib/claims/types';
import type { EraId, Scenario } from '@/lib/engine/index';
import { toRunnable, type RunSettings } from '@/lib/scenarios/runnable';
import { ScenarioRunner } from '@/app/components/runner/ScenarioRunner';
import { scenarioHref } from '@/app/scenarios/data';
import { claimAnchor } from './Body';

export interface CardClaim {
  id: number;
  key: string;
  exact: string;
  claimant: string;
  statement: string;
  kind: string;
  verdict: string;
  links: LinkResult[];
}

const VERDICT_WORDS: Record<string, string> = {
  supported: 'supported by the model',
  refuted: 'refuted by the model',
  depends: 'depends on the kernel era or filesystem',
  undecided: 'undecided: the search did not finish',
  untested: 'not modelled',
};

/** The era and handler a link overrode on its scenario, if any (a composed handler is kept whole). */
function settingsOf(s: Scenario, l: LinkResult): RunSettings {
  const handler = typeof s.handler === 'string' ? s.handler : s.handler.id;
  return { era: l.era !== s.era ? (l.era as EraId) : undefined, handler: l.handler !== handler ? l.handler : undefined };
}

/**
 * One card per claim, beside the message: who claimed what, the verdict
 * computed at ingest (readable without JavaScript), and each scenario that
 * tests it, runnable in place.
 */
export function ClaimCards({ claims, scenarios, openRun }: {
  claims: CardClaim[];
  scenarios: Map<string, Scenario>;
  /** The runner a link opened (?run=<key>): shown unfolded so the link reproduces the view. */
  openRun?: string;
}) {
  return (
    <aside className="claims" aria-label="Claims in this message">
      {claims.map((c) => (
        <section key={c.id} id={claimAnchor(c.id)} className="claim-card" data-claim-key={c.key} tabIndex={-1}>
          <p className="claim-head">
            <span className="badge" data-verdict={c.verdict}>{VERDICT_WORDS[c.verdict] ?? c.verdict}</span>
            <span className="muted"> {c.kind}</span>
          </p>
          <p className="claim-statement"><strong>{c.claimant}:</strong> {c.statement}</p>
          <blockquote className="claim-words">“{c.exact}”</blockquote>
          {c.links.map((l, n) => {
            const s = scenarios.get(l.scenario);
            const runKey = n === 0 ? c.key : `${c.key}@${n}`;
            return (
              <div key={n} className="claim-test">
                <p>
                  {l.counterexample ? 'Counterexample' : 'Tested by'} <a href={scenarioHref(l.scenario)}>{l.title}</a>{' '}
                  <span className="muted">({l.era}, {l.handler}): </span>
                  <span className="badge" data-verdict={l.computed}>{l.computed}</span>
                </p>
                {s && (
                  <details className="claim-run" open={openRun === runKey}>
                    <summary>Run it here</summary>
                    <ScenarioRunner scenario={toRunnable(s, settingsOf(s, l))} runKey={runKey} counterexample={l.counterexample} headingLevel={4} />
                  </details>
                )}
              </div>
            );
          })}
        </section>
      ))}
    </aside>
  );
}
