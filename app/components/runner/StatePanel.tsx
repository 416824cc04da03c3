// The model state at one trace position; values the last step changed are <mark>ed
// (paths as the engine's ReplayStep.changed names them: "locks.ptl", "pages.0.dirty", ...).

import type { ReactNode } from 'react';
import type { StateView } from '@/lib/engine/index';
import styles from './runner.module.css';

type Changed = (path: string) => boolean;

function V({ path, changed, children }: { path: string; changed: Changed; children: ReactNode }) {
  return changed(path) ? <mark className={styles.changed} data-path={path}>{children}</mark> : <>{children}</>;
}

function Pair({ name, path, changed, children }: { name: string; path: string; changed: Changed; children: ReactNode }) {
  return <div><dt>{name}</dt><dd><V path={path} changed={changed}>{children}</V></dd></div>;
}

const yes = (b: boolean) => (b ? 'yes' : 'no');
const holder = (h: string | null) => h ?? 'free';

export function StatePanel({ state, changed: paths }: { state: StateView; changed: string[] }) {
  // A path counts as changed when it or a containing object was reported (a page that appeared).
  const changed: Changed = (p) => paths.some((c) => p === c || p.startsWith(`${c}.`));
  const locks: Array<[keyof StateView['locks'], string]> = [['ptl', 'page-table lock'], ['clusterLock', 'cluster lock'], ['iAllocSem', 'i_alloc_sem'], ['ipAllocSem', 'ip_alloc_sem']];
  return (
    <div className={styles.state} aria-label="State at this step" role="group">
      <dl className={styles.kv}>
        <Pair name="i_size" path="iSizePages" changed={changed}>{state.iSizePages} pages</Pair>
        {locks.map(([k, name]) => <Pair key={k} name={name} path={`locks.${k}`} changed={changed}>{holder(state.locks[k])}</Pair>)}
      </dl>
      <div className={styles.scroll}>
        <table className={styles.table}>
          <caption>Pages</caption>
          <thead><tr><th scope="col">slot</th><th scope="col">index</th><th scope="col">in cache</th><th scope="col">mapping</th><th scope="col">uptodate</th><th scope="col">locked by</th><th scope="col">dirty</th><th scope="col">writeback</th><th scope="col">refs</th><th scope="col">prepared</th></tr></thead>
          <tbody>
            {state.pages.map((p, i) => {
              const at = (f: string) => `pages.${i}.${f}`;
              return (
                <tr key={p.slot}>
                  <th scope="row"><V path={at('slot')} changed={changed}>{p.slot}</V></th>
                  <td><V path={at('index')} changed={changed}>{p.index}</V></td>
                  <td><V path={at('inPageCache')} changed={changed}>{yes(p.inPageCache)}</V></td>
                  <td><V path={at('mapping')} changed={changed}>{p.mapping ?? 'NULL'}</V></td>
                  <td><V path={at('uptodate')} changed={changed}>{yes(p.uptodate)}</V></td>
                  <td><V path={at('lockedBy')} changed={changed}>{p.lockedBy ?? '–'}</V></td>
                  <td><V path={at('dirty')} changed={changed}>{yes(p.dirty)}</V></td>
                  <td><V path={at('writeback')} changed={changed}>{yes(p.writeback)}</V></td>
                  <td><V path={at('refcount')} changed={changed}>{p.refcount}</V></td>
                  <td><V path={at('prepared')} changed={changed}>{yes(p.prepared)}</V></td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <table className={styles.table}>
          <caption>Page cache and page tables, by file index</caption>
          <thead><tr><th scope="col">index</th><th scope="col">page cache</th><th scope="col">PTE</th><th scope="col">PTE maps</th></tr></thead>
          <tbody>
            {state.ptes.map((pte, i) => (
              <tr key={i}>
                <th scope="row">{pte.index}</th>
                <td><V path={`pageCache.${i}`} changed={changed}>{state.pageCache[i] === null ? 'empty' : `slot ${state.pageCache[i]}`}</V></td>
                <td><V path={`ptes.${i}.state`} changed={changed}>{pte.state}</V></td>
                <td><V path={`ptes.${i}.page`} changed={changed}>{pte.page === null ? '–' : `slot ${pte.page}`}</V></td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className={styles.table}>
          <caption>Actors</caption>
          <thead><tr><th scope="col">actor</th><th scope="col">next step</th><th scope="col">its store</th><th scope="col">so far</th><th scope="col">locals</th></tr></thead>
          <tbody>
            {state.actors.map((a, i) => (
              <tr key={i}>
                <th scope="row">{a.name}</th>
                <td><V path={`actors.${i}.at`} changed={changed}>{a.done ? 'done' : a.at}</V></td>
                <td><V path={`actors.${i}.write`} changed={changed}>{a.write ?? '–'}</V></td>
                <td><V path={`actors.${i}.events`} changed={changed}>{a.events.join(', ') || '–'}</V></td>
                <td>
                  {Object.entries(a.locals).map(([k, v]) => (
                    <span key={k} className={styles.local}><V path={`actors.${i}.locals.${k}`} changed={changed}>{k}={String(v)}</V></span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
