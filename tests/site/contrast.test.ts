// Text colours against the backgrounds they are drawn on, in the light and the dark scheme of
// app/globals.css: at least 4.5:1 (WCAG AA for body text).
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { projectRoot } from '../../lib/db/url';

const css = fs.readFileSync(path.join(projectRoot, 'app', 'globals.css'), 'utf8');

/** The custom properties of each `:root { ... }` block: the light scheme first, then the dark. */
function schemes(): Array<Record<string, string>> {
  return [...css.matchAll(/:root\s*\{([^}]*)\}/g)].map((m) => Object.fromEntries([...m[1]!.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((v) => [v[1]!, v[2]!])));
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

// [text, background]: every pairing the pages draw.
const PAIRS: Array<[string, string]> = [
  ['fg', 'bg'], ['muted', 'bg'], ['link', 'bg'], ['quote1', 'bg'], ['quote2', 'bg'], ['quote3', 'bg'],
  ['fg', 'ghost'], ['muted', 'ghost'], ['quote1', 'ghost'], ['add', 'add-bg'], ['del', 'del-bg'],
  ['fg', 'claim-bg'], ['fg', 'claim-on'], ['quote1', 'claim-bg'], ['claim-rule', 'bg'], ['fg', 'lit'], ['fg', 'quoted-bg'],
];

describe('colour contrast', () => {
  const [light, dark] = schemes();
  it.each([['light', light!], ['dark', dark!]])('keeps text at 4.5:1 or more in the %s scheme', (_, vars) => {
    const low = PAIRS.flatMap(([t, b]) => {
      expect(vars[t], `--${t}`).toBeDefined();
      expect(vars[b], `--${b}`).toBeDefined();
      const c = contrast(vars[t]!, vars[b]!);
      return c < 4.5 ? [`--${t} on --${b}: ${c.toFixed(2)}:1`] : [];
    });
    expect(low).toEqual([]);
  });

  it('dims no text by opacity in mail bodies', () => {
    expect(css.match(/\.body[^{]*\{[^}]*opacity/g) ?? []).toEqual([]);
  });
});
