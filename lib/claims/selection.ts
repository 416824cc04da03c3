// A reader's selection in a message, turned into a claim's anchor: the selected words widened to
// whole words, with the least prefix and suffix that make them anchor in one place. Pure: the
// page hands over the scope's normalised text (lib/claims/scope.ts) and where the selection is in it.

import { anchorText, isWord, wholeWords } from './anchor';
import type { Anchor } from './types';

/** A claim's statement is at most 240 characters; its words in the mail may say it in four times as many. */
export const MAX_EXACT = 240 * 4;
/** Prefix and suffix grow a word at a time up to this many characters a side (three times what a stored row keeps). */
const MAX_CONTEXT = 96;

export const REFUSALS = {
  empty: 'Select some words of the message.',
  'too-long': `The selection is too long for one claim: select at most ${MAX_EXACT} characters.`,
  'crosses-quote': "The selection crosses a quote boundary: select words either in the quoted text or in the writer's own text.",
  'crosses-scopes': 'The selection crosses from one part of the message into another (text, quote or patch): select words in one of them.',
  attribution: 'The selection touches an attribution line ("... wrote:"): select only the words of the message.',
  'not-claim-text': 'The selection touches a signature, list footer, diffstat or trailer, which hold no claims: select the words of the message.',
  headers: 'The selection touches the message headers: select words in the body.',
  outside: 'The selection is not in the text of a message: select words in the body of one.',
  ghost: 'This message is not in the archive: select the words where a reply quotes them.',
  'two-messages': 'The selection spans two messages: select words in one.',
  repeated: 'These words occur more than once with the same words around them: select a longer passage.',
} as const;

export type Refusal = keyof typeof REFUSALS;
export type Refused = { ok: false; reason: Refusal; message: string };

export const refusal = (reason: Refusal): Refused => ({ ok: false, reason, message: REFUSALS[reason] });

export type ScopeAnchor = { ok: true } & Pick<Anchor, 'exact' | 'prefix' | 'suffix'>;

/**
 * The anchor of text[start, end) of a scope's normalised text: `exact` the selected words
 * (a cut word widened to the whole word), prefix and suffix empty unless needed to tell the
 * place from another where the same words occur.
 */
export function anchorFromScope(text: string, start: number, end: number): ScopeAnchor | Refused {
  [start, end] = wholeWords(text, Math.max(0, start), Math.min(text.length, end), 0, text.length);
  while (start < end && text[start] === ' ') start++;
  while (end > start && text[end - 1] === ' ') end--;
  const exact = text.slice(start, end);
  if (exact === '') return refusal('empty');
  if (exact.length > MAX_EXACT) return refusal('too-long');
  if (text.indexOf(exact) === start && text.indexOf(exact, start + 1) < 0) return { ok: true, exact, prefix: '', suffix: '' };
  // The scope text is its own body: anchoring it there is anchoring in the message, as the same words in the same order.
  const body = [{ kind: 'new' as const, start: 0, end: text.length, depth: 0 }];
  const lands = (prefix: string, suffix: string) => {
    const r = anchorText(text, body, { exact, prefix, suffix, in: 'new' });
    return r.ok && r.start === start;
  };
  let [before, after] = [start, end];
  for (;;) {
    const [wideBefore, wideAfter] = [wordBefore(text, before), wordAfter(text, after)];
    const grows = [wideBefore < before && start - wideBefore <= MAX_CONTEXT, wideAfter > after && wideAfter - end <= MAX_CONTEXT];
    if (!grows[0] && !grows[1]) return refusal('repeated');
    if (grows[0]) before = wideBefore;
    if (grows[1]) after = wideAfter;
    // The shortest context first: one side, then both.
    const [prefix, suffix] = [text.slice(before, start).trim(), text.slice(end, after).trim()];
    for (const [p, s] of [[prefix, ''], ['', suffix], [prefix, suffix]] as const) {
      if ((p || s) && lands(p, s)) return { ok: true, exact, prefix: p, suffix: s };
    }
  }
}

/** Where the word before `at` starts (with the space after it), or `at` at the start of the text. */
function wordBefore(text: string, at: number): number {
  while (at > 0 && text[at - 1] === ' ') at--;
  if (at > 0 && !isWord(text[at - 1])) return at - 1;
  while (at > 0 && isWord(text[at - 1])) at--;
  return at;
}

/** Where the word after `at` ends, or `at` at the end of the text. */
function wordAfter(text: string, at: number): number {
  while (at < text.length && text[at] === ' ') at++;
  if (at < text.length && !isWord(text[at])) return at + 1;
  while (at < text.length && isWord(text[at])) at++;
  return at;
}
