// Ingest of content/annotations: parse, anchor each claim in its message, run the scenarios
// that test it, and upsert Claim rows by key. Idempotent; problems are reported, never thrown.

import { readSegments } from '../quote/stored';
import type { Database } from '../db/client';
import type { Scenario } from '../engine/index';
import { segmentBody } from '../quote/segment';
import type { Segment } from '../quote/types';
import { anchorClaim } from './anchor';
import { claimProblem } from './problem';
import { loadAnnotations } from './load';
import { locateMessage, type Located } from './locate';
import type { ClaimProblem, ClaimSpec, ClaimVerdict, LinkResult } from './types';
import { ScenarioRunner, computeVerdicts } from './verdict';

export interface Disagreement {
  key: string;
  file: string;
  claim: string;
  expected: ClaimVerdict;
  computed: ClaimVerdict;
  /** The runs whose verdict differs from the annotation's expectation. */
  links: LinkResult[];
}

export interface StoreClaimsResult {
  files: number;
  /** Claims read from the annotation files (valid blocks). */
  claims: number;
  /** Claim rows written (inserted or updated). */
  stored: number;
  /** Rows dropped: their claim left the annotations, or no longer anchors. */
  removed: number;
  /** Bad files and claims: syntax, message absent, anchor absent or ambiguous, unknown scenario. Not stored. */
  problems: ClaimProblem[];
  /** Stored, but worth a look: fuzzy anchors, prefix/suffix that no longer match. */
  warnings: ClaimProblem[];
  /** Stored with their computed verdict, which is not what the annotation expects. */
  disagreements: Disagreement[];
}

/** Context kept around an anchor in the stored selector. */
const CONTEXT_CHARS = 32;

/** The segments stored with a message, or computed when it has none yet. */
function segmentsOf(m: { body: string; segmentsJson: string }): Segment[] {
  const stored = readSegments(m.segmentsJson);
  return stored.length > 0 || m.body === '' ? stored : segmentBody(m.body);
}

/**
 * Stores the claims of every annotation file under `annotationsDir`, tested
 * by `scenarios` (the loaded content/scenarios). Afterwards the Claim table
 * holds exactly the claims that anchored: re-running changes nothing, and a
 * claim's row (and id) survives re-ingest of its message.
 */
export async function storeClaims(db: Database, annotationsDir: string, scenarios: Iterable<Scenario>): Promise<StoreClaimsResult> {
  const parsed = loadAnnotations(annotationsDir);
  const result: StoreClaimsResult = { files: parsed.length, claims: 0, stored: 0, removed: 0, problems: [], warnings: [], disagreements: [] };
  const runner = new ScenarioRunner(scenarios);
  const located = new Map<string, Located>();
  const rows: ReturnType<typeof rowOf>[] = [];

  for (const file of parsed) {
    result.problems.push(...file.problems);
    result.claims += file.claims.length;
    for (const claim of file.claims) {
      const refKey = JSON.stringify(claim.message);
      let at = located.get(refKey);
      if (!at) located.set(refKey, (at = await locateMessage(db, claim.message)));
      if (!at.ok) { result.problems.push(claimProblem(claim, at.message)); continue; }
      const m = at.message;
      const a = anchorClaim(claim, { archiveId: m.archiveId, body: m.body, segments: segmentsOf(m) });
      if (!a.ok) { result.problems.push(a.problem); continue; }
      result.warnings.push(...a.warnings);
      const verdicts = computeVerdicts(claim, runner);
      if (verdicts instanceof Error) { result.problems.push(claimProblem(claim, verdicts.message)); continue; }
      if (verdicts.disagreements.length > 0 || verdicts.verdict !== verdicts.expected) {
        result.disagreements.push({ key: claim.key, file: claim.file, claim: claim.id, expected: verdicts.expected, computed: verdicts.verdict, links: verdicts.disagreements });
      }
      rows.push(rowOf(claim, m.id, m.body, a.anchored, verdicts.links, verdicts.verdict));
    }
  }

  // One transaction: the table holds the old claims or the new, never a mix.
  const upserts = rows.map((r) => db.claim.upsert({ where: { key: r.key }, create: r, update: r }));
  const drop = db.claim.deleteMany({ where: { key: { notIn: rows.map((r) => r.key) } } });
  const done = await db.$transaction([...upserts, drop]);
  result.removed = (done.at(-1) as { count: number }).count;
  result.stored = rows.length;
  return result;
}

/**
 * The stored selector is the one that matches the stored body: the text the
 * anchor landed on, with the characters around it. Re-anchoring uses the
 * annotation's own words, so a re-wrapped copy of the message anchors again.
 */
function rowOf(claim: ClaimSpec, messageId: number, body: string, a: { start: number; end: number; score: number }, links: LinkResult[], verdict: ClaimVerdict) {
  return {
    key: claim.key, messageId,
    exact: body.slice(a.start, a.end),
    prefix: body.slice(Math.max(0, a.start - CONTEXT_CHARS), a.start),
    suffix: body.slice(a.end, a.end + CONTEXT_CHARS),
    start: a.start, end: a.end, anchorScore: a.score,
    claimant: claim.claimant, statement: claim.statement, kind: claim.kind,
    scenariosJson: JSON.stringify(links), verdict, source: claim.file,
  };
}
