'use client';

// A scenario composed where a claim is written: every field of a scenario file's front matter a
// native, labelled control; the handler composed with the runner's own editor. Controlled: the
// value may be invalid while it is edited, and its errors are listed under the fields; the parent
// decides whether to run it.

import { useState } from 'react';
import { ERAS, ERA_IDS, HANDLERS, HANDLER_IDS, OUTCOME_NAMES, SCENARIO_CAPS, actorNames } from '@/lib/engine/index';
import type { ActorSpec, EraId } from '@/lib/engine/index';
import { HandlerEditor } from '../runner/HandlerEditor';
import { Heading, HeadingLevel, below } from '../runner/Heading';
import { CUSTOM_HANDLER, customFrom, customSpec } from '../runner/url-state';
import { ACTOR_FIELDS, ACTOR_KINDS, ActorField, ActorKind, ComposedScenario, freshActor, validateComposed } from './compose';
import styles from './authoring.module.css';

interface Props {
  value: ComposedScenario;
  onChange(next: ComposedScenario): void;
  idPrefix: string;
  headingLevel: HeadingLevel;
}

const EXPECTATION_KINDS = [
  ['exists', 'Some run shows'],
  ['never', 'No run shows'],
  ['always', 'Every run ends with only'],
] as const;

export function ScenarioComposer({ value, onChange, idPrefix, headingLevel }: Props) {
  const id = (name: string) => `${idPrefix}-${name}`;
  const set = (change: Partial<ComposedScenario>) => onChange({ ...value, ...change });
  const composing = typeof value.handler !== 'string';
  // The bundled handler last chosen: what composing starts from, and the editor's template.
  const [template, setTemplate] = useState(typeof value.handler === 'string' && value.handler in HANDLERS ? value.handler : HANDLER_IDS[0]!);
  const chooseHandler = (choice: string) => {
    if (choice !== CUSTOM_HANDLER) {
      setTemplate(choice);
      set({ handler: choice });
    } else if (!composing) set({ handler: customSpec(customFrom(HANDLERS[String(value.handler)] ?? HANDLERS[template]!)) });
  };
  const setActor = (i: number, actor: ActorSpec) => set({ actors: value.actors.map((a, k) => (k === i ? actor : a)) });
  const validation = validateComposed(value);
  const names = actorNames(value.actors);
  const sub = below(headingLevel);

  return (
    <fieldset className={styles.composer}>
      <legend><Heading level={headingLevel}>Scenario</Heading></legend>
      <div className={styles.fields}>
        <div className={styles.field}>
          <label htmlFor={id('id')}>Id</label>
          <input id={id('id')} value={value.id} spellCheck={false} aria-describedby={id('id-hint')} onChange={(e) => set({ id: e.target.value })} />
          <p className={styles.hint} id={id('id-hint')}>lower-case letters, digits and dashes</p>
        </div>
        <div className={`${styles.field} ${styles.wide}`}>
          <label htmlFor={id('title')}>Title</label>
          <input id={id('title')} value={value.title} onChange={(e) => set({ title: e.target.value })} />
        </div>
        <div className={styles.field}>
          <label htmlFor={id('era')}>Kernel era</label>
          <select id={id('era')} value={value.era} aria-describedby={id('era-hint')} onChange={(e) => set({ era: e.target.value as EraId })}>
            {ERA_IDS.map((era) => <option key={era} value={era}>{era}</option>)}
          </select>
          <p className={styles.hint} id={id('era-hint')}>{ERAS[value.era]?.title}</p>
        </div>
        <div className={styles.field}>
          <label htmlFor={id('handler')}>Handler</label>
          <select id={id('handler')} value={composing ? CUSTOM_HANDLER : String(value.handler)} aria-describedby={id('handler-hint')}
            onChange={(e) => chooseHandler(e.target.value)}>
            {HANDLER_IDS.map((h) => <option key={h} value={h}>{h}</option>)}
            <option value={CUSTOM_HANDLER}>compose your own…</option>
          </select>
          <p className={styles.hint} id={id('handler-hint')}>
            {typeof value.handler === 'string' ? HANDLERS[value.handler]?.title : 'your ->page_mkwrite, composed from the ops below'}
          </p>
        </div>
        <div className={styles.field}>
          <label htmlFor={id('pages')}>Pages in the file</label>
          <NumberInput id={id('pages')} value={value.file.pages} min={1} max={SCENARIO_CAPS.pages}
            onChange={(pages) => set({ file: { ...value.file, pages: pages! } })} />
        </div>
        <div className={styles.field}>
          <label htmlFor={id('size')}>File size (i_size), in pages</label>
          <NumberInput id={id('size')} value={value.file.size} min={0} optional describedBy={id('size-hint')}
            onChange={(size) => set({ file: { ...value.file, size } })} />
          <p className={styles.hint} id={id('size-hint')}>empty: the whole file</p>
        </div>
      </div>

      {typeof value.handler !== 'string' && (
        <HandlerEditor scenario={{ handler: template }} custom={customFrom(value.handler)} idPrefix={id('handler-editor')} headingLevel={sub}
          onChange={(custom) => set({ handler: customSpec(custom) })} />
      )}

      <fieldset className={styles.group}>
        <legend><Heading level={sub}>Actors</Heading></legend>
        <ol className={styles.actors}>
          {value.actors.map((actor, i) => (
            <ActorRow key={i} actor={actor} n={i + 1} idPrefix={id(`actor-${i + 1}`)} onChange={(a) => setActor(i, a)}
              onRemove={() => set({ actors: value.actors.filter((_, k) => k !== i) })} />
          ))}
        </ol>
        <button type="button" disabled={value.actors.length >= SCENARIO_CAPS.actors}
          onClick={() => set({ actors: [...value.actors, freshActor('fault')] })}>Add actor</button>
        {value.actors.length >= SCENARIO_CAPS.actors && <span className={styles.hint}> at most {SCENARIO_CAPS.actors} actors</span>}
      </fieldset>

      <fieldset className={styles.group}>
        <legend><Heading level={sub}>Expectations</Heading></legend>
        <p className={styles.hint} id={id('expect-hint')}>
          One per line: an outcome ({OUTCOME_NAMES.join(', ')}), one actor&apos;s (<code>Sigbus({names[0] ?? 'fault[0]'})</code>),
          or events in order (<code>Retried then WriteLanded</code>). Actors: {names.join(', ') || 'none yet'}.
        </p>
        <div className={styles.fields}>
          {EXPECTATION_KINDS.map(([kind, text]) => (
            <div key={kind} className={styles.field}>
              <label htmlFor={id(`expect-${kind}`)}>{text} ({kind})</label>
              <LinesInput id={id(`expect-${kind}`)} value={value.expect[kind] ?? []} describedBy={id('expect-hint')}
                onChange={(lines) => set({ expect: { ...value.expect, [kind]: lines.length ? lines : undefined } })} />
            </div>
          ))}
        </div>
      </fieldset>

      {!validation.ok && (
        <ul className={styles.errors} role="alert">
          {validation.errors.map((e, k) => <li key={k}><code>{e.path}</code>: {e.message}</li>)}
        </ul>
      )}
    </fieldset>
  );
}

function ActorRow({ actor, n, idPrefix, onChange, onRemove }: { actor: ActorSpec; n: number; idPrefix: string; onChange(a: ActorSpec): void; onRemove(): void }) {
  const fieldsOf = actor as Record<string, unknown>;
  const setField = (name: string, v: unknown) => onChange({ ...actor, [name]: v } as ActorSpec);
  return (
    <li className={styles.actor}>
      <span className={styles.actorField}>
        <label htmlFor={`${idPrefix}-kind`}>Actor {n}</label>
        <select id={`${idPrefix}-kind`} value={actor.kind} onChange={(e) => onChange(freshActor(e.target.value as ActorKind, actor.name))}>
          {ACTOR_KINDS.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
      </span>
      {ACTOR_FIELDS[actor.kind].map((f) => (
        <span key={f.name} className={styles.actorField}>
          <FieldControl field={f} id={`${idPrefix}-${f.name}`} value={fieldsOf[f.name]} onChange={(v) => setField(f.name, v)} />
        </span>
      ))}
      <span className={styles.actorField}>
        <label htmlFor={`${idPrefix}-name`}>name</label>
        <input id={`${idPrefix}-name`} className={styles.name} value={actor.name ?? ''} spellCheck={false} placeholder="optional"
          onChange={(e) => setField('name', e.target.value || undefined)} />
      </span>
      <button type="button" className={styles.remove} onClick={onRemove} aria-label={`Remove actor ${n}`}>Remove</button>
    </li>
  );
}

/** One field of an actor; an optional one left empty (unset, unchecked) is undefined. */
function FieldControl({ field, id, value, onChange }: { field: ActorField; id: string; value: unknown; onChange(v: unknown): void }) {
  const label = <label htmlFor={id}>{field.name}</label>;
  switch (field.type) {
    case 'number':
      return <>{label}<NumberInput id={id} value={value as number | undefined} min={field.min} max={field.max} optional={field.optional} onChange={onChange} /></>;
    case 'choice':
      return (
        <>{label}
          <select id={id} value={String(value ?? '')} onChange={(e) => onChange(e.target.value || undefined)}>
            {field.optional && <option value="">(unset)</option>}
            {field.values.map((v) => <option key={v} value={v}>{v}</option>)}
          </select>
        </>
      );
    case 'flag':
      return <><input type="checkbox" id={id} checked={!!value} onChange={(e) => onChange(e.target.checked || undefined)} />{label}</>;
  }
}

/**
 * Text typed that is not yet a value (an emptied number, a half-typed line) stays in the control
 * only; the value keeps what was last valid, and a new value from the parent replaces the text.
 */
function useDraft<T>(value: T, show: (v: T) => string, same: (a: T, b: T) => boolean) {
  const [text, setText] = useState(() => show(value));
  const [shown, setShown] = useState(value);
  if (!same(value, shown)) {
    setShown(value);
    setText(show(value));
  }
  return { text, setText, accept: setShown };
}

function NumberInput({ id, value, min, max, optional = false, describedBy, onChange }: {
  id: string; value: number | undefined; min?: number; max?: number; optional?: boolean; describedBy?: string; onChange(v: number | undefined): void;
}) {
  const draft = useDraft(value, (v) => (v === undefined ? '' : String(v)), Object.is);
  const read = (text: string) => (text.trim() === '' ? (optional ? undefined : null) : /^\d+$/.test(text.trim()) ? Number(text) : null);
  const ok = read(draft.text) !== null;
  return (
    <>
      <input id={id} className={styles.number} type="number" inputMode="numeric" min={min} max={max} value={draft.text}
        aria-invalid={!ok || undefined} aria-describedby={[describedBy, ok ? undefined : `${id}-error`].filter(Boolean).join(' ') || undefined}
        onChange={(e) => {
          draft.setText(e.target.value);
          const v = read(e.target.value);
          if (v !== null) {
            draft.accept(v);
            onChange(v);
          }
        }} />
      {!ok && <span id={`${id}-error`} className={styles.fieldError}>a whole number; still {value ?? 'empty'}</span>}
    </>
  );
}

const linesOf = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
const sameLines = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function LinesInput({ id, value, describedBy, onChange }: { id: string; value: readonly string[]; describedBy: string; onChange(lines: string[]): void }) {
  const draft = useDraft(value, (v) => v.join('\n'), sameLines);
  return (
    <textarea id={id} className={styles.lines} rows={3} value={draft.text} spellCheck={false} aria-describedby={describedBy}
      onChange={(e) => {
        draft.setText(e.target.value);
        const lines = linesOf(e.target.value);
        draft.accept(lines);
        onChange(lines);
      }} />
  );
}
