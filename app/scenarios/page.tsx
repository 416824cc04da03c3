import Link from 'next/link';
import type { Metadata } from 'next';
import { connection } from 'next/server';
import { VerdictBadge } from '@/app/components/runner/VerdictBadge';
import { bundledScenarios, scenarioHref, scenarioRun } from './data';

export const metadata: Metadata = { title: 'Scenarios' };

// Rendered per request, as every page is, for its policy's nonce (app/_http/security.ts).
export default async function ScenariosIndex() {
  await connection();
  const all = bundledScenarios();
  return (
    <>
      <h1>Scenarios</h1>
      <p className="muted">
        Models of the write-fault path and its races. Each states what it expects; the verdict is the
        engine&apos;s, computed for the scenario&apos;s own kernel era and handler. Open one to run it,
        flip the era or the handler, or compose a handler of your own.
      </p>
      <table className="threads scenarios">
        <thead>
          <tr><th scope="col">Scenario</th><th scope="col">Era</th><th scope="col">Handler</th><th scope="col">Verdict</th></tr>
        </thead>
        <tbody>
          {all.map((l) => {
            if (!l.ok) {
              return (
                <tr key={l.id}>
                  <td>{l.id}</td>
                  <td colSpan={3}>invalid scenario file: {l.errors.join('; ')}</td>
                </tr>
              );
            }
            const s = l.scenario;
            const pre = scenarioRun(s).run;
            return (
              <tr key={s.id} data-scenario={s.id}>
                <td><Link href={scenarioHref(s.id)}>{s.title}</Link> <span className="muted">{s.id}</span></td>
                <td className="n">{s.era}</td>
                <td className="n">{typeof s.handler === 'string' ? s.handler : `${s.handler.id} (composed)`}</td>
                <td className="n">{pre.ok ? <VerdictBadge verdict={pre.verdict} /> : <span title={pre.error}>cannot run</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>
  );
}
