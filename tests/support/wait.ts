// Waiting in the browser tests. The rule: wait on navigation, URLs and elements, never on short
// fixed timeouts. A loaded 2-core CI machine can take seconds to render a page or run a scenario in
// its Web Worker, and vitest's expect.poll gives up after 1 s by default.

/**
 * Options for `expect.poll(fn, eventually)`: for state that changes after an interaction
 * (a key press, a select, a worker's result), polled often, given up on only well after any
 * machine should have got there. Still inside vitest's 60 s testTimeout.
 */
export const eventually = { timeout: 30_000, interval: 100 } as const;
