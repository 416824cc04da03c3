'use client';
// The inline scenario runner: switches (era, handler, a composed handler), Run, the verdict, the
// outcome table and the shortest trace of the chosen outcome as swimlanes. The engine runs in a
// Web Worker; the whole view state lives in the URL under `?run=<runKey>`.

import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { MouseEvent } from 'react';
import { decodeTrace } from '@/lib/engine/index';
import type { RunnableScenario } from '@/lib/scenarios/runnable';
import type { PrecomputedRun } from '@/lib/scenarios/verdict';
import { RunRequest, RunnerResult, TraceReplay, traceFor } from './compute';
import { CANCELLED, askEngine, cancelEngine, warmEngine, type Progress } from './engine-client';
import { CUSTOM_HANDLER, RunnerView, Selection, defaultView, handlerFor, readRunnerView, writeRunnerView } from './url-state';
import { Switches } from './Switches';
import { HandlerEditor } from './HandlerEditor';
import { VerdictPanel } from './VerdictPanel';
import { OutcomeTable } from './OutcomeTable';
import { TraceView } from './TraceView';
import { Setup } from './Setup';
import { Heading, HeadingLevel, below } from './Heading';
import { runMeasure, runStartMark } from './marks';
import styles from './runner.module.css';

export interface ScenarioRunnerProps {
  /** The scenario as plain data: toRunnable(scenario) from lib/scenarios/runnable. */
  scenario: RunnableScenario;
  /** Names this runner in the URL (?run=<runKey>); unique on the page, e.g. the claim key. */
  runKey: string;
  /** The default run computed on the server (precomputeRun), shown before and without JavaScript. */
  precomputed?: PrecomputedRun;
  /** Beside a claim the scenario is a counterexample to: its expectations holding refute the claim. */
  counterexample?: boolean;
  /** Level of the runner's headings (default 2; its sections use the level below). */
  headingLevel?: HeadingLevel;
  /** The runner's heading (default "Run the scenario"). */
  heading?: string;
  /** A run already computed on the server for the view a link asked for: shown at once, not run again until something changes. */
  initial?: { view: RunnerView; result: RunnerResult };
}

type Run =
  | { status: 'idle' }
  | { status: 'running'; last?: RunnerResult; progress?: Progress }
  | { status: 'cancelled'; last?: RunnerResult; progress?: Progress }
  | { status: 'done'; result: RunnerResult; request: RunRequest }
  | { status: 'error'; error: string };

/** A run is offered a Cancel button once it has taken this long. */
const CANCEL_AFTER_MS = 500;

const progressText = (p: Progress) => `${p.states.toLocaleString('en-US')} states, ${Math.round(p.states / Math.max(p.millis, 1) * 1000).toLocaleString('en-US')} states/s`;

/** Replayed traces of the result whose trace is shown, by selection (the first came with it). */
interface Replays { of: RunnerResult; by: Partial<Record<Selection, TraceReplay>> }

/**
 * Keep the view's selection and step valid for a new result. The position is kept while the trace
 * is the same (Run again; a link being opened), else it starts over.
 */
function settle(view: RunnerView, r: RunnerResult, before?: RunnerResult): RunnerView {
  const selection = view.selection && traceFor(r.explore, view.selection) ? view.selection : r.selection;
  const trace = selection && traceFor(r.explore, selection);
  if (!trace) return { ...view, selection, step: 0 };
  const same = !before || traceFor(before.explore, selection!) === trace;
  return { ...view, selection, step: same ? Math.min(view.step ?? 0, decodeTrace(trace).length) : 0 };
}

const replaysOf = (r: RunnerResult): Replays => ({ of: r, by: r.selection && r.replay ? { [r.selection]: r.replay } : {} });

export function ScenarioRunner({ scenario, runKey, precomputed, counterexample = false, headingLevel = 2, heading = 'Run the scenario', initial }: ScenarioRunnerProps) {
  const [view, setView] = useState<RunnerView>(() => (initial ? settle(initial.view, initial.result) : defaultView(scenario)));
  const [open, setOpen] = useState(initial !== undefined); // run at least once, or opened by the URL
  const [ready, setReady] = useState(false); // hydrated: the controls work
  const [engineLoaded, setEngineLoaded] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [run, setRun] = useState<Run>(() => (initial
    ? { status: 'done', result: initial.result, request: { kind: 'run', scenario, era: initial.view.era, handler: handlerFor(initial.view, scenario) } }
    : { status: 'idle' }));
  const [replays, setReplays] = useState<Replays | null>(() => (initial ? replaysOf(initial.result) : null));
  const [runs, setRuns] = useState(0); // Run presses: re-run even when nothing changed
  const latest = useRef(0);
  const measuring = useRef(false);
  const selectionNow = useRef(view.selection); // read by the run effect without re-running on it
  const lastResult = useRef<RunnerResult | undefined>(initial?.result);
  const ids = useId();

  // Restore this runner's view from the URL, and load the worker before the first Run.
  useEffect(() => {
    const restored = readRunnerView(window.location.search, runKey, scenario);
    if (restored) {
      setView(restored.view);
      setProblems(restored.problems);
      setOpen(true);
    }
    setReady(true);
    let live = true;
    warmEngine().then(() => live && setEngineLoaded(true));
    return () => { live = false; };
  }, [runKey, scenario]);

  useEffect(() => { selectionNow.current = view.selection; }, [view.selection]);

  // Run whenever the configuration changes once the runner is open; only the latest reply counts.
  const { era, handler: choice, custom } = view;
  const request = useMemo<RunRequest>(
    () => ({ kind: 'run', scenario, era, handler: handlerFor({ era, handler: choice, custom }, scenario) }),
    [scenario, era, choice, custom],
  );
  useEffect(() => {
    if (!open) return;
    const id = ++latest.current;
    const asked = { ...request, selection: selectionNow.current };
    setRun((r) => ({ status: 'running', last: r.status === 'done' ? r.result : r.status === 'running' || r.status === 'cancelled' ? r.last : undefined }));
    const onProgress = (progress: Progress) => {
      if (id === latest.current) setRun((r) => (r.status === 'running' ? { ...r, progress } : r));
    };
    askEngine(asked, onProgress).then((res) => {
      if (id !== latest.current) return;
      if (!res.ok && res.error === CANCELLED) {
        setRun((r) => (r.status === 'running' ? { status: 'cancelled', last: r.last, progress: r.progress } : r));
        return;
      }
      if (!res.ok) {
        setRun({ status: 'error', error: res.error });
        return;
      }
      const r = res.result, before = lastResult.current;
      lastResult.current = r;
      setView((v) => settle(v, r, before));
      setRun({ status: 'done', result: r, request: asked });
    });
  }, [open, request, runs]);

  // Another trace of the same result: replayed when first chosen.
  useEffect(() => {
    if (run.status !== 'done' || !view.selection || replays?.of !== run.result || replays.by[view.selection]) return;
    const trace = traceFor(run.result.explore, view.selection);
    if (!trace) return;
    const { result } = run, sel = view.selection;
    askEngine({ ...run.request, kind: 'replay', trace }).then((res) => {
      if (!res.ok) setRun({ status: 'error', error: res.error });
      else setReplays((p) => (p?.of === result ? { of: result, by: { ...p.by, [sel]: res.replay } } : p));
    });
  }, [run, view.selection, replays]);

  // The URL follows the view of the runner the reader works with.
  useEffect(() => {
    if (!open) return;
    const { pathname, search, hash } = window.location;
    const next = writeRunnerView(search, runKey, view);
    if (next !== search) window.history.replaceState(null, '', `${pathname}${next}${hash}`);
  }, [open, view, runKey]);

  // The outcome table first: a new result's trace is rendered once the table has been painted
  // (a frame, then a task). That moment ends the "click on Run -> table" measure bench/claims.ts reads.
  useEffect(() => {
    if (run.status !== 'done') return;
    const { result } = run;
    let live = true;
    requestAnimationFrame(() => setTimeout(() => {
      if (!live) return;
      if (measuring.current) runMeasure(runKey);
      measuring.current = false;
      setReplays(replaysOf(result));
    }, 0));
    return () => { live = false; };
  }, [run, runKey]);

  const update = useCallback((change: Partial<RunnerView>) => {
    setView((v) => ({ ...v, ...change }));
    setOpen(true);
  }, []);

  const onRun = (e: MouseEvent) => {
    runStartMark(runKey, e.timeStamp);
    measuring.current = true;
    setOpen(true);
    setRuns((n) => n + 1);
  };

  const shown = run.status === 'done' ? run.result : run.status === 'running' || run.status === 'cancelled' ? run.last : undefined;
  const replay = view.selection && replays ? replays.by[view.selection] : undefined;
  const sub = below(headingLevel);

  return (
    <section className={styles.runner} aria-labelledby={`${ids}-h`} data-run-key={runKey} data-engine={engineLoaded ? 'loaded' : 'loading'}>
      <Heading level={headingLevel} id={`${ids}-h`}>{heading}</Heading>
      <Setup scenario={scenario} />
      <Switches scenario={scenario} view={view} disabled={!ready} idPrefix={ids} onChange={update} />
      {view.handler === CUSTOM_HANDLER && view.custom && (
        <HandlerEditor scenario={scenario} custom={view.custom} headingLevel={sub} idPrefix={`${ids}-ed`}
          onChange={(c) => update({ custom: c })} />
      )}
      <div className={styles.runBar}>
        <button type="button" className={styles.runButton} onClick={onRun} disabled={!ready}>
          {open ? 'Run again' : 'Run'}
        </button>
        <span role="status" className={styles.status} data-run-status={run.status}>
          {run.status === 'running' ? `Running…${run.progress ? ` ${progressText(run.progress)}` : ''}`
            : run.status === 'cancelled' ? `Cancelled${run.progress ? ` after ${progressText(run.progress)}` : ''}`
              : run.status === 'done' ? `Explored in ${run.result.explore.stats.millis.toFixed(1)} ms` : ''}
        </span>
        {run.status === 'running' && run.progress && run.progress.millis >= CANCEL_AFTER_MS && (
          <button type="button" onClick={cancelEngine}>Cancel</button>
        )}
        <noscript><span className={styles.status}>Running the scenario needs JavaScript; the verdict below is the precomputed default run.</span></noscript>
      </div>
      {problems.length > 0 && (
        <div className={styles.problems} role="note">
          <p>Some link parameters were ignored:</p>
          <ul>{problems.map((p) => <li key={p}><code>{p}</code></li>)}</ul>
        </div>
      )}
      {run.status === 'error' && (
        <p className={styles.error} role="alert">The scenario cannot run with these settings: {run.error}</p>
      )}
      <VerdictPanel scenario={scenario} precomputed={precomputed} counterexample={counterexample} result={run.status === 'error' ? undefined : shown}
        onShow={(s) => update({ selection: s, step: 0 })} />
      {shown && run.status !== 'error' && (
        <div className={run.status === 'running' || run.status === 'cancelled' ? styles.stale : undefined} aria-busy={run.status === 'running'}>
          <OutcomeTable result={shown} selection={view.selection} headingLevel={sub}
            onSelect={(s) => update({ selection: s, step: 0 })} />
          {replays && view.selection && (replay
            ? <TraceView actors={replays.of.actors} replay={replay} selection={view.selection} step={view.step ?? 0}
              headingLevel={sub} onStep={(step) => update({ step })} />
            : <p className={styles.muted}>Replaying the trace…</p>)}
        </div>
      )}
    </section>
  );
}
