// Reading content/annotations: every *.md below the folder except README.md.

import fs from 'node:fs';
import path from 'node:path';
import { contentDir, projectRoot } from '../db/url';
import { parseAnnotations, type ParsedAnnotations } from './parse';

export const defaultAnnotationsDir = path.join(contentDir(), 'annotations');

/** A path as problems and Claim.source show it: relative to the project when inside it. */
export function displayPath(file: string): string {
  const rel = path.relative(projectRoot, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

/** Parses every annotation file under `dir`, in name order. A missing folder is a problem, not a crash. */
export function loadAnnotations(dir: string = defaultAnnotationsDir): ParsedAnnotations[] {
  // The folder is named at run time (THREADLAB_CONTENT_DIR): nothing for Next's file tracer to follow.
  if (!fs.existsSync(/*turbopackIgnore: true*/ dir)) return [{ file: displayPath(dir), defaults: {}, claims: [], problems: [{ file: displayPath(dir), message: `${displayPath(dir)}: no such annotations folder` }] }];
  const files = (fs.readdirSync(/*turbopackIgnore: true*/ dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.md') && path.basename(f).toLowerCase() !== 'readme.md')
    .sort();
  return files.map((f) => {
    const full = path.join(dir, f);
    return parseAnnotations(fs.readFileSync(full, 'utf8'), displayPath(full), f.split(path.sep).join('/'));
  });
}
