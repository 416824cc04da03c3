// A parsed query compiled for PostgreSQL (lower.ts does what both engines
// share): text terms become one tsquery of the tagged words the index holds
// (document.ts), phrases with <->, word* with :*, AND, OR and NOT as &, | and
// !; the rest SQL conditions with bound parameters. The tsquery is a bound
// parameter too, and holds only quoted, folded words.
import type { QueryNode } from '../query/ast';
import type { HitKind } from '../prefixes';
import { compileWith, dateRange, messageFilter, type Compiled, type TextSyntax } from '../lower';
import { lexeme, quoted } from './document';

/** How the executor's SQL names a hit: its tsvector, the id of its message, and its date if its row has it. */
export interface DocumentNames {
  document: string;
  messageId: string;
  date?: string;
}

const group = (q: string) => (/^'[^']*'(?::\*)?$/.test(q) ? q : `(${q})`);

const TSQUERY: TextSyntax = {
  /** The words in a row, in any one of the fields: a phrase of each field's lexemes. */
  term(t, fields, hit) {
    const phrases: string[] = [];
    for (const field of fields) {
      const lexemes = t.words.map((w) => lexeme(hit, field, w));
      if (lexemes.some((l) => l === null)) return null;
      phrases.push(lexemes.map((l, i) => `${quoted(l!)}${t.prefix && i === lexemes.length - 1 ? ':*' : ''}`).join(' <-> '));
    }
    return TSQUERY.or(phrases);
  },
  and: (qs) => qs.map(group).join(' & '),
  or: (qs) => (qs.length === 1 ? qs[0] : qs.map(group).join(' | ')),
  without: (q, excluded) => `${group(q)} & !${group(TSQUERY.or(excluded))}`,
};

export function compilePostgres(query: QueryNode, hit: HitKind): Compiled<DocumentNames> {
  return compileWith<DocumentNames>(query, hit, TSQUERY, {
    text: (q, row) => ({ sql: `${row.document} @@ ?::tsquery`, params: [q] }),
    filter(node, row) {
      // A message's row holds its date: compared there, not looked up again by id. False, not
      // null, for a message without one, which is not in the range, as it is in no set of ids.
      if (node.type === 'date' && row.date) {
        const range = dateRange(node, row.date);
        return { sql: `${row.date} IS NOT NULL AND ${range.sql}`, params: range.params };
      }
      const ids = messageFilter(node, 'message_search');
      return { sql: `${row.messageId} IN (${ids.sql})`, params: ids.params };
    },
  });
}
