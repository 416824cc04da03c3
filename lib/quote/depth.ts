import { quoteDepth } from '../thread/attribution';

/** Consecutive lines of equal quote depth, for rendering. */
export function runsByDepth(text: string): { depth: number; text: string }[] {
  const runs: { depth: number; text: string }[] = [];
  for (const line of text.split('\n')) {
    const { depth } = quoteDepth(line);
    const last = runs[runs.length - 1];
    if (last && last.depth === depth) last.text += '\n' + line;
    else runs.push({ depth, text: line });
  }
  return runs;
}
