import { describe, it, expect } from 'vitest';
import { parseQuery } from '../../lib/search/query/parse';
import { QuerySyntaxError, positiveTerms, type QueryNode } from '../../lib/search/query/ast';

const now = new Date('2026-03-15T12:00:00Z');
const manyWords = Array.from({ length: 65 }, (_, i) => `w${i}`).join(' ');
const parse = (q: string) => parseQuery(q, now);
/** The issue's query (17): 64 field-prefixed wildcards ORed, each cheap alone, 4.4 s together on 50k messages. */
const fields = ['s', 'f', 't', 'c', 'b', 'nq', 'q', 'dfa'];
const manyPrefixes = Array.from({ length: 64 }, (_, i) => `${fields[i % 8]}:${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i * 7) % 26))}*`).join(' OR ');

/** A compact picture of a parsed query: s:"a b" for terms, & | ! for AND, OR, NOT. */
function show(n: QueryNode): string {
  switch (n.type) {
    case 'term':
      return `${n.field === 'default' ? '' : `${n.field}:`}${n.words.length > 1 ? `"${n.words.join(' ')}"` : n.words[0]}${n.prefix ? '*' : ''}`;
    case 'and':
      return `(${n.children.map(show).join(' & ')})`;
    case 'or':
      return `(${n.children.map(show).join(' | ')})`;
    case 'not':
      return `!${show(n.child)}`;
    case 'date':
      return `d:[${n.from?.toISOString() ?? ''},${n.to?.toISOString() ?? ''})`;
    case 'mid':
      return `mid:${n.id}`;
    case 'list':
      return `l:${n.name}`;
  }
}

function syntaxError(q: string): QuerySyntaxError {
  try {
    parse(q);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return e;
    throw e;
  }
  throw new Error(`${q} parsed`);
}

describe('the query language', () => {
  it.each([
    ['s:page_mkwrite', 's:page_mkwrite'],
    ['f:piggin', 'f:piggin'],
    ['t:akpm', 't:akpm'],
    ['c:akpm', 'c:akpm'],
    ['a:npiggin@gmail.com', 'a:"npiggin gmail com"'],
    ['tc:linux-mm', 'tc:"linux mm"'],
    ['b:minor', 'b:minor'],
    ['bs:truncate', 'bs:truncate'],
    ['nq:VM_FAULT_NOPAGE', 'nq:vm_fault_nopage'],
    ['q:VM_FAULT_NOPAGE', 'q:vm_fault_nopage'],
    ['dfn:mm/memory.c', 'dfn:"mm memory c"'],
    ['dfa:VM_FAULT_SIGBUS', 'dfa:vm_fault_sigbus'],
    ['dfb:VM_FAULT_NOPAGE', 'dfb:vm_fault_nopage'],
    ['dfctx:do_wp_page', 'dfctx:do_wp_page'],
    ['mid:<abc@example.org>', 'mid:abc@example.org'],
    ['m:abc@example.org', 'mid:abc@example.org'],
    ['l:linux-mm', 'l:linux-mm'],
  ])('reads the prefix of %s', (q, expected) => {
    expect(show(parse(q))).toBe(expected);
  });

  it('folds words as the index does: case, accents, and _ inside identifiers', () => {
    expect(show(parse('Élan VM_Fault_NOPAGE'))).toBe('(elan & vm_fault_nopage)');
  });

  it('reads phrases, prefixes and prefixed phrases', () => {
    expect(show(parse('"minor fault" mkwri* s:"truncate race"*'))).toBe('("minor fault" & mkwri* & s:"truncate race"*)');
    // Punctuation splits a word into a phrase, as the tokenizer splits it in the text.
    expect(show(parse('page-mkwrite'))).toBe('"page mkwrite"');
  });

  it('reads AND, OR, NOT, -word, +word and parentheses, OR binding loosest', () => {
    expect(show(parse('a b OR c'))).toBe('((a & b) | c)');
    expect(show(parse('a AND (b OR c) NOT d'))).toBe('(a & (b | c) & !d)');
    expect(show(parse('a -b +c'))).toBe('(a & !b & c)');
    expect(show(parse('NOT NOT a'))).toBe('!!a');
    // Lower-case operators are words, as in lore.
    expect(show(parse('a or b'))).toBe('(a & or & b)');
  });

  it('applies a prefix before parentheses to the terms inside, unless they name their own', () => {
    expect(show(parse('s:(ocfs2 OR gfs2 f:piggin)'))).toBe('(s:ocfs2 | (s:gfs2 & f:piggin))');
  });

  it('treats a word with an unknown prefix as text: URLs and "Re:" stay searchable', () => {
    expect(show(parse('http://marc.info Re:foo'))).toBe('("http marc info" & "re foo")');
  });

  it('leaves out words with nothing searchable in them', () => {
    expect(show(parse('a && b -- c'))).toBe('(a & b & c)');
  });

  it('collects the required terms, not the excluded ones', () => {
    expect(positiveTerms(parse('a (b OR c) -d NOT (e f)')).map((t) => t.words[0])).toEqual(['a', 'b', 'c']);
  });

  describe('dates', () => {
    it.each([
      ['d:2010-12-01..2011-01-31', 'd:[2010-12-01T00:00:00.000Z,2011-02-01T00:00:00.000Z)'],
      ['d:..2009-04-01', 'd:[,2009-04-02T00:00:00.000Z)'],
      ['d:2009..', 'd:[2009-01-01T00:00:00.000Z,)'],
      ['d:2010-12', 'd:[2010-12-01T00:00:00.000Z,2011-01-01T00:00:00.000Z)'],
      ['d:20101231', 'd:[2010-12-31T00:00:00.000Z,2011-01-01T00:00:00.000Z)'],
      ['d:2010-12-31T09:31', 'd:[2010-12-31T09:31:00.000Z,2010-12-31T09:32:00.000Z)'],
      ['d:2.weeks.ago..', 'd:[2026-03-01T12:00:00.000Z,)'],
      ['d:3.days.ago..1.day.ago', 'd:[2026-03-12T12:00:00.000Z,2026-03-14T12:00:00.001Z)'],
      ['d:1.month.ago..', 'd:[2026-02-15T12:00:00.000Z,)'],
      ['d:yesterday', 'd:[2026-03-14T00:00:00.000Z,2026-03-15T00:00:00.000Z)'],
    ])('reads %s', (q, expected) => {
      expect(show(parse(q))).toBe(expected);
    });

    it.each([
      ['d:2010-02-30', 2, /not a valid date/],
      ['d:last.tuesday', 2, /is not a date/],
      ['d:2011..2010', 2, /ends .* before it starts/],
      ['d:..', 2, /at least one end/],
    ])('refuses %s, pointing at the value', (q, position, message) => {
      const e = syntaxError(`foo ${q}`);
      expect(e.message).toMatch(message);
      expect(e.position).toBe(4 + position);
    });

    it.each([
      ['d:2010..2010-02-30', 'd: "2010-02-30" is not a valid date', 9],
      ['d:"2010..2010-02-30"', 'd: "2010-02-30" is not a valid date', 10],
      ['d:yesterday..someday', 'd: "someday" is not a date: write 2010-12-31, 2010-12, 2010, 2.weeks.ago or yesterday', 14],
      ['d:99999999999.years.ago', 'd: "99999999999.years.ago" is too far back', 3],
      ['d:2010..9999999999999.days.ago', 'd: "9999999999999.days.ago" is too far back', 9],
    ])('refuses %s, pointing at the end that is wrong', (q, message, column) => {
      const e = syntaxError(q);
      expect(e.message).toBe(message);
      expect(e.column).toBe(column);
    });

    it('reads years before 100 as written, not as 19xx', () => {
      expect(show(parse('d:0050'))).toBe('d:[0050-01-01T00:00:00.000Z,0051-01-01T00:00:00.000Z)');
    });
  });

  describe('errors', () => {
    it.each([
      ['foo AND', 4, /"AND" needs a term after it/],
      ['AND foo', 0, /"AND" needs a term before it/],
      ['foo OR', 4, /"OR" needs a term after it/],
      ['OR foo', 0, /"OR" needs a term before it/],
      ['foo (bar', 4, /never closed/],
      ['foo bar)', 7, /closes nothing/],
      ['foo ()', 4, /empty parentheses/],
      ['s:"minor fault', 2, /quote is never closed/],
      ['foo s:', 4, /"s:" needs a word/],
      ['a -OR b', 2, /"-" needs a term after it, not "OR"/],
      ['NOT', 0, /"NOT" needs a term/],
      ['dfhh:do_wp_page', 0, /prefix "dfhh:" is not supported/],
      ['foo d:', 4, /"d:" needs a value/],
      ['&&', 0, /nothing to search for/],
      ['', 0, /empty/],
      [`${'('.repeat(17)}a${')'.repeat(17)}`, 16, /nest deeper than 16/],
      [manyWords, manyWords.indexOf('w64'), /more than 64 terms/],
      ['x'.repeat(1001), 1000, /longer than 1000 characters/],
      // Cost limits (lib/search/limits.ts): a prefix's expansion runs before any clock can stop it.
      ['page a* b', 5, /a prefix term needs at least 2 characters before its \*, not "a\*"/],
      ['s:"minor f"*', 2, /at least 2 characters before its \*, not "f\*"/],
      // The ninth prefix, s:ix*, after its s:.
      [manyPrefixes, manyPrefixes.split(' OR ').slice(0, 8).join(' OR ').length + ' OR s:'.length, /more than 8 prefix terms \(word\*\)/],
    ])('%s: points at column %i', (q, position, message) => {
      const e = syntaxError(q);
      expect(e.message).toMatch(message);
      expect(e.position).toBe(position);
      expect(e.pointer().split('\n')[1]).toBe(`${' '.repeat(position)}^`);
    });

    // What the search page, the Atom feed and the CLI print: the problem, then "(at column N)".
    it.each([
      ['s:(', 'this "(" is never closed', 3],
      ['(', 'this "(" is never closed', 1],
      ['foo (bar OR (baz', 'this "(" is never closed', 13],
      ['a +(', 'this "(" is never closed', 4],
      ['foo bar)', 'this ")" closes nothing', 8],
      [')', 'this ")" closes nothing', 1],
      ['s:()', 'empty parentheses', 3],
      ['f:piggin s:"minor fault', 'this quote is never closed', 12],
      ['s:', '"s:" needs a word, a "phrase" or a (group) after it, not the end of the query', 1],
      ['foo s:)', '"s:" needs a word, a "phrase" or a (group) after it, not ")"', 5],
      ['s:f:piggin', '"s:" needs a word, a "phrase" or a (group) after it, not "f:"', 1],
      ['foo d:', '"d:" needs a value after it, not the end of the query', 5],
      ['mid:', '"mid:" needs a value after it, not the end of the query', 1],
      ['mid:<>', '"mid:" needs a value', 5],
      ['foo AND', '"AND" needs a term after it, not the end of the query', 5],
      ['foo AND OR bar', '"AND" needs a term after it, not "OR"', 5],
      ['AND foo', '"AND" needs a term before it', 1],
      ['foo OR', '"OR" needs a term after it, not the end of the query', 5],
      ['s:(foo OR)', '"OR" needs a term after it, not ")"', 8],
      ['OR foo', '"OR" needs a term before it', 1],
      ['foo NOT', '"NOT" needs a term after it, not the end of the query', 5],
      ['a -OR b', '"-" needs a term after it, not "OR"', 3],
      ['+OR foo', '"+" needs a term after it, not "OR"', 1],
      ['dfhh:do_wp_page', 'lore\'s prefix "dfhh:" is not supported here', 1],
      ['d:2011..2010', 'd: the range ends (2010) before it starts (2011)', 3],
      ['d:..', 'd: a date range needs at least one end', 3],
      ['   ', 'the query is empty', 1],
      ['&& --', 'nothing to search for: the query has no words, only punctuation', 1],
    ])('%s: %s, at column %i', (q, message, column) => {
      const e = syntaxError(q);
      expect(e.message).toBe(message);
      expect(e.column).toBe(column);
    });

    it('counts columns in characters: an emoji before the place is one', () => {
      const e = syntaxError('😀 (');
      expect(e.position).toBe(3);
      expect(e.column).toBe(3);
      expect(e.pointer()).toBe('😀 (\n  ^');
    });
  });
});
