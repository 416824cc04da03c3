// Scenario files: Markdown with YAML front matter (remark + remark-frontmatter + yaml),
// validated with the engine's scenario schema; errors name the file and the field.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkFrontmatter from 'remark-frontmatter';
import { parse as parseYaml } from 'yaml';
import { scenarioSchema, type Scenario } from '../engine/index';

export type LoadResult =
  | { ok: true; file: string; scenario: Scenario }
  | { ok: false; file: string; id: string; errors: string[] };

export class ScenarioError extends Error {
  constructor(public file: string, public errors: string[]) {
    super(`${file}: invalid scenario\n  ${errors.join('\n  ')}`);
  }
}

/** Parse one scenario file's text; `file` is used for the id default and in error messages. */
export function parseScenarioText(text: string, file: string): LoadResult {
  const id = path.basename(file).replace(/\.md$/, '');
  const fail = (errors: string[]): LoadResult => ({ ok: false, file, id, errors: errors.map((e) => `${file}: ${e}`) });
  const tree = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).parse(text);
  const fm = tree.children[0];
  if (!fm || fm.type !== 'yaml') return fail(['missing YAML front matter (--- ... --- at the top)']);
  let data: unknown;
  try {
    data = parseYaml((fm as { value: string }).value);
  } catch (e) {
    // yaml counts lines from the front matter's first; the file's own numbers are what an author looks up.
    const err = e as Error & { linePos?: Array<{ line: number; col: number }> };
    const at = err.linePos?.[0];
    const where = at ? ` at line ${at.line + (fm.position?.start.line ?? 1)}, column ${at.col}` : '';
    return fail([`front matter is not valid YAML${where}: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`]);
  }
  const r = scenarioSchema.safeParse(data);
  if (!r.success) {
    return fail(r.error.issues.map((i) => `field "${i.path.join('.') || '(root)'}": ${i.message}`));
  }
  const body = text.slice(fm.position?.end.offset ?? 0).trim();
  const d = r.data;
  if (d.id && d.id !== id) return fail([`field "id": "${d.id}" differs from the file name "${id}"`]);
  const scenario: Scenario = { ...d, id, body, source: file };
  return { ok: true, file, scenario };
}

export function loadScenarioFile(file: string): LoadResult {
  return parseScenarioText(readFileSync(file, 'utf8'), file);
}

export const defaultScenarioDir = (repoRoot: string) => path.join(repoRoot, 'content', 'scenarios');

/** Every *.md in dir, sorted by name; invalid files come back as errors, not exceptions. */
export function loadScenarios(dir: string): LoadResult[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => loadScenarioFile(path.join(dir, f)));
}
