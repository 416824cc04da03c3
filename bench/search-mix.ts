// The 20 queries bench:search and bench:scale time, one of each kind lore's language
// offers; MID stands for a Message-ID of the corpus, filled in by the bench.

/** Each query kind, in lore's language and as notmuch asks the same (quoted words: Xapian stems bare ones). */
export const SEARCH_MIX: ReadonlyArray<{ kind: string; ours: string; notmuch: string }> = [
  { kind: 'common word', ours: 'apache', notmuch: '"apache"' },
  { kind: 'word', ours: 'httpd', notmuch: '"httpd"' },
  { kind: 'rare word', ours: 'fscache', notmuch: '"fscache"' },
  { kind: 'rarest word', ours: 'mp_save_irq', notmuch: '"mp_save_irq"' },
  { kind: 'two words', ours: 'maven release', notmuch: '"maven" and "release"' },
  { kind: 'phrase', ours: '"unnecessary semicolons"', notmuch: '"unnecessary semicolons"' },
  { kind: 'common phrase', ours: '"mailing list"', notmuch: '"mailing list"' },
  { kind: 'OR', ours: 'cifs OR fscache', notmuch: '"cifs" or "fscache"' },
  // Bare words in notmuch search every header too: `not "apache"` would drop all mail to the Apache lists.
  { kind: 'NOT', ours: 'httpd -apache', notmuch: '"httpd" and not (subject:"apache" or from:"apache" or body:"apache")' },
  { kind: 'word*', ours: 'semicolo*', notmuch: 'semicolo*' },
  { kind: 's:', ours: 's:semicolons', notmuch: 'subject:"semicolons"' },
  { kind: 'f:', ours: 'f:perches', notmuch: 'from:"perches"' },
  { kind: 'tc:', ours: 'tc:akpm', notmuch: 'to:"akpm"' },
  { kind: 'd: range', ours: 'd:2017-11-01..2017-11-30', notmuch: 'date:2017-11-01..2017-11-30' },
  { kind: 'word, d: range', ours: 'maven d:2017-11-01..2017-11-30', notmuch: '"maven" and date:2017-11-01..2017-11-30' },
  { kind: 'word, open d:', ours: 'cifs d:..2010-11-14', notmuch: '"cifs" and date:..2010-11-14' },
  // notmuch has no nq:, q: or dfn: (lore-only prefixes): it is asked for the word anywhere.
  { kind: 'nq:', ours: 'nq:semicolons', notmuch: '"semicolons"' },
  { kind: 'q:', ours: 'q:httpd', notmuch: '"httpd"' },
  { kind: 'dfn:', ours: 'dfn:pom.xml', notmuch: '"pom.xml"' },
  { kind: 'mid:', ours: 'mid:MID', notmuch: 'id:MID' },
];
