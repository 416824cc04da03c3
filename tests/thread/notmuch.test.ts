/**
 * threadMessages against notmuch on real mail. notmuch threads by
 * Message-ID / In-Reply-To / References too, and does not merge by subject
 * either; where we differ, the difference must be one of these, each checked
 * message by message below:
 *
 * 1. Reply "IDs" without an '@' (git send-email's `<yes>`): notmuch takes them
 *    as Message-IDs and joins every message that names the same junk into one
 *    thread; we ignore them. With such IDs made valid, thread membership must
 *    agree for every message.
 * 2. Attribution lines: for messages without reply headers we infer the parent
 *    from the quoted text; notmuch leaves them alone. With bodies removed, no
 *    inference happens and membership must agree for every message.
 * 3. Parents, when In-Reply-To names a message the archive lacks: notmuch then
 *    takes the referenced message deepest in its partly built tree, we follow
 *    References (the last entry that exists). In this corpus such In-Reply-To
 *    values are gmane-munged IDs, which we map back to the References entry they
 *    came from; those messages must get that entry as parent.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadMessages } from '../../lib/thread/index';
import type { ThreadingResult, ThreadInput } from '../../lib/thread/types';
import {
  compareWithNotmuch,
  copyMaildir,
  mboxToMaildir,
  notmuchAvailable,
  notmuchThreads,
  readMaildirInputs,
  scratchMaildir,
  type Agreement,
  type NotmuchView,
  type Scratch,
} from './notmuch';

const CORPORA = '/work/shared/corpora';
const skipReason = !existsSync(CORPORA)
  ? `${CORPORA} is absent`
  : !notmuchAvailable()
    ? 'notmuch is not on PATH (apt-get install notmuch)'
    : null;

const validId = (id: string) => id.includes('@');

/** Reply IDs without '@' made valid, so that we see them as notmuch does. */
function withJunkIdsAsNotmuchSeesThem(inputs: ThreadInput[]): ThreadInput[] {
  const fix = (id: string) => (validId(id) ? id : `${id}@junk.invalid`);
  return inputs.map((i) => ({
    ...i,
    messageId: i.messageId && fix(i.messageId),
    inReplyTo: i.inReplyTo && fix(i.inReplyTo),
    references: i.references.map(fix),
  }));
}

const withoutBodies = (inputs: ThreadInput[]) => inputs.map((i) => ({ ...i, body: '' }));

/** Strips the angle brackets the mail layer may leave, to compare IDs as notmuch prints them. */
const bare = (id: string) => id.trim().replace(/^<+|>+$/g, '');

interface Corpus {
  name: string;
  load(scratch: Scratch): Promise<void>;
}

const corpora: Corpus[] = [
  { name: 'notmuch-lkml (Maildir)', load: async (s) => copyMaildir(join(CORPORA, 'notmuch-lkml'), s) },
  {
    name: 'ponymail mboxes',
    load: async (s) => {
      const files = [
        'maven-dev-2017-11-listsao.mbox',
        'maven-dev-2017-12-mboxvm.mbox',
        'httpd-users-2020-07.mbox',
        'httpd-users-200606-part.mbox',
        'asterix-dev-201709-mailarchivesao.mbox',
        'commits_ponymail_apache_org_2016-06.mbox',
      ];
      await mboxToMaildir(files.map((f) => join(CORPORA, 'ponymail', f)), s);
    },
  },
];

function summary(name: string, a: Agreement): string {
  return `${name}: ${a.sameThread}/${a.compared} messages in the same thread as notmuch, ${a.sameParent}/${a.compared} with the same parent`;
}

describe.skipIf(skipReason !== null).each(corpora)('against notmuch: $name', (corpus) => {
  let scratch: Scratch;
  let inputs: ThreadInput[];
  let nm: NotmuchView;
  let result: ThreadingResult;
  let agreement: Agreement;

  beforeAll(async () => {
    scratch = scratchMaildir();
    await corpus.load(scratch);
    inputs = await readMaildirInputs(scratch.maildir);
    nm = notmuchThreads(scratch);
    result = threadMessages(inputs);
    agreement = compareWithNotmuch(inputs, result, nm);
    console.info(summary(corpus.name, agreement));
  });
  afterAll(() => scratch?.dispose());

  it('reads every message notmuch indexed', () => {
    const ours = new Set(inputs.map((i) => i.messageId).filter((id) => id !== null));
    expect([...nm.threadOf.keys()].filter((id) => !ours.has(id) && !id.startsWith('notmuch-sha1-'))).toEqual([]);
    expect(agreement.compared).toBeGreaterThan(50);
  });

  it('agrees on thread membership for every message once junk IDs and attribution lines are set aside', () => {
    const comparable = withoutBodies(withJunkIdsAsNotmuchSeesThem(inputs));
    const headersOnly = compareWithNotmuch(comparable, threadMessages(comparable), nm);
    expect(headersOnly.threadDisagreements).toEqual([]);
    expect(headersOnly.sameThread).toBe(headersOnly.compared);
  });

  it('differs on thread membership only through junk IDs and attribution lines', () => {
    const byId = new Map(inputs.filter((i) => i.messageId).map((i) => [i.messageId!, i]));
    const attributed = new Set<string>();
    for (const t of result.threads) if (t.nodes.some((n) => n.parentBy === 'attribution')) for (const n of t.nodes) attributed.add(n.key);
    const namesJunk = (id: string) => {
      const i = byId.get(id);
      return !!i && [i.inReplyTo, ...i.references].some((r) => r !== null && !validId(bare(r)));
    };
    const unexplained = agreement.threadDisagreements.filter((d) => {
      const extra = d.ours.filter((id) => !d.notmuch.includes(id));
      const missing = d.notmuch.filter((id) => !d.ours.includes(id));
      // We joined more: only through a parent found from an attribution line.
      const extraExplained = extra.length === 0 || attributed.has(byId.get(d.messageId)!.key);
      // notmuch joined more: only through a junk ID in its thread.
      const missingExplained = missing.length === 0 || d.notmuch.some(namesJunk);
      return !(extraExplained && missingExplained);
    });
    expect(unexplained).toEqual([]);
  });

  it('differs on parents only where In-Reply-To names a message we do not have, or by attribution', () => {
    const byId = new Map(inputs.filter((i) => i.messageId).map((i) => [i.messageId!, i]));
    const parentBy = new Map(result.threads.flatMap((t) => t.nodes.map((n) => [n.key, n.parentBy] as const)));
    const explained = (d: Agreement['parentDisagreements'][number]): boolean => {
      const input = byId.get(d.messageId)!;
      if (parentBy.get(input.key) === 'attribution') return true;
      const references = input.references.map(bare);
      const inReplyTo = input.inReplyTo === null ? null : bare(input.inReplyTo);
      // Gmane-munged, `<local>-<token>@public.gmane.org` for `<local>@<domain>`: we must have unmunged it.
      if (inReplyTo?.endsWith('@public.gmane.org')) {
        return d.ours !== null && inReplyTo.startsWith(d.ours.slice(0, d.ours.lastIndexOf('@')) + '-');
      }
      // notmuch takes junk IDs as messages: its tree differs around them.
      if ([inReplyTo, ...references].some((id) => id !== null && !validId(id))) return true;
      if (inReplyTo === null || byId.has(inReplyTo)) return false;
      // In-Reply-To names a message we do not have: we follow References, to the last entry we have.
      return d.ours === ([...references].reverse().find((id) => byId.has(id)) ?? null);
    };
    expect(agreement.parentDisagreements.filter((d) => !explained(d))).toEqual([]);
  });
});

if (skipReason !== null) console.warn(`[threadlab tests] threading against notmuch is skipped: ${skipReason}`);
