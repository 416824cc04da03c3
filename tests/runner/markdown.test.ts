import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { Markdown } from '@/app/scenarios/Markdown';
import type { MarkdownOptions } from '@/app/scenarios/Markdown';

const html = (text: string, options?: MarkdownOptions) => renderToStaticMarkup(createElement(Markdown, { text, options }));

describe('scenario prose', () => {
  it('renders paragraphs, emphasis, code and lists as elements', () => {
    expect(html('The VM *retries*: `VM_FAULT_NOPAGE`.\n\n- one\n- **two**')).toBe(
      '<p>The VM <em>retries</em>: <code>VM_FAULT_NOPAGE</code>.</p><ul><li><p>one</p></li><li><p><strong>two</strong></p></li></ul>',
    );
  });

  it('keeps raw HTML as text', () => {
    const out = html('<script>alert(1)</script>\n\nand <b onclick="x()">inline</b>');
    expect(out).not.toMatch(/<script|<b /);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;b onclick=&quot;x()&quot;&gt;');
  });

  it('links only to web, mail and site addresses', () => {
    expect(html('[lore](https://lore.kernel.org/x) [me](mailto:a@b.org) [here](/scenarios)')).toBe(
      '<p><a href="https://lore.kernel.org/x">lore</a> <a href="mailto:a@b.org">me</a> <a href="/scenarios">here</a></p>',
    );
    expect(html('[x](javascript:alert(1)) [y](//evil.example/) [z][r]\n\n[r]: data:text/html,hi')).toBe('<p><span>x</span> <span>y</span> <span>z</span></p>');
  });

  it('links a code span that names a page, and only that', () => {
    const linkCode = (t: string) => (t === 'seed-nopage-retry' ? `/scenarios/${t}` : undefined);
    expect(html('compare `seed-nopage-retry` and `lock_page`', { linkCode })).toBe(
      '<p>compare <a href="/scenarios/seed-nopage-retry"><code>seed-nopage-retry</code></a> and <code>lock_page</code></p>',
    );
  });

  it('puts prose headings below the page title', () => {
    expect(html('# Why\n\ntext')).toBe('<h2>Why</h2><p>text</p>');
  });
});
