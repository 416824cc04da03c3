'use client';
// Picking a bundled scenario for a claim's test: every word typed must appear in its title, id,
// era, handler or expectations; each entry shows what it runs and what it expects.

import { useEffect, useMemo, useState } from 'react';
import type { ScenarioEntry } from '@/app/scenarios/index.json/route';
import styles from './form.module.css';

let entries: Promise<ScenarioEntry[]> | null = null;
const scenarioEntries = () => (entries ??= fetch('/scenarios/index.json').then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${r.status} ${r.statusText}`)))));

/** Entries shown at once: the search narrows them. */
const SHOWN = 6;

export function ScenarioPicker({ chosen, onChoose, idPrefix }: { chosen: string; onChoose(id: string): void; idPrefix: string }) {
  const [all, setAll] = useState<ScenarioEntry[] | string>([]);
  const [query, setQuery] = useState('');
  useEffect(() => {
    scenarioEntries().then(setAll, (e: Error) => setAll(`the scenarios could not be loaded: ${e.message}`));
  }, []);
  const found = useMemo(() => {
    if (typeof all === 'string') return [];
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return all.filter((s) => {
      const text = [s.id, s.title, s.era, s.handler, ...s.expects].join(' ').toLowerCase();
      return words.every((w) => text.includes(w));
    });
  }, [all, query]);
  const current = typeof all === 'string' ? undefined : all.find((s) => s.id === chosen);
  return (
    <div className={styles.picker}>
      <label htmlFor={`${idPrefix}-find`}>Bundled scenario</label>
      <input id={`${idPrefix}-find`} type="search" value={query} placeholder="search title, era, handler, expectations…"
        onChange={(e) => setQuery(e.target.value)} aria-describedby={`${idPrefix}-chosen`} />
      <p id={`${idPrefix}-chosen`} className={styles.hint}>{current ? <>Chosen: <strong>{current.title}</strong></> : 'None chosen yet.'}</p>
      {typeof all === 'string' ? <p className={styles.error} role="alert">{all}</p> : (
        <ul className={styles.entries} aria-label="Scenarios found">
          {found.slice(0, SHOWN).map((s) => (
            <li key={s.id}>
              <button type="button" aria-pressed={s.id === chosen} onClick={() => onChoose(s.id)} data-scenario={s.id}>
                <span className={styles.entryTitle}>{s.title}</span>
                <span className={styles.hint}>{s.id} · {s.era} · {s.handler}</span>
                <span className={styles.hint}>{s.expects.slice(0, 3).join('; ')}{s.expects.length > 3 ? '; …' : ''}</span>
              </button>
            </li>
          ))}
          {found.length > SHOWN && <li className={styles.hint}>{found.length - SHOWN} more: narrow the search</li>}
          {found.length === 0 && <li className={styles.hint}>No bundled scenario matches.</li>}
        </ul>
      )}
    </div>
  );
}
