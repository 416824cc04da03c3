/**
 * Where the attributions of a body are, at any quote depth, and how the
 * quote each introduces is written: one level deeper, inside the quote
 * (Apple Mail) or without markers (Outlook). Quote segmentation runs this on
 * every body at ingest. Pure: no I/O.
 */
import { mayBeWrappedAttribution, parseAttribution, type Attribution } from './attribution';
import { headerBlockAt } from './outlook-header';
import { quoteDepth, type QuotedLine } from './quote-depth';
import type { QuoteForm } from './types';

export interface AttributionLine extends Attribution {
  /** First line of the attribution (0-based index into the body's lines). */
  startLine: number;
  /** Line after the attribution; it may wrap over up to three lines. */
  endLine: number;
  /** Quote depth of the attribution itself: 0 in new text, 1 inside a `>` quote, ... */
  depth: number;
  /**
   * Apple Mail writes the attribution inside the quote it introduces
   * (`> On 5 Nov 2017, at 10:42, X wrote:` then `> text`): the quoted text is
   * at `depth`, not `depth + 1`.
   */
  insideQuote?: true;
  /**
   * Outlook's header block (`From:` / `Sent:` / `To:` / `Subject:`, often under
   * `-----Original Message-----`) quotes the message below it without markers:
   * every line after it is one level deeper than its `>` markers say.
   */
  unmarked?: true;
}

/**
 * Finds the attribution lines of a body, at any quote depth. An attribution
 * counts only when quoted text one level deeper follows it (after blank
 * lines, if any): prose that happens to end in "wrote:" does not. Two forms
 * are followed by text at their own depth: Apple Mail's attribution written
 * as the first line of the quote, and Outlook's header block (`unmarked`).
 */
export function findAttributions(body: string | readonly string[]): AttributionLine[] {
  const raw = typeof body === 'string' ? body.split(/\r?\n/) : body;
  return attributionsIn(raw.map(quoteDepth));
}

/** Whether a line's text is blank, without allocating. */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** Whether a line's text ends with ':' (trailing blanks aside), without allocating. */
function endsWithColon(text: string): boolean {
  let i = text.length - 1;
  while (i >= 0 && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9 || text.charCodeAt(i) === 13)) i--;
  return i >= 0 && text.charCodeAt(i) === 58;
}

const BLANK_LINE = 0;
const TEXT_LINE = 1;
const COLON_LINE = 2;

/** findAttributions over lines already split by quoteDepth (quote segmentation has them at hand). */
export function attributionsIn(lines: readonly QuotedLine[]): AttributionLine[] {
  const found: AttributionLine[] = [];
  const n = lines.length;
  const shape = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const text = lines[i]!.text;
    shape[i] = isBlank(text) ? BLANK_LINE : endsWithColon(text) ? COLON_LINE : TEXT_LINE;
  }
  /** The form of the quote after lines [start, end), checked before any parsing: it rules out most candidates. */
  const formAfter = (start: number, end: number, depth: number, outlook: boolean): QuoteForm | null => {
    let next = end;
    while (next < n && shape[next] === BLANK_LINE) next++;
    if (next >= n) return null;
    const nextDepth = lines[next]!.depth;
    if (nextDepth > depth) return 'deeper';
    if (nextDepth < depth) return null;
    if (depth > 0 && opensQuote(lines, shape, start, depth)) return 'inside';
    return outlook ? 'unmarked' : null;
  };
  for (let i = 0; i < n; i++) {
    if (shape[i] === BLANK_LINE) continue;
    const { depth, text } = lines[i]!;
    let parsed: Attribution | null = null;
    let form: QuoteForm | null = null;
    let start = i;
    let end = i + 1;
    if (shape[i] === COLON_LINE) {
      form = formAfter(i, end, depth, false);
      if (form !== null) parsed = parseAttribution(text);
    } else {
      const first = text.charCodeAt(0) | 0x20; // lower case: From:, Von:, De:
      const block = first === 0x66 || first === 0x76 || first === 0x64 ? headerBlockAt(lines, i) : null;
      if (block) {
        ({ startLine: start, endLine: end } = block);
        form = formAfter(start, end, depth, block.outlook);
        if (form !== null) parsed = { name: block.name, address: block.address, dateText: block.dateText, date: block.date };
      } else {
        // Wrapped over two or three lines, all at the same depth.
        for (let last = i + 1; last <= i + 2 && last < n; last++) {
          if (shape[last] === BLANK_LINE || lines[last]!.depth !== depth) break;
          if (shape[last] !== COLON_LINE) continue;
          if (!mayBeWrappedAttribution(text, lines[last]!.text)) break;
          form = formAfter(i, last + 1, depth, false);
          if (form === null) break;
          const parts: string[] = [];
          for (let k = i; k <= last; k++) parts.push(lines[k]!.text.trim());
          parsed = parseAttribution(parts.join(' '));
          end = last + 1;
          break;
        }
      }
    }
    if (parsed === null) continue;
    const line: AttributionLine = { ...parsed, startLine: start, endLine: end, depth };
    if (form === 'inside') line.insideQuote = true;
    else if (form === 'unmarked') line.unmarked = true;
    found.push(line);
    i = end - 1;
  }
  return found;
}

/** Whether line `start` is the first non-blank line of a quote at `depth`. */
function opensQuote(lines: readonly QuotedLine[], shape: Uint8Array, start: number, depth: number): boolean {
  let before = start - 1;
  while (before >= 0 && shape[before] === BLANK_LINE) before--;
  return before < 0 || lines[before]!.depth < depth;
}
