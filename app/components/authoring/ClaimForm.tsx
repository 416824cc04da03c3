'use client';
// The form a selection opens, in place after its paragraph: who claims what, of which kind, and
// the tests (a bundled scenario, or one composed here), each with its verdict computed live in
// the engine worker and its shortest trace a click away. The claim block is shown as it will be
// written; Save writes it (with the site's edit token), and without authoring rights it can be
// copied or downloaded instead.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { CLAIM_KINDS, type Anchor, type ClaimKind, type MessageRef } from '@/lib/claims/types';
import { annotationFileText, claimBlockText, claimIdFor, type ClaimDraft } from '@/lib/claims/write';
import { ERA_IDS, HANDLER_IDS, type EraId } from '@/lib/engine/index';
import { toRunnable, type RunnableScenario } from '@/lib/scenarios/runnable';
import { ScenarioRunner } from '@/app/components/runner/ScenarioRunner';
import { defaultView } from '@/app/components/runner/url-state';
import { VERDICT_TITLES } from '@/app/components/claims/verdicts';
import { freshComposed, scenarioFileText, validateComposed, type ComposedScenario } from './compose';
import { ScenarioComposer } from './ScenarioComposer';
import { ScenarioPicker } from './ScenarioPicker';
import { bundledRunnable, useLiveVerdict } from './live-verdict';
import { EDIT_TOKEN_HEADER, keepToken, storedToken } from './token';
import styles from './form.module.css';
import shared from './authoring.module.css';

/** Where the claim is: the message, who wrote it, and the words as the anchor names them. */
export interface FormAnchor {
  archiveId: string;
  ref: MessageRef;
  author: string;
  /** The quoted writer, for words in a quote. */
  writer: string | null;
  anchor: Anchor;
}

/** A claim being edited: its key, and what its file says. */
export interface Editing {
  key: string;
  claimant: string;
  kind: ClaimKind;
  statement: string;
  tests: Array<{ scenario: string; era?: string; handler?: string; counterexample: boolean; expect: 'supported' | 'refuted' }>;
  untested?: string;
}

interface TestDraft {
  uid: number;
  source: 'bundled' | 'composed';
  scenario: string;
  era: EraId | '';
  handler: string;
  counterexample: boolean;
  /** What the author expects; 'computed' takes the engine's verdict as it stands at saving. */
  expect: 'supported' | 'refuted' | 'computed';
}

const KIND_HINTS: Record<ClaimKind, string> = {
  rule: 'how the code behaves or must be used',
  history: 'what a commit did or why',
  proposal: 'what should be done',
  question: 'the proposition a question asks about',
};

let uids = 0;
const freshTest = (source: TestDraft['source'] = 'bundled', scenario = ''): TestDraft =>
  ({ uid: ++uids, source, scenario, era: '', handler: '', counterexample: false, expect: 'computed' });

export interface SavedAnswer { key: string; file: string; createdFile: boolean; scenarioFile?: string; verdict: string | null; disagreement?: { expected: string; computed: string } }

export function ClaimForm({ at, editing, canSave, onClose, onSaved }: {
  at: FormAnchor;
  editing?: Editing;
  canSave: boolean;
  onClose(): void;
  onSaved(saved: SavedAnswer): void;
}) {
  const [claimant, setClaimant] = useState(editing?.claimant ?? (at.anchor.in === 'quote' && at.writer ? at.writer : at.author));
  const [kind, setKind] = useState<ClaimKind>(editing?.kind ?? 'rule');
  const [statement, setStatement] = useState(editing?.statement ?? '');
  const [tests, setTests] = useState<TestDraft[]>(() => editing?.tests.map((t) => ({
    ...freshTest('bundled', t.scenario), era: (t.era ?? '') as EraId | '', handler: t.handler ?? '', counterexample: t.counterexample, expect: t.expect,
  })) ?? [freshTest()]);
  const [composed, setComposed] = useState<ComposedScenario | null>(null);
  // Why no scenario can test the claim (the engine does not model it), instead of tests; null while it has tests.
  const [untested, setUntested] = useState<string | null>(editing?.untested ?? null);
  const [computed, setComputed] = useState<Record<number, string>>({});
  const [token, setToken] = useState(() => (typeof window === 'undefined' ? '' : storedToken()));
  const [status, setStatus] = useState<{ kind: 'error' | 'saving' | 'copied'; text: string } | null>(null);
  const composedTest = tests.find((t) => t.source === 'composed');
  const checked = useMemo(() => (composed ? validateComposed(composed) : null), [composed]);
  const composedRunnable = useMemo(() => (checked?.ok ? toRunnable(checked.scenario) : null), [checked]);

  const recordComputed = useCallback((uid: number, v: string) => setComputed((c) => (c[uid] === v ? c : { ...c, [uid]: v })), []);
  const setTest = (uid: number, change: Partial<TestDraft>) => setTests((ts) => ts.map((t) => (t.uid === uid ? { ...t, ...change } : t)));
  const compose = (uid: number) => {
    setComposed((c) => c ?? freshComposed());
    setTest(uid, { source: 'composed' });
  };

  const resolved = tests.map((t) => ({
    scenario: t.source === 'composed' ? composed?.id ?? '' : t.scenario,
    ...(t.era && { era: t.era }),
    ...(t.handler && { handler: t.handler }),
    counterexample: t.counterexample,
    expect: (t.expect === 'computed' ? computed[t.uid] : t.expect) as 'supported' | 'refuted',
  }));
  const testsReady = untested !== null ? untested.trim() !== ''
    : resolved.length > 0 && resolved.every((t) => t.scenario && (t.expect === 'supported' || t.expect === 'refuted')) && (!composedTest || !!checked?.ok);
  const ready = statement.trim() !== '' && claimant.trim() !== '' && testsReady;
  const claimTests = untested !== null ? { tests: [], untested: untested.trim() } : { tests: resolved };
  const id = editing?.key.split('#')[1] ?? claimIdFor(statement, new Set());
  const draft: ClaimDraft = { id, message: at.ref, claimant: claimant.trim(), kind, statement: statement.trim(), anchor: at.anchor, ...claimTests };
  const block = claimBlockText(draft);

  const save = async () => {
    setStatus({ kind: 'saving', text: 'Saving…' });
    const r = await fetch('/authoring/claims', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [EDIT_TOKEN_HEADER]: token },
      body: JSON.stringify({
        archiveId: at.archiveId,
        claim: { claimant: draft.claimant, kind, statement: draft.statement, anchor: at.anchor, ...claimTests },
        ...(editing && { replace: editing.key }),
        ...(untested === null && composedTest && composed && { scenario: composed }),
      }),
    }).catch((e: Error) => ({ ok: false, status: 0, json: async () => ({ error: e.message }) }) as const);
    const answer = await r.json().catch(() => ({ error: `${r.status}` }));
    if (!r.ok) {
      if (r.status === 403) keepToken('');
      setStatus({ kind: 'error', text: `Not saved (${r.status}): ${answer.error}` });
      return;
    }
    keepToken(token);
    onSaved(answer as SavedAnswer);
  };

  const copy = async () => {
    await navigator.clipboard.writeText(block).then(
      () => setStatus({ kind: 'copied', text: 'The claim block is on the clipboard: paste it into the message\'s file under content/annotations/.' }),
      () => setStatus({ kind: 'error', text: 'The clipboard is not available here: select the block above and copy it.' }),
    );
  };
  const download = (name: string, text: string) => {
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/markdown' }));
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  const fileText = () => annotationFileText({ title: `${at.author}: ${id}`, message: at.ref, claimant: at.author }, claimBlockText({ ...draft, message: undefined, claimant: draft.claimant === at.author ? undefined : draft.claimant }));

  return (
    <section className={styles.form} aria-label={editing ? 'Edit the claim' : 'Add a claim'} data-author-form={editing ? 'edit' : 'add'}>
      <p className={styles.head}>
        <strong>{editing ? 'Edit the claim' : 'Add a claim'}</strong>
        <button type="button" className={styles.close} onClick={onClose} aria-label="Close the form">✕</button>
      </p>
      <div className={styles.anchor}>
        <p className={styles.hint}>Anchored {at.anchor.in === 'quote' ? `in the quote of ${at.writer ?? 'another writer'}` : at.anchor.in === 'diff' ? 'in the patch' : 'in the writer\'s own text'}, as it will be saved:</p>
        <dl>
          {at.anchor.prefix && <><dt>prefix</dt><dd>{at.anchor.prefix}</dd></>}
          <dt>exact</dt><dd className={styles.exact}>{at.anchor.exact}</dd>
          {at.anchor.suffix && <><dt>suffix</dt><dd>{at.anchor.suffix}</dd></>}
          <dt>in</dt><dd>{at.anchor.in}</dd>
        </dl>
      </div>
      <div className={shared.fields}>
        <div className={shared.field}>
          <label htmlFor={`claimant-${id}`}>Claimant</label>
          <input id={`claimant-${id}`} list={`claimants-${id}`} value={claimant} onChange={(e) => setClaimant(e.target.value)} />
          <datalist id={`claimants-${id}`}>
            <option value={at.author} />
            {at.writer && at.writer !== at.author && <option value={at.writer} />}
          </datalist>
        </div>
        <div className={shared.field}>
          <label htmlFor={`kind-${id}`}>Kind</label>
          <select id={`kind-${id}`} value={kind} onChange={(e) => setKind(e.target.value as ClaimKind)} aria-describedby={`kind-${id}-hint`}>
            {CLAIM_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
          <p className={styles.hint} id={`kind-${id}-hint`}>{KIND_HINTS[kind]}</p>
        </div>
        <div className={`${shared.field} ${shared.wide}`}>
          <label htmlFor={`statement-${id}`}>Statement <span className={styles.hint}>(one line, the claim in plain words)</span></label>
          <input id={`statement-${id}`} value={statement} maxLength={240} onChange={(e) => setStatement(e.target.value.replace(/\n/g, ' '))} />
        </div>
      </div>
      <h4 className={styles.sub}>Tests</h4>
      <label className={styles.untested}>
        <input type="checkbox" checked={untested !== null} onChange={(e) => setUntested(e.target.checked ? '' : null)} /> No scenario can test this claim: the engine does not model it
      </label>
      {untested !== null ? (
        <div className={shared.field}>
          <label htmlFor={`untested-${id}`}>Why not <span className={styles.hint}>(what the claim is about that the engine leaves out)</span></label>
          <input id={`untested-${id}`} value={untested} maxLength={400} onChange={(e) => setUntested(e.target.value)} />
        </div>
      ) : <>
      <ol className={styles.tests}>
        {tests.map((t, n) => (
          <TestRow key={t.uid} test={t} n={n} composedRunnable={composedRunnable} composedId={composed?.id}
            onChange={(c) => setTest(t.uid, c)} onCompose={() => compose(t.uid)} canCompose={!composedTest || composedTest.uid === t.uid}
            onRemove={tests.length > 1 ? () => setTests((ts) => ts.filter((x) => x.uid !== t.uid)) : undefined}
            onComputed={recordComputed} />
        ))}
      </ol>
      <button type="button" onClick={() => setTests((ts) => [...ts, freshTest()])}>Add a test</button>
      {composedTest && composed && (
        <div className={styles.composer}>
          <ScenarioComposer value={composed} onChange={setComposed} idPrefix={`compose-${id}`} headingLevel={4} />
        </div>
      )}
      </>}
      <h4 className={styles.sub}>The claim block</h4>
      <pre className={styles.block} data-claim-block>{block}</pre>
      {untested === null && composedTest && composed && <details className={styles.scenarioFile}><summary>The composed scenario&apos;s file, content/scenarios/{composed.id}.md</summary><pre>{scenarioFileText(composed)}</pre></details>}
      <div className={styles.actions}>
        {canSave ? (
          <>
            <label htmlFor={`token-${id}`}>Edit token</label>
            <input id={`token-${id}`} type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} className={styles.token} />
            <button type="button" className={styles.save} disabled={!ready || !token || status?.kind === 'saving'} onClick={save}>Save</button>
          </>
        ) : (
          <p className={styles.hint} data-authoring-off>This site takes no writes (it was not started with THREADLAB_EDIT_TOKEN): copy the block into the message&apos;s file under content/annotations/, or download it as a file of its own.</p>
        )}
        <button type="button" onClick={copy} disabled={!ready}>Copy the block</button>
        <button type="button" onClick={() => download(`${id}.md`, fileText())} disabled={!ready}>Download as a file</button>
        {untested === null && composedTest && composed && <button type="button" onClick={() => download(`${composed.id}.md`, scenarioFileText(composed))} disabled={!checked?.ok}>Download the scenario</button>}
      </div>
      {!ready && <p className={styles.hint}>{!statement.trim() ? 'Write the statement. ' : ''}{untested !== null ? (untested.trim() ? '' : 'Say why no scenario can test it. ') : <>{resolved.some((t) => !t.scenario) ? 'Choose a scenario for every test. ' : ''}{composedTest && !checked?.ok ? 'The composed scenario has errors. ' : ''}</>}</p>}
      {status && <p className={status.kind === 'error' ? styles.error : styles.hint} role={status.kind === 'error' ? 'alert' : 'status'}>{status.text}</p>}
    </section>
  );
}

function TestRow({ test, n, composedRunnable, composedId, canCompose, onChange, onCompose, onRemove, onComputed }: {
  test: TestDraft;
  n: number;
  composedRunnable: RunnableScenario | null;
  composedId?: string;
  canCompose: boolean;
  onChange(c: Partial<TestDraft>): void;
  onCompose(): void;
  onRemove?: () => void;
  onComputed(uid: number, verdict: string): void;
}) {
  const [trace, setTrace] = useState(false);
  const source = useMemo(() => (test.source === 'composed' ? composedRunnable : test.scenario ? bundledRunnable(test.scenario) : null), [test.source, test.scenario, composedRunnable]);
  const live = useLiveVerdict(source, { era: test.era || undefined, handler: test.handler || undefined }, test.counterexample);
  const computedNow = live.status === 'done' ? live.verdict : null;
  useEffect(() => { if (computedNow) onComputed(test.uid, computedNow); }, [computedNow, onComputed, test.uid]);
  const p = `test-${test.uid}`;
  return (
    <li className={styles.test} data-test={n}>
      <div className={styles.testSource} role="radiogroup" aria-label={`Test ${n + 1}: scenario`}>
        <label><input type="radio" name={`${p}-src`} checked={test.source === 'bundled'} onChange={() => onChange({ source: 'bundled' })} /> a bundled scenario</label>
        <label><input type="radio" name={`${p}-src`} checked={test.source === 'composed'} disabled={!canCompose} onChange={onCompose} /> compose one here</label>
        {onRemove && <button type="button" onClick={onRemove} className={styles.remove}>Remove test</button>}
      </div>
      {test.source === 'bundled'
        ? <ScenarioPicker chosen={test.scenario} onChoose={(scenario) => onChange({ scenario })} idPrefix={p} />
        : <p className={styles.hint}>Runs the scenario composed below{composedId ? ` (${composedId})` : ''}.</p>}
      <div className={shared.fields}>
        <div className={shared.field}>
          <label htmlFor={`${p}-era`}>Era</label>
          <select id={`${p}-era`} value={test.era} onChange={(e) => onChange({ era: e.target.value as EraId | '' })}>
            <option value="">the scenario&apos;s</option>
            {ERA_IDS.map((e) => <option key={e} value={e}>{e}</option>)}
          </select>
        </div>
        <div className={shared.field}>
          <label htmlFor={`${p}-handler`}>Handler</label>
          <select id={`${p}-handler`} value={test.handler} onChange={(e) => onChange({ handler: e.target.value })}>
            <option value="">the scenario&apos;s</option>
            {HANDLER_IDS.map((h) => <option key={h} value={h}>{h}</option>)}
          </select>
        </div>
        <div className={shared.field}>
          <label><input type="checkbox" checked={test.counterexample} onChange={(e) => onChange({ counterexample: e.target.checked })} /> counterexample</label>
          <p className={styles.hint}>its expectations holding refute the claim</p>
        </div>
        <div className={shared.field}>
          <label htmlFor={`${p}-expect`}>You expect</label>
          <select id={`${p}-expect`} value={test.expect} onChange={(e) => onChange({ expect: e.target.value as TestDraft['expect'] })}>
            <option value="computed">what the engine computes</option>
            <option value="supported">supported</option>
            <option value="refuted">refuted</option>
          </select>
        </div>
      </div>
      <p className={styles.verdict} data-live-verdict={live.status === 'done' ? live.verdict : live.status} aria-live="polite">
        {live.status === 'idle' && <span className={styles.hint}>Choose a scenario to compute the verdict.</span>}
        {live.status === 'running' && <span className={styles.hint}>Computing the verdict…</span>}
        {live.status === 'error' && <span className={styles.error}>The scenario cannot run: {live.error}</span>}
        {live.status === 'done' && (
          <>
            Computed: <span className="badge" data-verdict={live.verdict} title={VERDICT_TITLES[live.verdict]}>{live.verdict}</span>{' '}
            {test.expect !== 'computed' && test.expect !== live.verdict && <span className={styles.error}>you expect {test.expect}: the annotation tests will name the difference</span>}{' '}
            <button type="button" aria-expanded={trace} onClick={() => setTrace((x) => !x)}>{trace ? 'Hide the trace' : 'Show the shortest trace'}</button>
          </>
        )}
      </p>
      {live.status === 'done' && live.failed.length > 0 && <ul className={styles.failed}>{live.failed.map((f) => <li key={f}>{f}</li>)}</ul>}
      {trace && live.status === 'done' && (
        <div className={styles.trace}>
          <ScenarioRunner scenario={live.scenario} runKey={`author-${test.uid}`} counterexample={test.counterexample} headingLevel={5}
            heading={`${test.counterexample ? 'Counterexample' : 'Scenario'}: ${live.scenario.title}`}
            initial={{ view: defaultView(live.scenario), result: live.result }} />
        </div>
      )}
    </li>
  );
}
