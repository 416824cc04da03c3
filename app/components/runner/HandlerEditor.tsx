// Editor of a composed ->page_mkwrite: one row per op, every field a native control, all read
// from the op table (lib/engine/handlers/ops.ts). Each edit re-runs the scenario (the runner
// watches `custom`).

import { useState } from 'react';
import { ERRNO_MODES, HANDLERS, HANDLER_IDS, OPS, OP_NAMES, freshOp, opFields } from '@/lib/engine/index';
import type { ErrnoMode, HandlerOp, OpField, OpName } from '@/lib/engine/index';
import type { RunnableScenario } from '@/lib/scenarios/runnable';
import { CustomHandler, FN_NAME, RET_CHARS } from './handler-code';
import { SCENARIO_HANDLER, customFrom } from './url-state';
import { specOf } from './Switches';
import { Heading, HeadingLevel } from './Heading';
import styles from './runner.module.css';

const ERRNO_TEXT: Record<ErrnoMode, string> = {
  sigbus: 'VM_FAULT_SIGBUS, whatever the errno',
  vmf_error: 'vmf_error(): -ENOMEM is VM_FAULT_OOM, others VM_FAULT_SIGBUS',
  raw: 'the negative int itself, read by the VM as bits',
};

const RETS = ['0', 'LOCKED', 'NOPAGE', 'SIGBUS', 'OOM', 'RETRY', '-EINVAL', '-ENOMEM', '-ENOSPC', '-EAGAIN', '-EFAULT', '-EIO'];

interface Props {
  /** Only its handler is read: the template the editor starts again from. */
  scenario: Pick<RunnableScenario, 'handler'>;
  custom: CustomHandler;
  idPrefix: string;
  headingLevel: HeadingLevel;
  onChange(custom: CustomHandler): void;
}

export function HandlerEditor({ scenario, custom, idPrefix, headingLevel, onChange }: Props) {
  const [fnText, setFnText] = useState(custom.fn);
  const [template, setTemplate] = useState(typeof scenario.handler === 'string' ? scenario.handler : SCENARIO_HANDLER);
  const ops = custom.ops;
  const setOps = (next: HandlerOp[]) => onChange({ ...custom, ops: next });
  const setOp = (i: number, op: HandlerOp) => setOps(ops.map((o, k) => (k === i ? op : o)));
  const move = (i: number, by: -1 | 1) => {
    const next = ops.slice();
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setOps(next);
  };
  // New ops go before a closing return, which the engine requires last.
  const add = (name: OpName) => {
    const at = ops.length > 0 && ops[ops.length - 1].op === 'return' ? ops.length - 1 : ops.length;
    setOps([...ops.slice(0, at), freshOp(name), ...ops.slice(at)]);
  };
  const [adding, setAdding] = useState<OpName>('lockPage');
  const rets = `${idPrefix}-rets`;

  return (
    <fieldset className={styles.editor}>
      <legend><Heading level={headingLevel}>Your handler</Heading></legend>
      <datalist id={rets}>{RETS.map((r) => <option key={r} value={r} />)}</datalist>
      <div className={styles.editorHead}>
        <span className={styles.field}>
          <label htmlFor={`${idPrefix}-fn`}>Function name</label>
          <input id={`${idPrefix}-fn`} value={fnText} spellCheck={false} aria-describedby={`${idPrefix}-fn-hint`}
            onChange={(e) => {
              setFnText(e.target.value);
              if (FN_NAME.test(e.target.value)) onChange({ ...custom, fn: e.target.value });
            }} />
          {!FN_NAME.test(fnText) && <span id={`${idPrefix}-fn-hint`} className={styles.fieldError}>not a C function name; still {custom.fn}</span>}
        </span>
        <span className={styles.field}>
          <label htmlFor={`${idPrefix}-errno`}>An errno returned becomes</label>
          <select id={`${idPrefix}-errno`} value={custom.errno} onChange={(e) => onChange({ ...custom, errno: e.target.value as ErrnoMode })}>
            {ERRNO_MODES.map((m) => <option key={m} value={m}>{ERRNO_TEXT[m]}</option>)}
          </select>
        </span>
        <span className={styles.field}>
          <label htmlFor={`${idPrefix}-from`}>Start again from</label>
          <span className={styles.inline}>
            <select id={`${idPrefix}-from`} value={template} onChange={(e) => setTemplate(e.target.value)}>
              {typeof scenario.handler !== 'string' && <option value={SCENARIO_HANDLER}>the scenario&apos;s {scenario.handler.id}</option>}
              {HANDLER_IDS.map((id) => <option key={id} value={id}>{HANDLERS[id].id}</option>)}
            </select>
            <button type="button" onClick={() => {
              const spec = specOf(template, scenario);
              if (spec) {
                setFnText(spec.fn);
                onChange(customFrom(spec));
              }
            }}>Replace the ops</button>
          </span>
        </span>
      </div>
      <ol className={styles.ops}>
        {ops.map((op, i) => {
          const n = i + 1;
          return (
            <li key={i} className={styles.op}>
              <select aria-label={`Op ${n}`} value={op.op} onChange={(e) => setOp(i, freshOp(e.target.value as OpName))}>
                {OP_NAMES.map((name) => <option key={name} value={name}>{OPS[name].text}</option>)}
              </select>
              <OpFields op={op} n={n} rets={rets} onChange={(next) => setOp(i, next)} />
              <span className={styles.opButtons}>
                <button type="button" aria-label={`Move op ${n} up`} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
                <button type="button" aria-label={`Move op ${n} down`} disabled={i === ops.length - 1} onClick={() => move(i, 1)}>↓</button>
                <button type="button" aria-label={`Remove op ${n}`} onClick={() => setOps(ops.filter((_, k) => k !== i))}>✕</button>
              </span>
            </li>
          );
        })}
      </ol>
      <div className={styles.inline}>
        <label htmlFor={`${idPrefix}-add`} className={styles.visuallyHidden}>Op to add</label>
        <select id={`${idPrefix}-add`} value={adding} onChange={(e) => setAdding(e.target.value as OpName)}>
          {OP_NAMES.map((name) => <option key={name} value={name}>{OPS[name].text}</option>)}
        </select>
        <button type="button" onClick={() => add(adding)}>Add op</button>
      </div>
    </fieldset>
  );
}

/** A return value as typed; characters no return value has are dropped so the URL can hold it. */
function RetInput({ value, label, rets, onChange }: { value: string; label: string; rets: string; onChange(v: string): void }) {
  return (
    <input className={styles.ret} aria-label={label} list={rets} value={value} spellCheck={false}
      onChange={(e) => onChange([...e.target.value].filter((c) => RET_CHARS.test(c)).join(''))} />
  );
}

function OpFields({ op, n, rets, onChange }: { op: HandlerOp; n: number; rets: string; onChange(op: HandlerOp): void }) {
  const fields = opFields(op.op);
  if (fields.length === 0) return null;
  return (
    <span className={styles.opFields}>
      {fields.map(([name, field]) => (
        <FieldControl key={name} field={field} value={(op as Record<string, unknown>)[name]} label={`Op ${n}: ${field.label}`} rets={rets}
          onChange={(value) => onChange({ ...op, [name]: value } as HandlerOp)} />
      ))}
    </span>
  );
}

/** One field of an op; a value cleared (a flag unset, a choice of none) is undefined. */
function FieldControl({ field, value, label, rets, onChange }: { field: OpField; value: unknown; label: string; rets: string; onChange(value: unknown): void }) {
  switch (field.kind) {
    case 'flag':
      return (
        <label className={styles.check}>
          <input type="checkbox" checked={!!value} onChange={(e) => onChange(e.target.checked || undefined)} />
          {field.label}
        </label>
      );
    case 'ret':
      return <RetInput value={String(value)} label={label} rets={rets} onChange={onChange} />;
    case 'choice': {
      const options = Object.entries(field.options ?? Object.fromEntries(field.values.map((v) => [v, v])));
      const select = (
        <select aria-label={field.captioned ? undefined : label} value={String(value ?? '')} onChange={(e) => onChange(e.target.value || undefined)}>
          {options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
        </select>
      );
      return field.captioned ? <label className={styles.check}>{field.label}{select}</label> : select;
    }
  }
}
