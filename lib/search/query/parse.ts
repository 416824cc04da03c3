// The query language, lore's: prefixed terms (s:word, f:"a phrase",
// s:(a OR b)), AND, OR, NOT, -word, parentheses, word* prefixes; words side
// by side must all match. A small recursive-descent parser over a lexer;
// every error names the place in the query it comes from.
//
//   query   := or EOF
//   or      := and ('OR' and)*
//   and     := unary (['AND'] unary)*
//   unary   := ('NOT' | '-') unary | '+'? primary
//   primary := '(' or ')' | PREFIX ':' (WORD | PHRASE | '(' or ')') | WORD | PHRASE
import { QuerySyntaxError, type QueryNode } from './ast';
import { DateError, parseDateRange } from './dates';
import { prefixNamed, UNSUPPORTED_PREFIXES, type FilterValue, type TextField } from '../prefixes';
import { wordsOf } from '../tokens';
import { messageIdOf } from '../../mail/message-id';
import { QUERY_LIMITS as LIMITS } from '../limits';

type Lexeme =
  | { kind: '(' | ')' | 'AND' | 'OR' | 'NOT' | '-' | '+' | 'EOF'; at: number }
  | { kind: 'prefix'; name: string; at: number }
  | { kind: 'word' | 'phrase'; text: string; at: number };

/** Splits a query into lexemes; the only lexing error is an unclosed quote. */
function lex(query: string): Lexeme[] {
  const out: Lexeme[] = [];
  let i = 0;
  const stop = (c: string) => /\s/.test(c) || c === '(' || c === ')' || c === '"';
  while (i < query.length) {
    const c = query[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ kind: c, at: i++ });
      continue;
    }
    if (c === '"') {
      const close = query.indexOf('"', i + 1);
      if (close < 0) throw new QuerySyntaxError('this quote is never closed', i, query);
      out.push({ kind: 'phrase', text: query.slice(i + 1, close), at: i });
      i = close + 1;
      // `"a phrase"*` makes its last word a prefix, as `word*` does.
      if (query[i] === '*') {
        (out[out.length - 1] as { text: string }).text += '*';
        i++;
      }
      continue;
    }
    // A leading - or + binds to what follows it, when something does.
    if ((c === '-' || c === '+') && i + 1 < query.length && !/\s/.test(query[i + 1]) && query[i + 1] !== ')') {
      out.push({ kind: c, at: i++ });
      continue;
    }
    const start = i;
    while (i < query.length && !stop(query[i])) {
      // name: starts a prefix when the name is one of lore's (lib/search/prefixes.ts).
      if (query[i] === ':' && /^[a-z]+$/.test(query.slice(start, i))) {
        const name = query.slice(start, i);
        if (prefixNamed(name)) break;
        if (UNSUPPORTED_PREFIXES.has(name)) throw new QuerySyntaxError(`lore's prefix "${name}:" is not supported here`, start, query);
      }
      i++;
    }
    const text = query.slice(start, i);
    if (query[i] === ':') {
      out.push({ kind: 'prefix', name: text, at: start });
      i++;
      continue;
    }
    out.push(text === 'AND' || text === 'OR' || text === 'NOT' ? { kind: text, at: start } : { kind: 'word', text, at: start });
  }
  out.push({ kind: 'EOF', at: query.length });
  return out;
}

/**
 * Parses a query. Words with nothing searchable in them ("&", "--") are
 * left out, as lore leaves them; a query left with nothing is an error.
 * `now` anchors relative dates (2.weeks.ago).
 */
export function parseQuery(query: string, now: Date = new Date()): QueryNode {
  if (query.length > LIMITS.length) throw new QuerySyntaxError(`the query is longer than ${LIMITS.length} characters`, LIMITS.length, query);
  const lexemes = lex(query);
  let terms = 0;
  let prefixes = 0;
  let depth = 0;
  let at = 0;
  const peek = () => lexemes[at];
  const fail = (message: string, position: number): never => {
    throw new QuerySyntaxError(message, position, query);
  };
  const describe = (l: Lexeme) => (l.kind === 'EOF' ? 'the end of the query' : l.kind === 'word' || l.kind === 'phrase' ? `"${l.text}"` : l.kind === 'prefix' ? `"${l.name}:"` : `"${l.kind}"`);

  const or = (field: TextField): QueryNode | null => {
    const items = [and(field)];
    while (peek().kind === 'OR') {
      const op = lexemes[at++];
      if (['OR', 'AND', ')', 'EOF'].includes(peek().kind)) fail(`"OR" needs a term after it, not ${describe(peek())}`, op.at);
      items.push(and(field));
    }
    return combine('or', items);
  };

  const and = (field: TextField): QueryNode | null => {
    const items: (QueryNode | null)[] = [];
    for (;;) {
      const next = peek();
      if (next.kind === 'OR' || next.kind === ')' || next.kind === 'EOF') break;
      if (next.kind === 'AND') {
        if (items.length === 0) fail('"AND" needs a term before it', next.at);
        at++;
        if (['OR', 'AND', ')', 'EOF'].includes(peek().kind)) fail(`"AND" needs a term after it, not ${describe(peek())}`, next.at);
      }
      items.push(unary(field));
    }
    if (items.length === 0) {
      const next = peek();
      // Only a blank query gets here at its end: groups and operators check for the end themselves.
      if (next.kind === 'EOF') fail('the query is empty', 0);
      fail(next.kind === 'OR' ? '"OR" needs a term before it' : 'this ")" closes nothing', next.at);
    }
    return combine('and', items);
  };

  const unary = (field: TextField): QueryNode | null => {
    const l = peek();
    if (l.kind === 'NOT' || l.kind === '-') {
      at++;
      if (['OR', 'AND', ')', 'EOF'].includes(peek().kind)) fail(`"${l.kind}" needs a term after it, not ${describe(peek())}`, l.at);
      const child = unary(field);
      return child && { type: 'not', child };
    }
    if (l.kind === '+') {
      at++;
      if (!['(', 'word', 'phrase', 'prefix'].includes(peek().kind)) fail(`"+" needs a term after it, not ${describe(peek())}`, l.at);
    }
    return primary(field);
  };

  const group = (field: TextField): QueryNode | null => {
    const open = lexemes[at++];
    if (peek().kind === 'EOF') fail('this "(" is never closed', open.at);
    if (peek().kind === ')') fail('empty parentheses', open.at);
    if (++depth > LIMITS.depth) fail(`parentheses nest deeper than ${LIMITS.depth}`, open.at);
    const inner = or(field);
    depth--;
    if (peek().kind !== ')') fail('this "(" is never closed', open.at);
    at++;
    return inner;
  };

  const primary = (field: TextField): QueryNode | null => {
    const l = peek();
    switch (l.kind) {
      case '(':
        return group(field);
      case 'word':
      case 'phrase':
        at++;
        return term(field, l.text, l.at);
      case 'prefix': {
        at++;
        const value = peek();
        const p = prefixNamed(l.name)!;
        if (p.value !== 'words') {
          if (value.kind !== 'word' && value.kind !== 'phrase') fail(`"${l.name}:" needs a value after it, not ${describe(value)}`, l.at);
          at++;
          return filter(p.value, l.name, value as Extract<Lexeme, { text: string }>);
        }
        if (value.kind === '(') return group(p.names[0]);
        if (value.kind !== 'word' && value.kind !== 'phrase') fail(`"${l.name}:" needs a word, a "phrase" or a (group) after it, not ${describe(value)}`, l.at);
        at++;
        return term(p.names[0], (value as { text: string }).text, value.at);
      }
      default:
        return fail(`unexpected ${describe(l)}`, l.at);
    }
  };

  const term = (field: TextField, text: string, position: number): QueryNode | null => {
    if (++terms > LIMITS.terms) fail(`more than ${LIMITS.terms} terms`, position);
    const prefix = text.endsWith('*');
    const words = wordsOf(prefix ? text.slice(0, -1) : text);
    if (prefix && words.length) {
      if (++prefixes > LIMITS.prefixTerms) fail(`more than ${LIMITS.prefixTerms} prefix terms (word*)`, position);
      const stem = words[words.length - 1];
      if ([...stem].length < LIMITS.prefixLength) fail(`a prefix term needs at least ${LIMITS.prefixLength} characters before its *, not "${stem}*"`, position);
    }
    return words.length ? { type: 'term', field, words, prefix, text, position } : null;
  };

  const filter = (kind: FilterValue, name: string, written: Extract<Lexeme, { text: string }>): QueryNode => {
    const { text, at: position } = written;
    if (kind === 'date') {
      try {
        return { type: 'date', ...parseDateRange(text, now), text, position };
      } catch (e) {
        // e.offset counts from the value's first character, after a phrase's opening quote.
        if (e instanceof DateError) fail(`${name}: ${e.message}`, position + (written.kind === 'phrase' ? 1 : 0) + e.offset);
        throw e;
      }
    }
    // A Message-ID is read as ingest read it, so that it is the string stored.
    const value = (kind === 'mid' ? messageIdOf(text) : text.trim().replace(/^<(.*)>$/, '$1')) || fail(`"${name}:" needs a value`, position);
    return kind === 'mid' ? { type: 'mid', id: value, position } : { type: 'list', name: value, position };
  };

  const root = or('default');
  const rest = peek();
  if (rest.kind !== 'EOF') fail(rest.kind === ')' ? 'this ")" closes nothing' : `unexpected ${describe(rest)}`, rest.at);
  if (!root) fail('nothing to search for: the query has no words, only punctuation', 0);
  return root!;
}

function combine(type: 'and' | 'or', items: (QueryNode | null)[]): QueryNode | null {
  const kept = items.filter((n): n is QueryNode => n !== null);
  if (kept.length <= 1) return kept[0] ?? null;
  // a AND (b AND c) is a AND b AND c: flatter trees make smaller FTS5 queries.
  return { type, children: kept.flatMap((n) => (n.type === type ? n.children : [n])) };
}
