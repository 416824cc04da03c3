// The runner's whole view state in the query string, so that a link reproduces what its sender
// saw. Several runners may share a page: `run` names the one the other parameters belong to.
//   ?run=<key>&era=2.6.37&handler=ocfs2@3.2&outcome=Sigbus&step=4
//   ?run=<key>&era=2.6.37&handler=custom&fn=fs_page_mkwrite&errno=vmf_error&ops=lockPage~check(mapping.SIGBUS)~allocate~return(LOCKED)
// Parameters other than RUNNER_PARAMS are kept as they are. Pure: no DOM, no React.

import { COMPOSED_DEFAULTS, ERA_IDS, ERRNO_MODES, HANDLER_IDS, parsePattern } from '@/lib/engine/index';
import type { EraId, ErrnoMode, HandlerSpec } from '@/lib/engine/index';
import type { RunnableScenario } from '@/lib/scenarios/runnable';
import { RUNNER_PARAMS } from './params';
import { CustomHandler, FN_NAME, bareOp, decodeOps, encodeOps } from './handler-code';

/** Whose shortest trace is shown: an outcome, whoever it concerns or one actor's (`Sigbus(fault[1])`), or an order expectation's (`Retried then Sigbus`). */
export type Selection = string;

/** handler: a bundled id, SCENARIO_HANDLER (the scenario's own composed spec) or CUSTOM_HANDLER. */
export const SCENARIO_HANDLER = 'scenario';
export const CUSTOM_HANDLER = 'custom';

export interface RunnerView {
  era: EraId;
  handler: string;
  /** The reader's composed handler; used when handler is CUSTOM_HANDLER, kept while another is tried. */
  custom?: CustomHandler;
  selection?: Selection; // undefined: the runner picks one once it has a result
  step?: number; // trace position: 0 = initial state, k = after k steps
}

export { RUNNER_PARAMS } from './params';

const DEFAULT_FN = COMPOSED_DEFAULTS.fn;
const DEFAULT_ERRNO: ErrnoMode = COMPOSED_DEFAULTS.errno;

export function defaultView(s: RunnableScenario): RunnerView {
  return { era: s.era, handler: typeof s.handler === 'string' ? s.handler : SCENARIO_HANDLER };
}

export function customSpec(c: CustomHandler): HandlerSpec {
  return { id: CUSTOM_HANDLER, title: 'composed by the reader', fn: c.fn, errno: c.errno, ops: c.ops };
}

/** A starting point for the editor: a handler's ops with their labels dropped. */
export function customFrom(spec: HandlerSpec): CustomHandler {
  return { fn: spec.fn, errno: spec.errno, ops: spec.ops.map(bareOp) };
}

/** What the engine is asked to run for this view. */
export function handlerFor(view: RunnerView, s: RunnableScenario): string | HandlerSpec {
  if (view.handler === SCENARIO_HANDLER) return s.handler;
  if (view.handler === CUSTOM_HANDLER) return customSpec(view.custom ?? { fn: DEFAULT_FN, errno: DEFAULT_ERRNO, ops: [] });
  return view.handler;
}

export interface ReadResult {
  view: RunnerView;
  /** Parameters that were ignored, each naming the parameter and why. */
  problems: string[];
}

/** The view for runner `key` if the query opens it, else null. */
export function readRunnerView(query: string | URLSearchParams, key: string, s: RunnableScenario): ReadResult | null {
  const q = typeof query === 'string' ? new URLSearchParams(query) : query;
  if (q.get('run') !== key) return null;
  const view = defaultView(s);
  const problems: string[] = [];
  const bad = (name: string, value: string, why: string) => problems.push(`${name}=${value}: ${why}`);

  const era = q.get('era');
  if (era !== null) {
    if ((ERA_IDS as string[]).includes(era)) view.era = era as EraId;
    else bad('era', era, `unknown era (known: ${ERA_IDS.join(', ')})`);
  }

  const handler = q.get('handler');
  if (handler === CUSTOM_HANDLER) {
    const custom = readCustom(q, bad);
    if (custom) Object.assign(view, { handler, custom });
  } else if (handler === SCENARIO_HANDLER) {
    view.handler = defaultView(s).handler;
  } else if (handler !== null) {
    if (HANDLER_IDS.includes(handler)) view.handler = handler;
    else bad('handler', handler, `unknown handler (known: ${[...HANDLER_IDS, SCENARIO_HANDLER, CUSTOM_HANDLER].join(', ')})`);
  }

  const outcome = q.get('outcome');
  if (outcome !== null) {
    try {
      parsePattern(outcome);
      view.selection = outcome;
    } catch (e) {
      bad('outcome', outcome, (e as Error).message);
    }
  }

  const step = q.get('step');
  if (step !== null) {
    if (/^\d{1,6}$/.test(step)) view.step = Number(step);
    else bad('step', step, 'not a step number (0, 1, 2, ...)');
  }
  return { view, problems };
}

function readCustom(q: URLSearchParams, bad: (name: string, value: string, why: string) => void): CustomHandler | null {
  const ops = q.get('ops');
  if (ops === null) {
    bad('handler', CUSTOM_HANDLER, 'needs an ops parameter; showing the scenario\'s handler');
    return null;
  }
  let decoded;
  try {
    decoded = decodeOps(ops);
  } catch (e) {
    bad('ops', ops, `${(e as Error).message}; showing the scenario's handler`);
    return null;
  }
  let fn = q.get('fn') ?? DEFAULT_FN;
  if (!FN_NAME.test(fn)) {
    bad('fn', fn, `not a C function name; using ${DEFAULT_FN}`);
    fn = DEFAULT_FN;
  }
  let errno = (q.get('errno') ?? DEFAULT_ERRNO) as ErrnoMode;
  if (!ERRNO_MODES.includes(errno)) {
    bad('errno', errno, `expected ${ERRNO_MODES.join(', ')}; using ${DEFAULT_ERRNO}`);
    errno = DEFAULT_ERRNO;
  }
  return { fn, errno, ops: decoded };
}

// encodeURIComponent, but leaving the characters a query may hold literally that the values
// use (handler ids have @, return values |): links stay readable.
const encodeValue = (v: string) =>
  encodeURIComponent(v).replace(/%(40|3A|2F|2C|7C)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The query string ("?..."), other parameters kept, with runner `key` open in `view`. */
export function writeRunnerView(query: string, key: string, view: RunnerView): string {
  const q = new URLSearchParams(query);
  for (const p of RUNNER_PARAMS) q.delete(p);
  const pairs: Array<[string, string]> = [...q.entries()];
  pairs.push(['run', key], ['era', view.era], ['handler', view.handler]);
  if (view.handler === CUSTOM_HANDLER) {
    const c = view.custom ?? { fn: DEFAULT_FN, errno: DEFAULT_ERRNO, ops: [] };
    pairs.push(['fn', c.fn], ['errno', c.errno], ['ops', encodeOps(c.ops)]);
  }
  if (view.selection !== undefined) pairs.push(['outcome', view.selection]);
  if (view.step !== undefined) pairs.push(['step', String(view.step)]);
  return `?${pairs.map(([k, v]) => `${encodeValue(k)}=${encodeValue(v)}`).join('&')}`;
}
