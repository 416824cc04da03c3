/**
 * Named points of an ingest where THREADLAB_CRASH_AT=<point>[:<n>] kills the process
 * with SIGKILL, as `kill -9` would, the nth time (default the first) it gets there:
 * the crash tests stop an ingest exactly at each step that commits. Unset, a point
 * costs one comparison.
 */
export type CrashPoint =
  /** A batch of mail and its sources' positions committed. */
  | 'batch-stored'
  /** Every batch committed; threading not begun. */
  | 'stored'
  /** Threading committed; linking not begun. */
  | 'threaded'
  /** A plan of quote links, ghost text and index entries committed. */
  | 'linked';

const [wanted, nth] = (process.env.THREADLAB_CRASH_AT ?? '').split(':');
let reached = 0;

export function crashPoint(point: CrashPoint): void {
  if (point !== wanted) return;
  if (++reached >= Number(nth ?? 1)) process.kill(process.pid, 'SIGKILL');
}
