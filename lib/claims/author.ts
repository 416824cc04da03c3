// Writing claims from the browser into content/: a claim block into the annotation file of its
// message (created in the README's layout when there is none), a composed scenario into
// content/scenarios/<id>.md. Every write is checked before it is made (the claim anchors, the
// file reads back to the same claim, the scenario loads), is atomic (a temporary file renamed
// over the old), stays inside the content folder, and happens under one lock, so two saves at
// once are made one after the other and neither is lost.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../db/client';
import { takeLockFolder } from '../net/lock-folder';
import { readSegments } from '../quote/stored';
import { segmentBody } from '../quote/segment';
import { parseScenarioText, loadScenarios } from '../scenarios/load';
import { anchorText } from './anchor';
import { displayPath } from './load';
import { locateMessage } from './locate';
import { messageRefOf } from './message-ref';
import { parseAnnotations, type ParsedAnnotations } from './parse';
import type { Anchor, ClaimKind, ClaimSpec, MessageRef, TestLink } from './types';
import { annotationFileText, appendBlock, claimBlockText, claimIdFor, removeBlock, replaceBlock, type ClaimDraft } from './write';

export interface ContentDirs {
  /** The content folder: nothing outside it is written. */
  content: string;
  annotations: string;
  scenarios: string;
}

export const contentDirsOf = (content: string): ContentDirs => ({
  content, annotations: path.join(content, 'annotations'), scenarios: path.join(content, 'scenarios'),
});

/** A refusal the site answers with its status: the request, not the server, is at fault. */
export class AuthoringError extends Error {
  constructor(readonly status: 400 | 404 | 409 | 422, message: string) {
    super(message);
  }
}

/** A claim as the form sends it. */
export interface ClaimInput {
  claimant: string;
  kind: ClaimKind;
  statement: string;
  anchor: Anchor;
  tests: TestLink[];
  untested?: string;
}

export interface SaveRequest {
  /** The message the words were selected in. */
  archiveId: string;
  claim: ClaimInput;
  /** The key of the claim this one replaces (editing from its card). */
  replace?: string;
  /** A scenario composed in the form: its id and its file's text. */
  scenario?: { id: string; text: string };
}

export interface Saved {
  key: string;
  /** The annotation file, relative to the project. */
  file: string;
  createdFile: boolean;
  scenarioFile?: string;
}

// ---- The lock: one writer at a time, in this process and across processes sharing the folder.

const queues = new Map<string, Promise<unknown>>();
/** A save takes about a second: a lock held a minute was left by a process that died. */
const LOCK_WAIT = { staleMs: 60_000, waitMs: 30_000, pollMs: 20 };

/** Runs `fn` holding the content folder's authoring lock. */
export function withContentLock<T>(content: string, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(content, '.authoring.lock');
  const run = async () => {
    await takeLockFolder(lock, { ...LOCK_WAIT, timeout: (age) => new Error(`${lock}: another writer has held the authoring lock for ${Math.round(age / 1000)} s`) });
    try {
      return await fn();
    } finally {
      fs.rmSync(lock, { recursive: true, force: true });
    }
  };
  const prev = queues.get(content) ?? Promise.resolve();
  const next = prev.then(run, run);
  queues.set(content, next.catch(() => {}));
  return next;
}

// ---- Files: inside the content folder, written whole or not at all.

/** `file` resolved, or a refusal when it (or a link on the way) leads outside the content folder. */
function inside(dirs: ContentDirs, file: string): string {
  const root = fs.realpathSync(dirs.content);
  const full = path.resolve(file);
  let parent = path.dirname(full);
  while (!fs.existsSync(parent)) parent = path.dirname(parent);
  const real = path.join(fs.realpathSync(parent), path.relative(parent, full));
  const rel = path.relative(root, real);
  if (rel.startsWith('..') || path.isAbsolute(rel) || (fs.existsSync(full) && fs.lstatSync(full).isSymbolicLink())) {
    throw new AuthoringError(400, `${file}: outside the content folder ${dirs.content}; refused`);
  }
  return real;
}

/** Writes through a temporary file in the same folder and a rename: readers see the old file or the new. */
function writeAtomically(dirs: ContentDirs, file: string, text: string): void {
  const target = inside(dirs, file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, 'wx');
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, target);
}

// ---- Which file, and what it says.

interface Target {
  id: number;
  archiveId: string;
  list: string;
  author: string;
  ref: MessageRef;
  date: Date | null;
  subject: string;
  body: string;
  segmentsJson: string;
}

async function targetOf(db: Database, archiveId: string): Promise<Target> {
  const m = await db.message.findUnique({
    where: { archiveId },
    select: { id: true, archiveId: true, isGhost: true, idKind: true, fromName: true, fromAddress: true, date: true, subject: true,
      list: { select: { name: true } }, text: { select: { body: true, segmentsJson: true } } },
  });
  if (!m) throw new AuthoringError(404, `<${archiveId}> is not in the archive`);
  if (m.isGhost) throw new AuthoringError(422, `<${archiveId}> is not in the archive, only quoted: select the words where a reply quotes them`);
  const list = m.list?.name ?? '';
  const ref = messageRefOf({ ...m, list });
  return { id: m.id, archiveId: m.archiveId, list, author: m.fromName ?? m.fromAddress ?? 'unknown', ref, date: m.date, subject: m.subject,
    body: m.text?.body ?? '', segmentsJson: m.text?.segmentsJson ?? '[]' };
}

interface AnnotationFile { path: string; key: string; text: string; parsed: ParsedAnnotations }

function readAnnotationFiles(dirs: ContentDirs): AnnotationFile[] {
  if (!fs.existsSync(dirs.annotations)) return [];
  return (fs.readdirSync(dirs.annotations, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.md') && path.basename(f).toLowerCase() !== 'readme.md')
    .sort()
    .map((f) => {
      const full = path.join(dirs.annotations, f);
      const key = f.split(path.sep).join('/');
      const text = fs.readFileSync(full, 'utf8');
      return { path: full, key, text, parsed: parseAnnotations(text, displayPath(full), key) };
    });
}

/** Whether a reference names the target message. */
async function names(db: Database, ref: MessageRef | undefined, target: Target): Promise<boolean> {
  if (!ref) return false;
  const at = await locateMessage(db, ref);
  return at.ok && at.message.id === target.id;
}

/** The file a new claim in the target message goes to: one whose front matter names it, else one whose claims do, else a new one. */
async function fileFor(db: Database, dirs: ContentDirs, files: AnnotationFile[], target: Target, claimant: string): Promise<{ file: AnnotationFile | null; path: string; key: string }> {
  // A message may have a file per writer (its author's claims, a quoted writer's): the claimant's, else the author's.
  const naming = [];
  for (const f of files) if (await names(db, f.parsed.defaults.message, target)) naming.push(f);
  const best = naming.find((f) => f.parsed.defaults.claimant === claimant) ?? naming.find((f) => f.parsed.defaults.claimant === target.author) ?? naming[0];
  if (best) return { file: best, path: best.path, key: best.key };
  for (const f of files) {
    for (const c of f.parsed.claims) if (await names(db, c.message, target)) return { file: f, path: f.path, key: f.key };
  }
  const day = target.date ? target.date.toISOString().slice(0, 10) : 'undated';
  const who = target.author.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'unknown';
  const folder = target.list.replace(/[^A-Za-z0-9._-]+/g, '-') || 'unlisted';
  for (let n = 1; ; n++) {
    const key = `${folder}/${day}-${who}${n === 1 ? '' : `-${n}`}.md`;
    const full = path.join(dirs.annotations, key);
    if (!fs.existsSync(full)) return { file: null, path: full, key };
  }
}

const sameClaim = (a: ClaimSpec, d: ClaimDraft & { claimant: string }) =>
  JSON.stringify([a.id, a.claimant, a.kind, a.statement, a.anchor, a.tests, a.untested ?? null])
  === JSON.stringify([d.id, d.claimant, d.kind, d.statement, { exact: d.anchor.exact, prefix: d.anchor.prefix, suffix: d.anchor.suffix, in: d.anchor.in }, d.tests, d.untested ?? null]);

function findClaim(files: AnnotationFile[], key: string): { file: AnnotationFile; claim: ClaimSpec } {
  for (const file of files) {
    const claim = file.parsed.claims.find((c) => c.key === key);
    if (claim) return { file, claim };
  }
  throw new AuthoringError(404, `no claim ${key} in the annotations`);
}

/** The claim a key names, as its file says it: what the form edits. */
export function claimOf(dirs: ContentDirs, key: string): ClaimSpec {
  return findClaim(readAnnotationFiles(dirs), key).claim;
}

/** Checks a claim before anything is written: its words anchor in the message, its scenarios exist. */
function check(dirs: ContentDirs, target: Target, c: ClaimInput, composed?: string) {
  const stored = readSegments(target.segmentsJson);
  const segments = stored.length > 0 || target.body === '' ? stored : segmentBody(target.body);
  const a = anchorText(target.body, segments, c.anchor);
  if (!a.ok) throw new AuthoringError(422, `the words do not anchor in <${target.archiveId}>: ${a.message}`);
  if (c.tests.length === 0 && !c.untested) throw new AuthoringError(422, 'no tests: pick or compose a scenario, or say why none can test the claim');
  const known = new Set(fs.existsSync(dirs.scenarios) ? loadScenarios(dirs.scenarios).flatMap((l) => (l.ok ? [l.scenario.id] : [])) : []);
  if (composed) known.add(composed);
  const missing = c.tests.filter((t) => !known.has(t.scenario)).map((t) => t.scenario);
  if (missing.length) throw new AuthoringError(422, `no scenario ${missing.join(', ')} in ${displayPath(dirs.scenarios)}`);
}

/** A composed scenario's file, checked as the loader reads it; an existing file of that id is never replaced by another. */
function scenarioWrite(dirs: ContentDirs, s: { id: string; text: string }): { path: string; write: boolean } {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(s.id)) throw new AuthoringError(422, `scenario id "${s.id}": lower-case letters, digits and dashes`);
  const full = path.join(dirs.scenarios, `${s.id}.md`);
  const r = parseScenarioText(s.text, full);
  if (!r.ok) throw new AuthoringError(422, r.errors.join('\n'));
  if (!fs.existsSync(full)) return { path: full, write: true };
  if (fs.readFileSync(full, 'utf8') === s.text) return { path: full, write: false };
  throw new AuthoringError(409, `${displayPath(full)} already holds another scenario: give the composed one another id`);
}

/**
 * Saves a claim (a new one, or one replacing `replace`) and its composed scenario. Call it
 * holding withContentLock. The file written reads back to the same claim, or nothing is written.
 */
export async function saveClaim(db: Database, dirs: ContentDirs, req: SaveRequest): Promise<Saved> {
  const target = await targetOf(db, req.archiveId);
  check(dirs, target, req.claim, req.scenario?.id);
  const scenario = req.scenario && scenarioWrite(dirs, req.scenario);
  const files = readAnnotationFiles(dirs);
  const replaced = req.replace ? findClaim(files, req.replace) : null;
  const place = replaced ? { file: replaced.file, path: replaced.file.path, key: replaced.file.key } : await fileFor(db, dirs, files, target, req.claim.claimant);
  const defaults = place.file?.parsed.defaults ?? { message: target.ref, claimant: target.author };
  const taken = new Set((place.file?.parsed.claims ?? []).map((c) => c.id).filter((id) => id !== replaced?.claim.id));
  const draft: ClaimDraft & { claimant: string } = {
    id: replaced?.claim.id ?? claimIdFor(req.claim.statement, taken),
    claimant: req.claim.claimant,
    kind: req.claim.kind, statement: req.claim.statement.trim(),
    anchor: { exact: req.claim.anchor.exact, prefix: req.claim.anchor.prefix ?? '', suffix: req.claim.anchor.suffix ?? '', in: req.claim.anchor.in ?? 'new' },
    tests: req.claim.tests.map((t) => ({ scenario: t.scenario, ...(t.era && { era: t.era }), ...(t.handler && { handler: t.handler }), counterexample: !!t.counterexample, expect: t.expect })),
    ...(req.claim.untested && { untested: req.claim.untested }),
  };
  const named = await names(db, defaults.message, target);
  const block = claimBlockText({
    ...draft,
    ...(named ? {} : { message: target.ref }),
    claimant: draft.claimant === defaults.claimant ? undefined : draft.claimant,
  });
  const text = replaced ? replaceBlock(replaced.file.text, replaced.claim.span!, block)
    : place.file ? appendBlock(place.file.text, block)
    : annotationFileText({ title: `${target.author}, "${target.subject || '(no subject)'}", ${target.date ? target.date.toUTCString().slice(5, 16) : 'undated'}`, message: target.ref, claimant: target.author }, block);
  // What the loader will read: the same claim, and no problem the file did not have before.
  const back = parseAnnotations(text, displayPath(place.path), place.key);
  const before = new Set((place.file?.parsed.problems ?? []).map((p) => p.message));
  const fresh = back.problems.filter((p) => !before.has(p.message));
  if (fresh.length) throw new AuthoringError(422, fresh.map((p) => p.message).join('\n'));
  const read = back.claims.find((c) => c.id === draft.id);
  if (!read || !sameClaim(read, draft)) throw new Error(`${displayPath(place.path)}: the block written would not read back as the claim sent`);
  // The scenario first: a claim never names a scenario that is not there.
  if (scenario?.write) writeAtomically(dirs, scenario.path, req.scenario!.text);
  writeAtomically(dirs, place.path, text);
  return { key: read.key, file: displayPath(place.path), createdFile: !place.file, ...(scenario && { scenarioFile: displayPath(scenario.path) }) };
}

/** Removes a claim's block; a file left with no claim is removed with it. Call it holding withContentLock. */
export function removeClaim(dirs: ContentDirs, key: string): { file: string; removedFile: boolean } {
  const { file, claim } = findClaim(readAnnotationFiles(dirs), key);
  const rest = file.parsed.claims.filter((c) => c.key !== key);
  if (rest.length === 0) {
    fs.rmSync(inside(dirs, file.path));
    return { file: displayPath(file.path), removedFile: true };
  }
  writeAtomically(dirs, file.path, removeBlock(file.text, claim.span!));
  return { file: displayPath(file.path), removedFile: false };
}
