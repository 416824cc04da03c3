// A parsed search query: what the user asked for, before it meets any table.
import type { TextField } from '../prefixes';

/** Words, or a phrase: `words` folded as the index folds them, in order. */
export interface TermNode {
  type: 'term';
  field: TextField;
  words: string[];
  /** The last word is a prefix (`word*`). */
  prefix: boolean;
  /** As written, for messages. */
  text: string;
  position: number;
}

/** d: a range of UTC instants, `to` exclusive; null for an open end. */
export interface DateNode {
  type: 'date';
  from: Date | null;
  to: Date | null;
  text: string;
  position: number;
}

/** mid: one Message-ID, without its angle brackets. */
export interface MessageIdNode {
  type: 'mid';
  id: string;
  position: number;
}

/** l: a list, by its name (linux-mm) or List-Id (linux-mm.kvack.org). */
export interface ListNode {
  type: 'list';
  name: string;
  position: number;
}

export type FilterNode = DateNode | MessageIdNode | ListNode;

export type QueryNode =
  | TermNode
  | FilterNode
  | { type: 'and'; children: QueryNode[] }
  | { type: 'or'; children: QueryNode[] }
  | { type: 'not'; child: QueryNode };

/** A query that cannot be parsed: `position` is the UTF-16 offset in the query it points at. */
export class QuerySyntaxError extends Error {
  constructor(message: string, public readonly position: number, public readonly query: string) {
    super(message);
    this.name = 'QuerySyntaxError';
  }

  // As SearchBudgetExceeded (limits.ts): the site's routes each bundle a copy of this class.
  static [Symbol.hasInstance](x: unknown): boolean {
    return x instanceof Error && x.name === 'QuerySyntaxError';
  }

  /** 1-based, in code points: an emoji counts one, not two UTF-16 units. */
  get column(): number {
    return [...this.query.slice(0, this.position)].length + 1;
  }

  /** The query with a caret under the position, for a terminal or a <pre>. */
  pointer(): string {
    return `${this.query}\n${' '.repeat(this.column - 1)}^`;
  }
}

/** The terms a hit must contain (not those under NOT): what snippets and highlights mark. */
export function positiveTerms(node: QueryNode, negated = false): TermNode[] {
  switch (node.type) {
    case 'term':
      return negated ? [] : [node];
    case 'and':
    case 'or':
      return node.children.flatMap((c) => positiveTerms(c, negated));
    case 'not':
      return positiveTerms(node.child, !negated);
    default:
      return [];
  }
}
