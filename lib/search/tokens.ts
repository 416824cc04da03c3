// Words as the index sees them. The FTS5 tables use the unicode61 tokenizer
// with '_' as a word character (kernel identifiers such as VM_FAULT_NOPAGE
// and page_mkwrite are one word, as in lore's Xapian index); the query
// parser and the highlighter split text with the same rule here, so that
// what is highlighted is what matched.

/** The `tokenize` option of every search table (prisma/migrations/*_search). */
export const TOKENIZER = "unicode61 remove_diacritics 2 tokenchars '_'";

// unicode61's token characters: letters, numbers, private use; plus '_'.
// Combining marks stay inside a word and are folded away below.
const WORD = /[\p{L}\p{N}\p{Co}_][\p{L}\p{N}\p{Co}\p{M}_]*/gu;
const MARKS = /\p{M}/gu;

/** One character that can be part of a word. */
export const WORD_CHAR = /^[\p{L}\p{N}\p{Co}\p{M}_]$/u;

/** Lower case without diacritics: "Élan" and "elan" are one word. */
export function fold(word: string): string {
  const lower = word.toLowerCase();
  // Most words are ASCII, which has nothing to decompose: indexing skips the costly part.
  return /[^\x00-\x7f]/.test(lower) ? lower.normalize('NFD').replace(MARKS, '') : lower;
}

/** The folded words of a query term. */
export const wordsOf = (text: string): string[] => (text.match(WORD) ?? []).map(fold);
