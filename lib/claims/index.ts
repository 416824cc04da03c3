// Claims: annotation files (content/annotations) anchored to messages and tested by scenarios.

export type { AnchorScope, Anchor, ClaimKind, ClaimProblem, ClaimSpec, ClaimVerdict, LinkResult, LinkVerdict, MessageRef, TestLink } from './types';
export { CLAIM_KINDS, ANCHOR_SCOPES } from './types';
export { parseAnnotations, type ParsedAnnotations } from './parse';
export { loadAnnotations, defaultAnnotationsDir } from './load';
export { anchorClaim, anchorText, FUZZY_MIN, TIE_SCORE, TIE_CONTEXT, STALE_CONTEXT, type AnchorResult, type AnchorCandidate, type Anchored, type AnchorTarget } from './anchor';
export { combineVerdicts, computeVerdicts, runLink, ScenarioRunner, type ClaimVerdicts } from './verdict';
export { locateMessage, describeRef } from './locate';
export { storeClaims, type StoreClaimsResult, type Disagreement } from './store';
