// Claims as a person writes them in an annotation file (content/annotations/README.md): one
// fenced `claim` block of YAML, and the file around it. Pure text: the browser uses it to offer
// the block to copy, the server to save it. Adding, replacing or removing a block touches no
// byte of the file outside that block.

import { Document, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Anchor, ClaimKind, MessageRef, TestLink } from './types';

/** A claim as the authoring form holds it, before it has a file. */
export interface ClaimDraft {
  id: string;
  /** Left out when the file's front matter names the message. */
  message?: MessageRef;
  /** Left out when it is the front matter's claimant. */
  claimant?: string;
  kind: ClaimKind;
  statement: string;
  anchor: Anchor;
  tests: TestLink[];
  untested?: string;
}

/** What a new annotation file's front matter says for all its claims. */
export interface FileDefaults {
  title: string;
  message: MessageRef;
  claimant: string;
}

const YAML_OPTIONS = { lineWidth: 0, flowCollectionPadding: true } as const;

/** A fence longer than any run of backticks in the YAML, so that no quoted text can close it. */
function fenced(info: string, yaml: string): string {
  const longest = Math.max(0, ...[...yaml.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${yaml}${fence}`;
}

/** Eras and dates are written quoted, as in the README: "2.6.29" reads as text to anyone, and a date stays a string. */
function quoteVersions(map: YAMLMap | undefined) {
  for (const key of ['era', 'date']) {
    const node = map?.get(key, true) as Scalar | undefined;
    if (node) node.type = 'QUOTE_DOUBLE';
  }
}

/** The `claim` block of a draft, in the README's layout: anchor a block map, each test and the message a flow map. */
export function claimBlockText(d: ClaimDraft): string {
  const anchor: Partial<Anchor> = { exact: d.anchor.exact };
  if (d.anchor.prefix) anchor.prefix = d.anchor.prefix;
  if (d.anchor.suffix) anchor.suffix = d.anchor.suffix;
  if (d.anchor.in !== 'new') anchor.in = d.anchor.in;
  const tests = d.tests.map((t) => ({
    scenario: t.scenario,
    ...(t.era && { era: t.era }),
    ...(t.handler && { handler: t.handler }),
    ...(t.counterexample && { counterexample: true }),
    expect: t.expect,
  }));
  const doc = new Document({
    id: d.id,
    ...(d.message && { message: d.message }),
    ...(d.claimant && { claimant: d.claimant }),
    kind: d.kind,
    statement: d.statement,
    anchor,
    ...(d.untested ? { untested: d.untested } : { tests }),
  });
  const message = doc.get('message', true) as YAMLMap | undefined;
  if (message) message.flow = true;
  quoteVersions(message);
  for (const t of ((doc.get('tests', true) as YAMLSeq | undefined)?.items ?? []) as YAMLMap[]) {
    t.flow = true;
    quoteVersions(t);
  }
  return fenced('claim', doc.toString(YAML_OPTIONS));
}

/** A new annotation file holding one block: front matter, a heading, the block. */
export function annotationFileText(f: FileDefaults, block: string): string {
  const front = new Document({ title: f.title, message: f.message, claimant: f.claimant });
  const message = front.get('message', true) as YAMLMap;
  message.flow = true;
  quoteVersions(message);
  return `---\n${front.toString(YAML_OPTIONS)}---\n\n# ${f.title}\n\n${block}\n`;
}

/** The file with the block added at its end, after one blank line; nothing before it changes. */
export function appendBlock(text: string, block: string): string {
  const gap = text === '' || text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
  return `${text}${gap}${block}\n`;
}

/** The file with the block at `span` (ClaimSpec.span) replaced. */
export function replaceBlock(text: string, span: readonly [number, number], block: string): string {
  return text.slice(0, span[0]) + block + text.slice(span[1]);
}

/** The file without the block at `span`, nor the blank lines that set it apart. */
export function removeBlock(text: string, span: readonly [number, number]): string {
  const head = text.slice(0, span[0]);
  const tail = text.slice(span[1]).replace(/^[ \t]*\n+/, '');
  return tail ? head + tail : head.replace(/\n+$/, '\n');
}

/** A claim id from its statement's first words, not one of `taken`. */
export function claimIdFor(statement: string, taken: ReadonlySet<string>): string {
  const words = statement.toLowerCase().replace(/->/g, ' ').match(/[a-z0-9]+/g) ?? [];
  const base = words.slice(0, 6).join('-').slice(0, 48).replace(/-+$/, '') || 'claim';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}
