import type { ClaimProblem, ClaimSpec } from './types';

/** A problem with one claim, worded "<file>:<line>: claim "<id>": <text>" so that it can be found. */
export function claimProblem(claim: Pick<ClaimSpec, 'file' | 'line' | 'id'>, text: string): ClaimProblem {
  return { file: claim.file, claim: claim.id, message: `${claim.file}:${claim.line}: claim "${claim.id}": ${text}` };
}
