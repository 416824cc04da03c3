// Sentences of the mail that may hold a claim the engine can test: those naming something it
// models. A page marks them faintly so an author sees where claims may be. Pure: no I/O.

/** What the fault engine models, as mail names it: one entry a concept. */
export const KERNEL_VOCABULARY: ReadonlyArray<{ pattern: RegExp; names: string }> = [
  { pattern: /\bVM_FAULT_\w+/, names: 'VM_FAULT_* codes' },
  { pattern: /\bblock_page_mkwrite\w*/, names: 'block_page_mkwrite' },
  { pattern: /\bpage_mkwrite\b/, names: '->page_mkwrite' },
  { pattern: /\b(?:un)?lock_page\b|\bpage[- ]lock(?:ed)?\b|\bPageLocked\b/i, names: 'the page lock' },
  { pattern: /\bpage->mapping\b/, names: 'page->mapping' },
  { pattern: /\btruncat(?:e|ed|es|ing|ion)\b|\bi_size\b/i, names: 'truncation' },
  { pattern: /\bwrite[- ]?back\b|\bwriteout\b/i, names: 'writeback' },
  { pattern: /\bset_page_dirty\w*|\bdirt(?:y|ied|ies|ying)\b/i, names: 'dirtying a page' },
  { pattern: /\bSIGBUS\b/, names: 'SIGBUS' },
  { pattern: /\bdo_wp_page\b/, names: 'do_wp_page' },
  { pattern: /(?<!\w)-E[A-Z]{3,}\b/, names: 'error codes' },
  { pattern: /\bfind_or_create_page\b/, names: 'find_or_create_page' },
  { pattern: /\bfile_update_time\b/, names: 'file_update_time' },
  { pattern: /\b(?:Set|Clear)?PageUptodate\b|\bup-?to-?date\b/i, names: 'PageUptodate' },
  { pattern: /\binvalidat(?:e|ed|es|ing|ion)\w*/i, names: 'invalidation' },
];

/** Abbreviations whose full stop ends no sentence. */
const ABBREVIATION = /(?:^|[^\w.])(?:e\.g|i\.e|eg|ie|cf|vs)$/i;

/** The sentences of `text` (UTF-16 offsets, end exclusive) that name at least one entry of the vocabulary. */
export function candidateSentences(text: string): Array<{ start: number; end: number; names: string[] }> {
  const out: Array<{ start: number; end: number; names: string[] }> = [];
  const take = (from: number, to: number) => {
    while (from < to && /\s/.test(text[from]!)) from++;
    while (to > from && /\s/.test(text[to - 1]!)) to--;
    const sentence = text.slice(from, to);
    const names = KERNEL_VOCABULARY.filter((v) => v.pattern.test(sentence)).map((v) => v.names);
    if (names.length > 0) out.push({ start: from, end: to, names });
  };
  // A sentence ends at . ! or ? before white space (a path's or a version's dots are not), or at a blank line.
  let start = 0;
  for (const m of text.matchAll(/[.!?](?=\s)|\n[ \t]*\n/g)) {
    if (m[0] === '.' && ABBREVIATION.test(text.slice(Math.max(0, m.index - 4), m.index))) continue;
    const end = m.index + (m[0].length === 1 ? 1 : 0);
    if (end <= start) continue;
    take(start, end);
    start = m.index + m[0].length;
  }
  take(start, text.length);
  return out;
}
