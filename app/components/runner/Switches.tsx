// The kernel era and the ->page_mkwrite handler to run the scenario with.

import { ERAS, ERA_IDS, HANDLERS, HANDLER_IDS } from '@/lib/engine/index';
import type { EraId, HandlerSpec } from '@/lib/engine/index';
import type { RunnableScenario } from '@/lib/scenarios/runnable';
import { CUSTOM_HANDLER, RunnerView, SCENARIO_HANDLER, customFrom } from './url-state';
import styles from './runner.module.css';

interface Props {
  scenario: RunnableScenario;
  view: RunnerView;
  disabled: boolean;
  idPrefix: string;
  onChange(change: Partial<RunnerView>): void;
}

/** The spec behind a handler choice other than CUSTOM_HANDLER. */
export function specOf(choice: string, s: Pick<RunnableScenario, 'handler'>): HandlerSpec | undefined {
  if (choice === SCENARIO_HANDLER) return typeof s.handler === 'string' ? HANDLERS[s.handler] : s.handler;
  return HANDLERS[choice];
}

export function Switches({ scenario, view, disabled, idPrefix, onChange }: Props) {
  const own = typeof scenario.handler === 'string' ? scenario.handler : SCENARIO_HANDLER;
  const chooseHandler = (handler: string) => {
    // Composing starts from the handler shown so far; edits made earlier are kept.
    if (handler === CUSTOM_HANDLER && !view.custom) {
      const from = specOf(view.handler, scenario);
      onChange({ handler, custom: from ? customFrom(from) : undefined });
    } else onChange({ handler });
  };
  const label = (id: string) => (id === own ? `${id} (the scenario's)` : id);
  return (
    <div className={styles.switches}>
      <div className={styles.field}>
        <label htmlFor={`${idPrefix}-era`}>Kernel era</label>
        <select id={`${idPrefix}-era`} value={view.era} disabled={disabled} aria-describedby={`${idPrefix}-era-hint`}
          onChange={(e) => onChange({ era: e.target.value as EraId })}>
          {ERA_IDS.map((id) => <option key={id} value={id}>{id === scenario.era ? `${id} (the scenario's)` : id}</option>)}
        </select>
        <p className={styles.hint} id={`${idPrefix}-era-hint`}>{ERAS[view.era].title}</p>
      </div>
      <div className={styles.field}>
        <label htmlFor={`${idPrefix}-handler`}>Handler</label>
        <select id={`${idPrefix}-handler`} value={view.handler} disabled={disabled} aria-describedby={`${idPrefix}-handler-hint`}
          onChange={(e) => chooseHandler(e.target.value)}>
          {typeof scenario.handler !== 'string' && (
            <option value={SCENARIO_HANDLER}>{scenario.handler.id} (the scenario&apos;s {scenario.handler.fn})</option>
          )}
          {HANDLER_IDS.map((id) => <option key={id} value={id}>{label(id)}</option>)}
          <option value={CUSTOM_HANDLER}>compose your own…</option>
        </select>
        <p className={styles.hint} id={`${idPrefix}-handler-hint`}>
          {view.handler === CUSTOM_HANDLER ? 'your ->page_mkwrite, composed from the ops below' : specOf(view.handler, scenario)?.title}
        </p>
      </div>
    </div>
  );
}
