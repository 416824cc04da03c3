export { threadMessages } from './jwz';
export type { Ghost, Thread, ThreadedNode, ThreadingResult, ThreadInput } from './types';
