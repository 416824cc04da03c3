// Scenario shape (plain data). lib/scenarios validates files against this with zod.

import type { EraId } from './eras/index';
import type { AllocResult, HandlerSpec } from './handlers/composable';
import type { OutcomeName } from './outcomes';

export type ActorSpec =
  | { kind: 'fault'; name?: string; index: number; alloc?: AllocResult }
  | { kind: 'truncate'; name?: string; to: number; extendTo?: number; fs?: 'generic' | 'ocfs2' }
  | { kind: 'punch'; name?: string; from: number; to: number; fs?: 'generic' | 'ocfs2' }
  | { kind: 'downconvert'; name?: string; level: 'PR' | 'EX'; remoteSize?: number }
  | { kind: 'writeback'; name?: string; index?: number; consumesPrepared?: boolean }
  | { kind: 'reclaim'; name?: string; index: number; ignoreRefs?: boolean };

export interface PageSpec {
  cached?: boolean; // default true
  uptodate?: boolean; // default true
  dirty?: boolean; // default false
  prepared?: boolean; // default false
  pte?: 'none' | 'ro' | 'rw'; // default 'ro'
}

/** An outcome whoever it concerns (`Sigbus`), or one actor's (`Sigbus(fault[1])`, by the actor's name). */
export type OutcomeRef = OutcomeName | `${OutcomeName}(${string})`;

/** An outcome, or events in order (`Retried then Sigbus`, `WriteLanded before Retried`): patterns.ts. */
export type Expectation = OutcomeRef | string;

export interface Expectations {
  exists?: Expectation[];
  never?: Expectation[];
  /** How every run may end: outcomes only. */
  always?: OutcomeRef[];
}

/** How large a scenario may be: every actor and page is copied and hashed per transition. */
export const SCENARIO_CAPS = { actors: 8, pages: 8 } as const;

/** A search's limits when neither the caller nor the scenario sets them. */
export const DEFAULT_LIMITS = { states: 2_000_000, millis: 10_000 } as const;

export interface Scenario {
  id: string;
  title: string;
  era: EraId;
  /** A bundled handler id ("ocfs2@2.6.37") or a composable handler spec. */
  handler: string | HandlerSpec;
  file: { pages: number; size?: number }; // pages modelled; i_size in pages (default = pages)
  pages?: Record<number, PageSpec> | PageSpec[];
  actors: ActorSpec[];
  expect: Expectations;
  /** This scenario's search limits (DEFAULT_LIMITS otherwise); a caller's options win. */
  limits?: { states?: number; millis?: number };
  claim?: string;
  body?: string; // prose (Markdown) from the scenario file
  source?: string; // file it came from
}
