// The query language's prefixes, each defined once, as public-inbox keeps
// lore's: its names, the value it takes, the fields it searches in each
// kind of hit, its help and an example. The parser reads the names and
// values; the lowering of a query (lower.ts) reads the fields, in the terms
// below, which each engine's index keeps in this order (lib/db/sqlite-search.ts,
// lib/db/postgres-tsvector.ts); the search page shows the help and the
// examples (app/search/SyntaxHelp.tsx).
import { BODY_COLUMNS, MESSAGE_COLUMNS } from './fields';

/** The fields each kind of hit is searched by, whatever a backend keeps them in. */
export const HIT_FIELDS = {
  /** A message, split as lib/search/fields.ts splits it. */
  message: MESSAGE_COLUMNS,
  /** A claim's own words, who made it, and the words of the message it is anchored to. */
  claim: ['statement', 'claimant', 'exact'],
  /** A scenario's title and its prose. */
  scenario: ['title', 'prose'],
} as const;
export type HitKind = keyof typeof HIT_FIELDS;
export type HitField<K extends HitKind> = (typeof HIT_FIELDS)[K][number];

/** What a text prefix (or an unprefixed word) searches in each kind of hit; a kind left out has nothing it could mean. */
type FieldsByHit = { readonly [K in HitKind]?: readonly HitField<K>[] };

/** The values of the prefixes that are not text: each becomes a node of its own (query/ast.ts). */
export type FilterValue = 'date' | 'mid' | 'list';

interface Described {
  /** The first is the one the help shows and a term records. */
  names: readonly [string, ...string[]];
  help: string;
  example: string;
}

/** Takes a word, a "phrase" or a (group), searched in these fields. */
interface TextPrefix extends Described {
  value: 'words';
  fields: FieldsByHit;
}

/** Takes one value, and narrows hits by their message: a claim's is the message it is anchored to. */
interface FilterPrefix extends Described {
  value: FilterValue;
  narrows: readonly HitKind[];
}

const body = BODY_COLUMNS;

/** In the order the help lists them. */
export const PREFIXES = [
  { names: ['s'], value: 'words', fields: { message: ['subject'], claim: ['statement'], scenario: ['title'] },
    help: 'subject', example: 's:page_mkwrite' },
  { names: ['f'], value: 'words', fields: { message: ['sender'], claim: ['claimant'] },
    help: 'from: name or address', example: 'f:piggin' },
  { names: ['t'], value: 'words', fields: { message: ['recipients'] },
    help: 'to', example: 't:linux-mm@kvack.org' },
  { names: ['c'], value: 'words', fields: { message: ['copied'] },
    help: 'cc', example: 'c:akpm' },
  { names: ['a'], value: 'words', fields: { message: ['sender', 'recipients', 'copied'], claim: ['claimant'] },
    help: 'any address: from, to or cc', example: 'a:npiggin@gmail.com' },
  { names: ['tc'], value: 'words', fields: { message: ['recipients', 'copied'] },
    help: 'to or cc', example: 'tc:ocfs2-devel' },
  { names: ['b'], value: 'words', fields: { message: body, claim: ['statement', 'exact'], scenario: ['prose'] },
    help: 'body: new text, quotes and patches', example: 'b:"minor fault"' },
  { names: ['bs'], value: 'words', fields: { message: ['subject', ...body], claim: ['statement', 'exact'], scenario: ['title', 'prose'] },
    help: 'subject or body', example: 'bs:truncate' },
  { names: ['nq'], value: 'words', fields: { message: ['new_text'], claim: ['statement'], scenario: ['prose'] },
    help: 'new text only: what the writer wrote, not what they quoted', example: 'nq:VM_FAULT_NOPAGE' },
  { names: ['q'], value: 'words', fields: { message: ['quoted_text'], claim: ['exact'] },
    help: 'quoted text only (with its "On ..., X wrote:" line)', example: 'q:VM_FAULT_NOPAGE' },
  { names: ['dfn'], value: 'words', fields: { message: ['diff_files'] },
    help: 'file names in a patch', example: 'dfn:mm/memory.c' },
  { names: ['dfa'], value: 'words', fields: { message: ['diff_removed'] },
    help: 'lines a patch removes', example: 'dfa:VM_FAULT_SIGBUS' },
  { names: ['dfb'], value: 'words', fields: { message: ['diff_added'] },
    help: 'lines a patch adds', example: 'dfb:VM_FAULT_NOPAGE' },
  { names: ['dfctx'], value: 'words', fields: { message: ['diff_context'] },
    help: 'the rest of a patch: context lines, hunk headers, diffstat', example: 'dfctx:do_wp_page' },
  { names: ['d'], value: 'date', narrows: ['message', 'claim'],
    help: 'date (UTC): a day, month or year, a range A..B (both ends included, either open), or 2.weeks.ago, yesterday', example: 'd:2010-12-01..2011-01-31' },
  { names: ['mid', 'm'], value: 'mid', narrows: ['message', 'claim'],
    help: 'a Message-ID, exactly', example: 'mid:20090311035503.GI16561@wotan.suse.de' },
  { names: ['l'], value: 'list', narrows: ['message', 'claim'],
    help: 'a list, by name or List-Id', example: 'l:ocfs2-devel' },
] as const satisfies readonly (TextPrefix | FilterPrefix)[];

export type Prefix = (typeof PREFIXES)[number];

/** What a term records as its field: a text prefix by its first name, or `default` for an unprefixed word. */
export type TextField = 'default' | Extract<Prefix, { value: 'words' }>['names'][0];

/** What a word without a prefix searches. */
const UNPREFIXED: FieldsByHit = {
  message: ['subject', 'sender', ...body],
  claim: HIT_FIELDS.claim,
  scenario: HIT_FIELDS.scenario,
};

/** lore's prefixes Threadlab does not index: the parser refuses them rather than search their words as text. */
export const UNSUPPORTED_PREFIXES: ReadonlySet<string> = new Set(['n', 'rt', 'dt', 'dfhh', 'dfpre', 'dfpost', 'dfblob', 'patchid']);

const byName = new Map<string, Prefix>(PREFIXES.flatMap((p) => p.names.map((n) => [n, p] as const)));

/** The prefix a name (as written before its colon) stands for. */
export const prefixNamed = (name: string): Prefix | undefined => byName.get(name);

/** The fields a term searches in a kind of hit; null when its prefix means nothing there. */
export function searchedFields(field: TextField, hit: HitKind): readonly string[] | null {
  const fields: FieldsByHit = field === 'default' ? UNPREFIXED : (byName.get(field) as Extract<Prefix, { value: 'words' }>).fields;
  return fields[hit] ?? null;
}

/** Whether the filter taking this value means anything for this kind of hit. */
export function filterNarrows(value: FilterValue, hit: HitKind): boolean {
  return PREFIXES.some((p) => p.value === value && (p.narrows as readonly HitKind[]).includes(hit));
}
