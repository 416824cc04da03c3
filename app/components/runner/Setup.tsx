// The scenario's initial state and actors in one short list, so a claim card says what is run.

import type { ReactNode } from 'react';
import { actorNames } from '@/lib/engine/index';
import type { PageSpec } from '@/lib/engine/index';
import type { RunnableScenario } from '@/lib/scenarios/runnable';
import styles from './runner.module.css';

function pageText(p: PageSpec): string {
  if (p.cached === false) return 'not in the page cache';
  const parts = [
    p.pte === 'none' ? 'not mapped' : p.pte === 'rw' ? 'mapped writable' : 'mapped read-only',
    p.uptodate === false && 'not uptodate',
    p.dirty && 'dirty',
    p.prepared && 'prepared',
  ];
  return parts.filter(Boolean).join(', ');
}

export function Setup({ scenario: s }: { scenario: RunnableScenario }) {
  const pages = Array.from({ length: s.file.pages }, (_, i) => (s.pages as Record<number, PageSpec> | undefined)?.[i] ?? {});
  return (
    <dl className={styles.setup}>
      <dt>File</dt>
      <dd>
        {s.file.pages} page{s.file.pages === 1 ? '' : 's'}, i_size {s.file.size ?? s.file.pages}
        {pages.map((p, i) => <span key={i}>; page {i} {pageText(p)}</span>)}
      </dd>
      <dt>Actors</dt>
      <dd>{actorNames(s.actors).map((name, i) => <code key={i}>{name}</code>).reduce<ReactNode[]>((acc, c, i) => (i ? [...acc, ', ', c] : [c]), [])}</dd>
    </dl>
  );
}
