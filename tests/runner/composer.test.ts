// The browser's scenario composer as the server renders it: every control labelled, errors
// listed as text naming their field, the runner's handler editor for a composed handler.
import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { HANDLERS } from '@/lib/engine/index';
import { ComposedScenario, freshComposed } from '@/app/components/authoring/compose';
import { ScenarioComposer } from '@/app/components/authoring/ScenarioComposer';
import { customFrom, customSpec } from '@/app/components/runner/url-state';

describe('the composer', () => {
  const render = (value: ComposedScenario) =>
    renderToStaticMarkup(createElement(ScenarioComposer, { value, onChange: () => {}, idPrefix: 'c', headingLevel: 3 }));

  it('labels every control and shows no alert when the scenario validates', () => {
    const html = render(freshComposed());
    const ids = [...html.matchAll(/<(?:input|select|textarea)[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
    for (const id of ids) expect(html, id).toContain(`for="${id}"`);
    expect(ids).toEqual(expect.arrayContaining(['c-id', 'c-title', 'c-era', 'c-handler', 'c-pages', 'c-size', 'c-actor-1-kind', 'c-actor-2-to', 'c-expect-exists']));
    expect(html).not.toContain('role="alert"');
  });

  it('lists the errors, each naming its field, as text', () => {
    const html = render({ ...freshComposed(), title: '<b>x</b>', expect: { exists: ['Sigbus(<i>nobody</i>)'] } });
    expect(html).toContain('role="alert"');
    expect(html).toContain('expect.exists.0');
    expect(html).not.toContain('<b>x</b>');
    expect(html).not.toContain('<i>');
  });

  it('shows the handler editor for a composed handler', () => {
    const html = render({ ...freshComposed(), handler: customSpec(customFrom(HANDLERS['block@2.6.37'])) });
    expect(html).toContain('Your handler');
    expect(html).toMatch(/<option value="custom" selected="">/);
  });
});
