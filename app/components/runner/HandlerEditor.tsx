// Editor of a composed ->page_mkwrite: the op list of lib/engine/handlers/composable.ts, one row per
// op, every field a native control. Each edit re-runs the scenario (the runner watches `custom`).

import { useState } from 'react';
import { HANDLERS, HANDLER_IDS } from '@/lib/engine/index';
import type { HandlerOp } from '@/lib/engine/index';
import type { RunnableScenario } from '@/lib/scenarios/runnable';
import { CustomHandler, ERRNO_MODES, ErrnoMode, FN_NAME, OP_NAMES, OpName, RET_CHARS, SEMS } from './handler-code';
import { SCENARIO_HANDLER, customFrom } from './url-state';
import { specOf } from './Switches';
import { Heading, HeadingLevel } from './Heading';
import styles from './runner.module.css';

const OP_TEXT: Record<OpName, string> = {
  lockPage: 'lock_page(page)',
  unlockPage: 'unlock_page(page)',
  check: 'check the page; on failure return',
  allocate: 'allocate blocks / reserve space',
  setPageDirty: 'set_page_dirty(page)',
  findOrCreatePage: 'find_or_create_page(): the cache’s page instead of the VM’s',
  skipIfPrepared: 'already prepared: unlock and return',
  clusterLock: 'take the cluster lock (EX)',
  clusterUnlock: 'drop the cluster lock',
  allocSem: 'down(alloc semaphore)',
  allocSemUp: 'up(alloc semaphore)',
  return: 'return',
};

const FRESH: Record<OpName, HandlerOp> = {
  lockPage: { op: 'lockPage' },
  unlockPage: { op: 'unlockPage' },
  check: { op: 'check', mapping: true, fail: 'NOPAGE' },
  allocate: { op: 'allocate' },
  setPageDirty: { op: 'setPageDirty' },
  findOrCreatePage: { op: 'findOrCreatePage' },
  skipIfPrepared: { op: 'skipIfPrepared', ret: 'LOCKED' },
  clusterLock: { op: 'clusterLock' },
  clusterUnlock: { op: 'clusterUnlock' },
  allocSem: { op: 'allocSem', sem: 'ip_alloc_sem', mode: 'write' },
  allocSemUp: { op: 'allocSemUp', sem: 'ip_alloc_sem' },
  return: { op: 'return', ret: '0' },
};

const ERRNO_TEXT: Record<ErrnoMode, string> = {
  sigbus: 'VM_FAULT_SIGBUS, whatever the errno',
  vmf_error: 'vmf_error(): -ENOMEM is VM_FAULT_OOM, others VM_FAULT_SIGBUS',
  raw: 'the negative int itself, read by the VM as bits',
};

// An actor's own `alloc` result still wins for the first allocate (see compileHandler).
const ALLOC_FAILURES = ['ENOMEM', 'ENOSPC'] as const;
const RETS = ['0', 'LOCKED', 'NOPAGE', 'SIGBUS', 'OOM', 'RETRY', '-EINVAL', '-ENOMEM', '-ENOSPC', '-EAGAIN', '-EFAULT', '-EIO'];

interface Props {
  scenario: RunnableScenario;
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
    setOps([...ops.slice(0, at), FRESH[name], ...ops.slice(at)]);
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
              <select aria-label={`Op ${n}`} value={op.op} onChange={(e) => setOp(i, FRESH[e.target.value as OpName])}>
                {OP_NAMES.map((name) => <option key={name} value={name}>{OP_TEXT[name]}</option>)}
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
          {OP_NAMES.map((name) => <option key={name} value={name}>{OP_TEXT[name]}</option>)}
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
  switch (op.op) {
    case 'check': {
      const flag = (name: 'mapping' | 'uptodate' | 'release', text: string) => (
        <label className={styles.check}>
          <input type="checkbox" checked={!!op[name]} onChange={(e) => onChange({ ...op, [name]: e.target.checked || undefined })} />
          {text}
        </label>
      );
      return (
        <span className={styles.opFields}>
          {flag('mapping', 'page->mapping changed')}
          {flag('uptodate', '!PageUptodate')}
          <label className={styles.check}>
            offset vs i_size
            <select value={op.size ?? ''} onChange={(e) => onChange({ ...op, size: (e.target.value || undefined) as 'gt' | 'ge' | undefined })}>
              <option value="">not checked</option>
              <option value="gt">&gt; i_size</option>
              <option value="ge">&gt;= i_size</option>
            </select>
          </label>
          {flag('release', 'release the reservation')}
          <RetInput value={op.fail} label={`Op ${n}: return on failure`} rets={rets} onChange={(fail) => onChange({ ...op, fail })} />
        </span>
      );
    }
    case 'return':
    case 'skipIfPrepared':
      return (
        <span className={styles.opFields}>
          <RetInput value={op.ret} label={`Op ${n}: return value`} rets={rets} onChange={(ret) => onChange({ ...op, ret })} />
        </span>
      );
    case 'allocate':
      return (
        <span className={styles.opFields}>
          <select aria-label={`Op ${n}: allocation result`} value={op.result ?? ''}
            onChange={(e) => onChange(e.target.value ? { ...op, result: e.target.value as (typeof ALLOC_FAILURES)[number] } : { op: 'allocate' })}>
            <option value="">succeeds</option>
            {ALLOC_FAILURES.map((r) => <option key={r} value={r}>fails with -{r}</option>)}
          </select>
        </span>
      );
    case 'allocSem':
    case 'allocSemUp':
      return (
        <span className={styles.opFields}>
          <select aria-label={`Op ${n}: semaphore`} value={op.sem} onChange={(e) => onChange({ ...op, sem: e.target.value as (typeof SEMS)[number] })}>
            {SEMS.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
          {op.op === 'allocSem' && (
            <select aria-label={`Op ${n}: mode`} value={op.mode} onChange={(e) => onChange({ ...op, mode: e.target.value as 'read' | 'write' })}>
              <option value="read">read</option>
              <option value="write">write</option>
            </select>
          )}
        </span>
      );
    default:
      return null;
  }
}
