import Link from 'next/link';
import { RANK_WINDOW } from '@/lib/search/search';
import { QUERY_LIMITS, searchBudgetMs } from '@/lib/search/limits';
import { PREFIXES } from '@/lib/search/prefixes';
import { searchHref } from './data';

// lore's query language, as Threadlab reads it; the prefixes are lib/search/prefixes.ts's.
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
          {PREFIXES.map(({ names: [name], help, example }) => (
            <tr key={name}>
              <td><code>{`${name}:`}</code></td>
              <td>{help}</td>
              <td><Link href={searchHref({ q: example })}><code>{example}</code></Link></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
