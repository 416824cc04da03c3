/** Quote markers: how deep a line is quoted, and its text without them. Pure: no I/O. */

export interface QuotedLine {
  depth: number;
  /** The line without its quote markers. */
  text: string;
}

/** Splits a line into quote depth and text: `> > foo` and `>> foo` are depth 2. */
export function quoteDepth(line: string): QuotedLine {
  // By hand rather than /^(?:[ \t]*>)+[ \t]?/: every line of every body goes through here.
  let depth = 0;
  let textStart = 0;
  for (let at = 0; ; depth++) {
    let c = line.charCodeAt(at);
    while (c === 32 || c === 9) c = line.charCodeAt(++at);
    if (c !== 62 /* > */) break;
    textStart = ++at;
  }
  if (depth === 0) return { depth, text: line };
  const c = line.charCodeAt(textStart);
  return { depth, text: line.slice(c === 32 || c === 9 ? textStart + 1 : textStart) };
}
