/** The query parameters a runner's view is written in (url-state.ts); apart so pages can name them without the engine. */
export const RUNNER_PARAMS = ['run', 'era', 'handler', 'fn', 'errno', 'ops', 'outcome', 'step'] as const;
