import Link from 'next/link';
import { RANK_WINDOW } from '@/lib/search/search';
import { QUERY_LIMITS, searchBudgetMs } from '@/lib/search/limits';
import { searchHref } from './data';

// lore's query language, as Threadlab reads it.
const PREFIXES: Array<[string, string, string]> = [
  ['s:', 'subject', 's:page_mkwrite'],
  ['f:', 'from: name or address', 'f:piggin'],
  ['t:', 'to', 't:linux-mm@kvack.org'],
  ['c:', 'cc', 'c:akpm'],
  ['a:', 'any address: from, to or cc', 'a:npiggin@gmail.com'],
  ['tc:', 'to or cc', 'tc:ocfs2-devel'],
  ['b:', 'body: new text, quotes and patches', 'b:"minor fault"'],
  ['bs:', 'subject or body', 'bs:truncate'],
  ['nq:', 'new text only: what the writer wrote, not what they quoted', 'nq:VM_FAULT_NOPAGE'],
  ['q:', 'quoted text only (with its "On ..., X wrote:" line)', 'q:VM_FAULT_NOPAGE'],
  ['dfn:', 'file names in a patch', 'dfn:mm/memory.c'],
  ['dfa:', 'lines a patch removes', 'dfa:VM_FAULT_SIGBUS'],
  ['dfb:', 'lines a patch adds', 'dfb:VM_FAULT_NOPAGE'],
  ['dfctx:', 'the rest of a patch: context lines, hunk headers, diffstat', 'dfctx:do_wp_page'],
  ['d:', 'date (UTC): a day, month or year, a range A..B (both ends included, either open), or 2.weeks.ago, yesterday', 'd:2010-12-01..2011-01-31'],
  ['mid:', 'a Message-ID, exactly', 'mid:20090311035503.GI16561@wotan.suse.de'],
  ['l:', 'a list, by name or List-Id', 'l:ocfs2-devel'],
];

const FORMS: Array<[string, string]> = [
  ['page_mkwrite truncate', 'words side by side must all appear (in the subject, the sender or the body)'],
  ['"minor fault"', 'a phrase, word for word'],
  ['mkwrite*', 'words starting with mkwrite'],
  ['nopage OR retry', 'either'],
  ['page_mkwrite -btrfs', 'without btrfs; NOT btrfs says the same'],
  ['s:(ocfs2 OR gfs2) AND d:2010..', 'parentheses group; a prefix before them applies to all inside'],
];

export function SyntaxHelp() {
  return (
    <div className="syntax-help">
      <p>
        The query language of <a href="https://lore.kernel.org/">lore.kernel.org</a>. Words are matched whole, without
        regard to case or accents; <code>VM_FAULT_NOPAGE</code> and <code>page_mkwrite</code> are one word each, while{' '}
        <code>page-mkwrite</code> or <code>npiggin@gmail.com</code> are phrases of several. Messages, the claims made in
        them and the scenarios that test those claims are all searched.
      </p>
      <p>
        Best match first weighs a word in the subject above one in the body, and the writer&apos;s own words above
        quoted ones; when more than {RANK_WINDOW.toLocaleString('en')} messages match, it ranks the{' '}
        {RANK_WINDOW.toLocaleString('en')} most recently archived. A list&apos;s footer is not searched.
      </p>
      <p className="limits">
        A search may run for {searchBudgetMs().toLocaleString('en')} ms; one that takes longer is stopped and says so.
        A query holds at most {QUERY_LIMITS.length.toLocaleString('en')} characters and {QUERY_LIMITS.terms} terms,
        of which {QUERY_LIMITS.prefixTerms} may be prefixes (<code>word*</code>), each with at least{' '}
        {QUERY_LIMITS.prefixLength} characters before its <code>*</code>: a short prefix stands for thousands of
        words. Parentheses nest at most {QUERY_LIMITS.depth} deep.
      </p>
      <table className="threads">
        <tbody>
          {FORMS.map(([example, meaning]) => (
            <tr key={example}>
              <td><Link href={searchHref({ q: example })}><code>{example}</code></Link></td>
              <td>{meaning}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Prefixes</h3>
      <table className="threads prefixes">
        <tbody>
          {PREFIXES.map(([prefix, meaning, example]) => (
            <tr key={prefix}>
              <td><code>{prefix}</code></td>
              <td>{meaning}</td>
              <td><Link href={searchHref({ q: example })}><code>{example}</code></Link></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
