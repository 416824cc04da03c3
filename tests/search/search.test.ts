import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { prepare } from '../../lib/db/connection';
import { QuerySyntaxError } from '../../lib/search/query/ast';
import { hitIds, marked, messageHits, searchableBundle, searchIn, type Store } from './support';

// The bundled messages, by Message-ID.
const DAN = '20211130104043.GB5827@kili';
const JOSEPH = '92d4d393-9734-9f7e-4440-20429bdac14f@linux.alibaba.com';
const PATCH1 = '20090311035318.GH16561@wotan.suse.de';
const PATCH2 = '20090311035503.GI16561@wotan.suse.de';
const TROND = '1236895724.7179.71.camel@heimdal.trondhjem.org';
const SAGE1 = 'Pine.LNX.4.64.0903121511300.30231@cobra.newdream.net';
const NICK_TO_SAGE = '20090313022051.GA18279@wotan.suse.de';
const SAGE2 = 'Pine.LNX.4.64.0903122013190.27353@cobra.newdream.net';
const HCH = '20090303155835.GA28851@infradead.org';
const NICK_TO_HCH = '20090304102107.GE27043@wotan.suse.de';
const RACES = '20090414071152.GC23528__43030.8975316167$1239693221$gmane$org@wotan.suse.de';
const JAN = '20170203150729.15863-1-jack@suse.cz';

describe('search over the bundled thread', () => {
  let store: Store;
  let SEED: string;
  const ids = (q: string) => hitIds(store, q);
  beforeAll(async () => {
    store = await searchableBundle();
    SEED = prepare<[], { archiveId: string }>(store.writer, `SELECT "archiveId" FROM "Message" WHERE "fromAddress" = 'npiggin@gmail.com'`).get()!.archiveId;
  });
  afterAll(() => store.close());

  describe('new and quoted text apart', () => {
    it('nq: finds the messages that write VM_FAULT_NOPAGE, not those that only quote it', async () => {
      const hits = await ids('nq:VM_FAULT_NOPAGE');
      expect(hits).toEqual(expect.arrayContaining([JAN, JOSEPH, PATCH2, SEED]));
      for (const quoting of [TROND, SAGE1, SAGE2]) expect(hits).not.toContain(quoting);
    });

    it('q: finds the messages that quote it, not those that only write it', async () => {
      const hits = await ids('q:VM_FAULT_NOPAGE');
      expect(hits).toEqual(expect.arrayContaining([TROND, SAGE1, NICK_TO_SAGE, SAGE2, SEED]));
      for (const writing of [JAN, PATCH2]) expect(hits).not.toContain(writing);
    });

    it('counts the attribution line with the quote it opens', async () => {
      expect(await ids('q:"Trond Myklebust wrote"')).toEqual(expect.arrayContaining([SAGE1, NICK_TO_SAGE]));
      expect(await ids('nq:"Trond Myklebust wrote"')).toEqual([]);
    });
  });

  describe('patches', () => {
    it('dfb: and dfa: tell added lines from removed ones', async () => {
      expect((await ids('dfb:VM_FAULT_NOPAGE')).sort()).toEqual([PATCH1, PATCH2, RACES].sort());
      expect(await ids('dfa:VM_FAULT_RETRY')).toEqual([JAN]);
      expect(await ids('dfb:VM_FAULT_RETRY')).not.toContain(JAN);
    });

    it('dfn: finds file names in diff headers, as a phrase of their parts', async () => {
      expect((await ids('dfn:fs/buffer.c')).sort()).toEqual([PATCH1, PATCH2, RACES].sort());
      expect(await ids('dfn:llite_mmap.c')).toEqual([JAN]);
      // Jan's patch touches buffer_head.h: "buffer_head" is one word, not "buffer".
      expect(await ids('dfn:buffer')).not.toContain(JAN);
    });

    it('dfctx: finds hunk headers and context lines, which dfa: and dfb: do not', async () => {
      // Dan's hunk is headed "@@ ... @@ int ocfs2_write_begin_nolock(...)" and keeps w_target_page as context.
      expect(await ids('dfctx:ocfs2_write_begin_nolock')).toEqual([DAN]);
      expect(await ids('dfctx:w_target_page')).toEqual([DAN]);
      expect(await ids('dfa:w_target_page OR dfb:w_target_page OR dfa:ocfs2_write_begin_nolock OR dfb:ocfs2_write_begin_nolock')).toEqual([]);
    });
  });

  describe('headers and filters', () => {
    it('s: searches subjects only', async () => {
      const hits = await ids('s:btrfs');
      expect(hits).toEqual(expect.arrayContaining([PATCH2, TROND, SAGE1, NICK_TO_SAGE, SAGE2, SEED]));
      expect(hits).not.toContain(PATCH1);
      expect(hits).not.toContain(RACES);
    });

    it('f:, t:, c:, a: and tc: search the addresses they name', async () => {
      expect(await ids('f:npiggin@gmail.com')).toEqual([SEED]);
      expect((await ids('f:piggin')).sort()).toEqual([PATCH1, PATCH2, NICK_TO_SAGE, NICK_TO_HCH, RACES, SEED].sort());
      expect(await ids('t:viro')).toEqual([JAN]);
      expect(await ids('c:viro')).toEqual([]);
      expect(await ids('c:lustre-devel')).toEqual([JAN]);
      expect(await ids('a:viro')).toEqual([JAN]);
      expect(await ids('tc:"Jan Kara"')).toEqual([JAN]);
      expect(await ids('f:"Jan Kara"')).toEqual([JAN]);
      expect(await ids('t:"Jan Kara"')).toEqual([]);
    });

    it('b: and bs: search bodies, and subjects with bs:', async () => {
      expect(await ids('b:"minor fault"')).toContain(SEED);
      // "avoid" is in the subject of Jan's patch, and in the body of Nick's races patch.
      expect(await ids('s:avoid')).toEqual([JAN]);
      expect(await ids('b:avoid')).toEqual([RACES]);
      expect((await ids('bs:avoid')).sort()).toEqual([JAN, RACES].sort());
    });

    it('mid: finds one message by its Message-ID, with or without brackets', async () => {
      expect(await ids(`mid:${PATCH2}`)).toEqual([PATCH2]);
      expect(await ids(`mid:<${PATCH2}>`)).toEqual([PATCH2]);
      expect(await ids(`m:${RACES}`)).toEqual([RACES]);
      expect(await ids('mid:nosuch@example.org')).toEqual([]);
    });

    it('l: narrows to a list, by name or List-Id; a ghost counts in its thread\'s list', async () => {
      expect((await ids('l:linux-kernel')).sort()).toEqual([DAN, JOSEPH].sort());
      expect(await ids('l:linux-mm.kvack.org VM_FAULT_NOPAGE')).toEqual(expect.arrayContaining([PATCH2, JAN]));
      expect(await ids('l:linux-mm.kvack.org VM_FAULT_NOPAGE')).not.toContain(SEED);
      const ocfs2 = (await searchIn(store, 'l:ocfs2-devel')).messages.hits.flatMap((t) => t.hits);
      expect(ocfs2.map((h) => h.archiveId)).toContain(SEED);
      expect(ocfs2.some((h) => h.isGhost)).toBe(true);
    });

    it('d: takes dates and ranges, both ends whole, outside the text search', async () => {
      // The seed, and the ghost of the message it answers when its quotes have given it text.
      const winter = await ids('page_mkwrite d:2010-12-01..2011-01-31');
      expect(winter).toContain(SEED);
      expect(winter.every((id) => id === SEED || id.startsWith('ghost:'))).toBe(true);
      expect((await ids('page_mkwrite d:..2009-03-31')).sort()).toEqual([PATCH1, PATCH2, TROND, SAGE1, NICK_TO_SAGE, SAGE2, HCH, NICK_TO_HCH].sort());
      expect(await ids('page_mkwrite d:2009-04-14')).toEqual([RACES]);
      expect(await ids('d:2017')).toEqual([JAN]);
      expect(await ids('d:2017.. -ocfs2')).toEqual([JAN]);
    });
  });

  describe('phrases, booleans and prefixes', () => {
    it('a phrase matches its words in order, next to each other', async () => {
      expect(await ids('"make the VM retry the fault"')).toContain(PATCH2);
      expect(await ids('"fault the retry VM make"')).toEqual([]);
    });

    it('words side by side must all match; OR takes either; AND says the same as a space', async () => {
      const nopage = await ids('VM_FAULT_NOPAGE');
      const sigbus = await ids('VM_FAULT_SIGBUS');
      const both = await ids('VM_FAULT_NOPAGE VM_FAULT_SIGBUS');
      expect(both.length).toBeGreaterThan(0);
      expect(both.length).toBeLessThan(nopage.length);
      expect(both.every((id) => nopage.includes(id) && sigbus.includes(id))).toBe(true);
      expect((await ids('VM_FAULT_NOPAGE AND VM_FAULT_SIGBUS')).sort()).toEqual([...both].sort());
      expect((await ids('VM_FAULT_NOPAGE OR VM_FAULT_SIGBUS')).sort()).toEqual([...new Set([...nopage, ...sigbus])].sort());
      // VM_FAULT_NOPAGE is one word: "nopage" alone is another.
      expect(await ids('nopage')).toEqual([SEED]);
    });

    it('NOT and -word exclude, alone or beside other terms', async () => {
      const all = await ids('page_mkwrite');
      const btrfs = await ids('btrfs');
      const without = await ids('page_mkwrite -btrfs');
      expect(without.sort()).toEqual(all.filter((id) => !btrfs.includes(id)).sort());
      expect((await ids('page_mkwrite NOT btrfs')).sort()).toEqual([...without].sort());
      // A query of exclusions alone lists everything else.
      expect(await ids('-page_mkwrite')).toContain(DAN);
      expect(await ids('-page_mkwrite')).not.toContain(PATCH1);
      expect(await ids('-page_mkwrite -ocfs2')).not.toContain(DAN);
    });

    it('parentheses group, and a prefix before them applies inside', async () => {
      expect((await ids('s:(ocfs2 OR close)')).sort()).toEqual([DAN, JOSEPH, SEED, RACES].sort());
      expect((await ids('(s:ocfs2 OR s:close) f:piggin')).sort()).toEqual([SEED, RACES].sort());
    });

    it('word* matches words that start with it', async () => {
      expect((await ids('ocfs2_dio*')).sort()).toEqual([DAN, JOSEPH].sort());
      expect((await ids('s:page_mk*')).length).toBeGreaterThan(5);
      expect(await ids('s:page_mk')).toEqual([]);
    });

    it('an OR of a date and words mixes both', async () => {
      expect((await ids('d:2017 OR s:close')).sort()).toEqual([JAN, RACES].sort());
    });

    it('user text never becomes SQL or FTS5 syntax', async () => {
      expect(await ids(`x' ; DROP TABLE "Message"; -- NEAR col:x {subject}: ^abc`)).toEqual([]);
      expect(await ids('mid:"\'; DROP TABLE Message; --"')).toEqual([]);
      await expect(ids(`x'); DROP TABLE "Message"; --`)).rejects.toThrow(QuerySyntaxError);
      expect((await ids('page_mkwrite')).length).toBeGreaterThan(0);
    });
  });

  describe('results', () => {
    it('groups hits under their thread, with its subject and size, and marks the words in snippets', async () => {
      const r = await searchIn(store, 'q:VM_FAULT_NOPAGE');
      const thread = r.messages.hits.find((t) => t.hits.some((h) => h.archiveId === TROND))!;
      const row = prepare<[string], { subject: string; messageCount: number }>(store.writer, `SELECT t.subject, t."messageCount" FROM "Thread" t JOIN "Message" m ON m."threadId" = t.id WHERE m."archiveId" = ?`).get(TROND)!;
      expect(thread.subject).toBe(row.subject);
      expect(thread.size).toBe(row.messageCount);
      expect(thread.hits.map((h) => h.archiveId).sort()).toEqual([TROND, SAGE1, NICK_TO_SAGE, SAGE2].sort());
      expect(new Set(r.messages.hits.map((t) => t.threadId)).size).toBe(r.messages.hits.length);
      for (const h of thread.hits) {
        expect(h.snippet.filter((p) => p.hit).map((p) => p.text)).toContain('VM_FAULT_NOPAGE');
        expect(h.href).toBe(`/linux-mm/${encodeURIComponent(h.archiveId).replace(/%40/g, '@').replace(/%24/g, '$')}/?q=q%3AVM_FAULT_NOPAGE`);
      }
      expect(r.messages.total).toBe(5);
    });

    it('marks subject words in the subject', async () => {
      const hit = (await searchIn(store, 's:prototype')).messages.hits[0].hits[0];
      expect(marked(hit.subject)).toContain('[prototype]');
    });

    it('sorts by date, newest first, on request', async () => {
      const r = await searchIn(store, 'page_mkwrite', { sort: 'date', perPage: 200 });
      const dates = r.messages.hits.flatMap((t) => t.hits.map((h) => h.date!));
      expect(dates.length).toBeGreaterThan(3);
      expect(dates).toEqual([...dates].sort().reverse());
      expect(r.messages.hits.flatMap((t) => t.hits).every((h) => h.score === null)).toBe(true);
    });

    it('pages through the hits without losing or repeating one', async () => {
      const all = await hitIds(store, 'q:VM_FAULT_NOPAGE');
      const pages = await Promise.all([1, 2, 3].map((page) => searchIn(store, 'q:VM_FAULT_NOPAGE', { perPage: 2, page })));
      expect(pages.map((p) => p.messages.total)).toEqual([5, 5, 5]);
      // Pages count the kind with most hits: the bundled claims may quote the term too.
      expect(pages[0].pages).toBeGreaterThanOrEqual(3);
      expect(pages.flatMap(messageHits)).toEqual(all);
    });

    it('ranks the most recently archived matches when more match than it ranks, and counts them all', async () => {
      const all = await hitIds(store, 'page_mkwrite');
      const newest = prepare<[], { archiveId: string; id: number }>(store.writer, 'SELECT "archiveId", id FROM "Message"').all()
        .filter((m) => all.includes(m.archiveId)).sort((a, b) => b.id - a.id).slice(0, 3).map((m) => m.archiveId);
      const r = await searchIn(store, 'page_mkwrite', { rankWindow: 3, perPage: 200 });
      expect(r.messages.total).toBe(all.length);
      expect(r.messages.rankedAmong).toBe(3);
      expect(r.pages).toBe(1);
      expect(messageHits(r).sort()).toEqual(newest.sort());
      // Date order is not ranked: it pages through every match.
      expect(await hitIds(store, 'page_mkwrite', { rankWindow: 3, sort: 'date' })).toHaveLength(all.length);
      expect((await searchIn(store, 'page_mkwrite')).messages.rankedAmong).toBeUndefined();
    });

    it('finds scenarios as hits of their own, by title and prose; not for prefixes they lack', async () => {
      const r = await searchIn(store, 'NOPAGE retry');
      expect(r.scenarios.hits.map((s) => s.id)).toContain('seed-nopage-retry');
      const seed = r.scenarios.hits.find((s) => s.id === 'seed-nopage-retry')!;
      expect(marked(seed.title)).toMatch(/\[NOPAGE\]|\[retry\]/);
      expect((await searchIn(store, 's:"hole punch"')).scenarios.hits.map((s) => s.id)).toContain('seed-nopage-retry');
      expect((await searchIn(store, 'f:piggin')).scenarios.total).toBe(0);
      expect((await searchIn(store, 'd:2010')).scenarios.total).toBe(0);
    });

    it('throws a QuerySyntaxError, with its position, for a query it cannot read', async () => {
      const e = await searchIn(store, 'nq:(VM_FAULT_NOPAGE').catch((e: unknown) => e);
      expect(e).toBeInstanceOf(QuerySyntaxError);
      expect((e as QuerySyntaxError).position).toBe(3);
    });
  });
});
