/**
 * format=flowed (RFC 3676): lines that end in a space continue on the next
 * line. Reflowing joins them back into paragraphs, line by line of equal
 * quote depth, so that a quoted paragraph stays one quoted line instead of
 * picking up the next line's `>` markers. Pure: no I/O.
 */

export interface FlowedOptions {
  /** DelSp=yes: the space before a soft line break was added by the sender and goes. */
  delSp: boolean;
}

/** The quote depth of a flowed line: its leading run of `>` (RFC 3676 4.5: no spaces between them). */
function markerLength(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 62) n++;
  return n;
}

export function reflowFlowed(text: string, options: FlowedOptions): string {
  const lines = text.split(/\r?\n/);
  const out: string[] = [];
  /** The paragraph being joined: its first line's prefix (markers and stuffing), its pieces, its depth. */
  let prefix = '';
  let pieces: string[] = [];
  let depth = -1;
  const flush = () => {
    if (depth >= 0) out.push(prefix + pieces.join(''));
    pieces = [];
    depth = -1;
  };
  for (const line of lines) {
    const markers = markerLength(line);
    // Space-stuffing (4.4): one space after the markers was added by the sender.
    const stuffed = line.charCodeAt(markers) === 32;
    let content = line.slice(stuffed ? markers + 1 : markers);
    if (depth >= 0 && markers !== depth) flush(); // 4.5: a flowed line before a change of depth is fixed
    if (depth < 0) {
      depth = markers;
      // Quoted lines keep the space after their markers, as they were displayed.
      prefix = line.slice(0, stuffed && markers > 0 ? markers + 1 : markers);
    }
    // The signature separator "-- " ends in a space but is never flowed (4.3).
    const flowed = content.endsWith(' ') && content !== '-- ';
    if (flowed && options.delSp) content = content.slice(0, -1);
    pieces.push(content);
    if (!flowed) flush();
  }
  flush();
  return out.join('\n');
}
