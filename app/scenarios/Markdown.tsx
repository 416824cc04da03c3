// Scenario prose (Markdown) as React elements: parsed with remark, then walked node by node.
// Raw HTML in the source stays text, and links keep only http(s), mailto and site-relative targets.

import type { ReactNode } from 'react';
import type { Definition, Nodes, Root } from 'mdast';
import { unified } from 'unified';
import remarkParse from 'remark-parse';

export interface MarkdownOptions {
  /** An inline `code` span that names something with a page of its own (e.g. a scenario id). */
  linkCode?: (text: string) => string | undefined;
}

const SAFE_HREF = /^(https?:|mailto:|\/(?!\/)|#)/i;

function safeHref(url: string): string | undefined {
  return SAFE_HREF.test(url.trim()) ? url.trim() : undefined;
}

export function Markdown({ text, options = {} }: { text: string; options?: MarkdownOptions }) {
  const tree = unified().use(remarkParse).parse(text) as Root;
  const definitions = new Map<string, Definition>();
  for (const n of tree.children) if (n.type === 'definition') definitions.set(n.identifier, n);
  return <>{render(tree, definitions, options)}</>;
}

function render(node: Root, defs: Map<string, Definition>, o: MarkdownOptions): ReactNode {
  const kids = (n: { children: Nodes[] }) => n.children.map((c, i) => el(c, i));
  const el = (n: Nodes, key: number): ReactNode => {
    switch (n.type) {
      case 'paragraph': return <p key={key}>{kids(n)}</p>;
      case 'heading': {
        // the page's title is its h1: prose headings start below it
        const H = `h${Math.min(n.depth + 1, 6)}` as 'h2';
        return <H key={key}>{kids(n)}</H>;
      }
      case 'text': return n.value;
      case 'emphasis': return <em key={key}>{kids(n)}</em>;
      case 'strong': return <strong key={key}>{kids(n)}</strong>;
      case 'delete': return <del key={key}>{kids(n)}</del>;
      case 'inlineCode': {
        const href = o.linkCode?.(n.value);
        return href ? <a key={key} href={href}><code>{n.value}</code></a> : <code key={key}>{n.value}</code>;
      }
      case 'code': return <pre key={key}><code>{n.value}</code></pre>;
      case 'blockquote': return <blockquote key={key}>{kids(n)}</blockquote>;
      case 'list': {
        const items = kids(n);
        return n.ordered ? <ol key={key} start={n.start ?? undefined}>{items}</ol> : <ul key={key}>{items}</ul>;
      }
      case 'listItem': return <li key={key}>{kids(n)}</li>;
      case 'break': return <br key={key} />;
      case 'thematicBreak': return <hr key={key} />;
      case 'link': {
        const href = safeHref(n.url);
        return href ? <a key={key} href={href} title={n.title ?? undefined}>{kids(n)}</a> : <span key={key}>{kids(n)}</span>;
      }
      case 'linkReference': {
        const d = defs.get(n.identifier);
        const href = d && safeHref(d.url);
        return href ? <a key={key} href={href}>{kids(n)}</a> : <span key={key}>{kids(n)}</span>;
      }
      case 'image': return n.alt ?? '';
      case 'imageReference': return n.alt ?? '';
      case 'html': return n.value; // shown as text, never parsed
      case 'definition': return null;
      default:
        return 'children' in n ? <span key={key}>{kids(n as { children: Nodes[] })}</span> : null;
    }
  };
  return kids(node);
}
