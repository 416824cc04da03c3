// The claim verdict as a word and a colour; usable from server and client components.

import type { ScenarioVerdict } from '@/lib/scenarios/verdict';
import styles from './runner.module.css';

export const VERDICT_TEXT: Record<ScenarioVerdict, string> = {
  supported: 'supported',
  refuted: 'refuted',
  undecided: 'undecided (search incomplete)',
};

export function VerdictBadge({ verdict }: { verdict: ScenarioVerdict }) {
  return <span className={`${styles.badge} ${styles[verdict]}`} data-verdict={verdict}>{VERDICT_TEXT[verdict]}</span>;
}
