// Claims: what an annotation file says about a message, and what ingest computed for it.
// Plain data, so that pages can read Claim.scenariosJson with these types.

import type { EraId } from '../engine/index';
import type { ScenarioVerdict } from '../scenarios/verdict';

export const CLAIM_KINDS = ['rule', 'history', 'proposal', 'question'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

/** Where an anchor is looked for in its message. */
export const ANCHOR_SCOPES = ['new', 'quote', 'diff'] as const;
export type AnchorScope = (typeof ANCHOR_SCOPES)[number];

/**
 * Which message a claim is made in. A Message-ID when the mail has one; for
 * mail without (pipermail pages), the list, sender and date, which survive
 * re-ingest from another copy of the archive where a derived archive id
 * (a hash of the bytes) would not.
 */
export type MessageRef =
  | { mid: string }
  | { archiveId: string }
  | { list: string; from: string; date: string; subject?: string };

/** A W3C Web Annotation TextQuoteSelector, plus the part of the message it is looked for in. */
export interface Anchor {
  exact: string;
  prefix: string;
  suffix: string;
  in: AnchorScope;
}

/** A verdict of one scenario run on a claim (lib/scenarios/verdict's, before a counterexample flips it). */
export type LinkVerdict = ScenarioVerdict;
/** A claim's overall verdict: `depends` when its runs disagree; `untested` when nothing models it. */
export type ClaimVerdict = LinkVerdict | 'depends' | 'untested';

/** One scenario run that tests a claim, as the annotation writes it. */
export interface TestLink {
  scenario: string;
  /** Run at another era / with another bundled handler than the scenario's own. */
  era?: EraId;
  handler?: string;
  /**
   * The scenario's expectations describe a counterexample to the claim: they
   * holding refutes it. (Bundled scenarios always pass at their own settings,
   * so a wrong claim is shown by a scenario that exhibits what it denies.)
   */
  counterexample: boolean;
  expect: 'supported' | 'refuted';
}

export interface ClaimSpec {
  id: string;
  /** "<file relative to the annotations folder>#<id>", the Claim row's key. */
  key: string;
  file: string;
  /** 1-based line of the claim's block in its file. */
  line: number;
  /** The block's [start, end) in its file's text, fences included: what editing it replaces. */
  span?: [number, number];
  message: MessageRef;
  anchor: Anchor;
  claimant: string;
  statement: string;
  kind: ClaimKind;
  tests: TestLink[];
  /** Why no scenario tests the claim (tests is then empty). */
  untested?: string;
}

/** What Claim.scenariosJson holds: one entry per test link, computed at ingest. */
export interface LinkResult {
  scenario: string;
  title: string;
  /** The era and handler the scenario actually ran with. */
  era: string;
  handler: string;
  counterexample: boolean;
  expected: 'supported' | 'refuted';
  computed: LinkVerdict;
  /** Expectations of the scenario that did not pass, as the engine words them. */
  failed: string[];
}

/** A problem found in an annotation file; `claim` is absent for file-level problems. */
export interface ClaimProblem {
  file: string;
  claim?: string;
  message: string;
}
