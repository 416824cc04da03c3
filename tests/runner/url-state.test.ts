import { describe, expect, it } from 'vitest';
import { HANDLERS } from '@/lib/engine/index';
import { toRunnable } from '@/lib/scenarios/runnable';
import {
  CUSTOM_HANDLER, RunnerView, SCENARIO_HANDLER, customFrom, defaultView, handlerFor, readRunnerView, writeRunnerView,
} from '@/app/components/runner/url-state';
import { scenario } from '../engine/helpers';

const bundledHandler = toRunnable(scenario('seed-nopage-retry')); // handler: a bundled id
const composed = toRunnable(scenario('nick-sigbus-if-mapping-wrong')); // handler: a composed spec

describe('runner view in the query string', () => {
  it('defaults to the scenario\'s own era and handler', () => {
    expect(typeof bundledHandler.handler).toBe('string');
    expect(defaultView(bundledHandler)).toEqual({ era: bundledHandler.era, handler: bundledHandler.handler });
    expect(defaultView(composed)).toEqual({ era: composed.era, handler: SCENARIO_HANDLER });
    expect(handlerFor(defaultView(composed), composed)).toBe(composed.handler);
  });

  it('writes a readable query and reads the same view back', () => {
    const view: RunnerView = { era: '6.x', handler: 'ocfs2@3.2', selection: 'Sigbus', step: 4 };
    const q = writeRunnerView('', 'claim-1', view);
    expect(q).toBe('?run=claim-1&era=6.x&handler=ocfs2@3.2&outcome=Sigbus&step=4');
    expect(readRunnerView(q, 'claim-1', bundledHandler)).toEqual({ view, problems: [] });
  });

  it('carries a composed handler, labels dropped, and runs exactly what was composed', () => {
    const custom = customFrom(HANDLERS['ocfs2@2.6.37']);
    custom.ops[3] = { op: 'check', mapping: true, uptodate: true, fail: 'NOPAGE' };
    const view: RunnerView = { era: '2.6.37', handler: CUSTOM_HANDLER, custom, selection: 'Sigbus(fault[0])', step: 0 };
    const q = writeRunnerView('', 'k', view);
    expect(q).toContain('&handler=custom&fn=ocfs2_page_mkwrite&errno=sigbus&ops=clusterLock~allocSem(ip_alloc_sem.write)~check(ge.-EINVAL)~check(mapping.uptodate.NOPAGE)~');
    const back = readRunnerView(q, 'k', composed)!;
    expect(back.problems).toEqual([]);
    expect(back.view).toEqual(view);
    expect(handlerFor(back.view, composed)).toMatchObject({ id: CUSTOM_HANDLER, fn: 'ocfs2_page_mkwrite', errno: 'sigbus', ops: custom.ops });
  });

  it('survives the browser: URL parsing of the written query gives the same parameters', () => {
    const custom = { fn: 'fs_page_mkwrite', errno: 'raw' as const, ops: [{ op: 'return' as const, ret: 'LOCKED|NOPAGE' }] };
    const q = writeRunnerView('', 'a#b c', { era: '2.6.29', handler: CUSTOM_HANDLER, custom });
    const url = new URL(`https://example.org/t/${q}`);
    expect(url.searchParams.get('run')).toBe('a#b c');
    expect(url.searchParams.get('ops')).toBe('return(LOCKED|NOPAGE)');
    expect(readRunnerView(url.search, 'a#b c', composed)?.view.custom).toEqual(custom);
  });

  it('belongs to one runner: another key reads nothing, and writing replaces the other runner\'s state', () => {
    const q = writeRunnerView('', 'first', { era: '6.x', handler: 'gfs2@2.6.37', step: 2 });
    expect(readRunnerView(q, 'second', bundledHandler)).toBeNull();
    expect(readRunnerView('', 'first', bundledHandler)).toBeNull();
    const q2 = writeRunnerView(q, 'second', { era: '2.6.37', handler: 'block@2.6.37' });
    expect(q2).toBe('?run=second&era=2.6.37&handler=block@2.6.37');
    expect(readRunnerView(q2, 'first', bundledHandler)).toBeNull();
  });

  it('keeps the page\'s own parameters', () => {
    const q = writeRunnerView('?q=s%3Apage_mkwrite+lock&page=2&step=9', 'k', { era: '6.x', handler: 'btrfs@2.6.37' });
    const p = new URLSearchParams(q);
    expect(p.get('q')).toBe('s:page_mkwrite lock');
    expect(p.get('page')).toBe('2');
    expect(p.get('step')).toBeNull(); // a runner parameter: belonged to the previous view
  });

  it('the scenario\'s own handler is named "scenario" only when it is composed', () => {
    expect(readRunnerView('?run=k&handler=scenario', 'k', bundledHandler)!.view.handler).toBe(bundledHandler.handler);
    expect(readRunnerView('?run=k&handler=scenario', 'k', composed)!.view.handler).toBe(SCENARIO_HANDLER);
  });

  it('ignores bad parameters one by one, naming each, and keeps the good ones', () => {
    const r = readRunnerView('?run=k&era=2.4&handler=ocfs2@9&outcome=Crash&step=-1', 'k', bundledHandler)!;
    expect(r.view).toEqual(defaultView(bundledHandler));
    expect(r.problems).toEqual([
      expect.stringMatching(/^era=2\.4: unknown era \(known: 2\.6\.29, /),
      expect.stringMatching(/^handler=ocfs2@9: unknown handler/),
      expect.stringMatching(/^outcome=Crash: "Crash" is neither an outcome \(WriteLanded, .*\) nor an event \(WrittenBack, /),
      'step=-1: not a step number (0, 1, 2, ...)',
    ]);
    const c = readRunnerView('?run=k&era=6.x&handler=custom&ops=lockPage~frob&fn=1bad&errno=odd', 'k', bundledHandler)!;
    expect(c.view).toEqual({ ...defaultView(bundledHandler), era: '6.x' });
    expect(c.problems).toEqual([expect.stringMatching(/^ops=lockPage~frob: op 2 "frob": unknown op "frob"/)]);
    const f = readRunnerView('?run=k&handler=custom&ops=return(0)&fn=1bad&errno=odd', 'k', bundledHandler)!;
    expect(f.view.custom).toEqual({ fn: 'my_page_mkwrite', errno: 'vmf_error', ops: [{ op: 'return', ret: '0' }] });
    expect(f.problems).toEqual([expect.stringMatching(/^fn=1bad: not a C function name/), expect.stringMatching(/^errno=odd: expected sigbus, vmf_error, raw/)]);
    expect(readRunnerView('?run=k&handler=custom', 'k', bundledHandler)!.problems).toEqual([expect.stringMatching(/^handler=custom: needs an ops parameter/)]);
  });
});
