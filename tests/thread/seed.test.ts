/**
 * The seed message and the bundled thread (shared/thread/), read with the
 * mail layer as ingest reads them.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decode, readEml, readPipermailText } from '../../lib/mail/index';
import { threadMessages } from '../../lib/thread/index';
import type { ThreadInput } from '../../lib/thread/types';
import { checkInvariants, nodeOf, outlines, toThreadInput } from './build';

const SHARED = '/work/shared';
const SEED = join(SHARED, 'seed/000_18b5c1a2bdfc30f4.txt');
const BUNDLED = join(SHARED, 'thread');
const present = existsSync(SEED) && existsSync(BUNDLED);

async function readSeed(): Promise<ThreadInput> {
  for await (const raw of readPipermailText(SEED)) return toThreadInput('seed', await decode(raw));
  throw new Error(`${SEED}: not read as a pipermail text copy`);
}

/** The bundled .eml files, keyed by their number ("01" .. "12"). */
async function readBundled(): Promise<ThreadInput[]> {
  const inputs: ThreadInput[] = [];
  for (const list of ['linux-mm', 'linux-kernel']) {
    for (const name of readdirSync(join(BUNDLED, list)).filter((n) => n.endsWith('.eml')).sort()) {
      for await (const raw of readEml(join(BUNDLED, list, name))) {
        inputs.push(toThreadInput(basename(name).slice(0, 2), await decode(raw)));
      }
    }
  }
  return inputs;
}

describe.skipIf(!present)('the seed message', () => {
  it('hangs under a ghost of the Joel Becker message it quotes, dated Dec 31 2010 10:29 local time', async () => {
    const seed = await readSeed();
    // A pipermail page: no reply headers to go by.
    expect(seed).toMatchObject({ messageId: null, inReplyTo: null, references: [] });
    const result = threadMessages([seed]);
    checkInvariants([seed], result);
    expect(result.ghosts).toHaveLength(1);
    const ghost = result.ghosts[0]!;
    expect(ghost).toEqual({
      key: expect.stringMatching(/^ghost:/),
      messageId: null,
      authorName: 'Joel Becker',
      authorAddress: 'Joel.Becker@oracle.com',
      dateText: 'Fri, Dec 31, 2010 at 10:29 AM',
      date: '2010-12-31T10:29:00',
    });
    expect(nodeOf(result, 'seed')).toMatchObject({ parentKey: ghost.key, parentBy: 'attribution', depth: 1 });
    expect(result.threads.map((t) => t.rootKey)).toEqual([ghost.key]);
  });
});

describe.skipIf(!present)('the bundled linux-mm / linux-kernel messages', () => {
  it('thread by their headers, without merging the same subject across threads', async () => {
    const inputs = [...(await readBundled()), await readSeed()];
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    const ghostOfJoel = nodeOf(result, 'seed').parentKey!;
    expect(outlines(result)).toEqual([
      // Mar 3 2009: Christoph answers a message we do not have (a single reply: no ghost kept).
      // Its subject is that of 01 below, which JWZ's subject step would have merged.
      '07\n  08',
      // Mar 11: 06's References skip 05, its In-Reply-To names it.
      '01\n  02\n    03\n      04\n        05\n          06',
      '09',
      `${ghostOfJoel}\n  seed`,
      '10',
      '11\n  12',
    ]);
    expect(nodeOf(result, '06')).toMatchObject({ parentKey: '05', parentBy: 'in-reply-to' });
  });

  it('rebuild the same tree from attribution lines alone when the reply headers are removed', async () => {
    // As if the thread came from pipermail pages: no Message-ID, no reply headers.
    const inputs = (await readBundled()).map((i) => ({ ...i, messageId: null, inReplyTo: null, references: [] }));
    const result = threadMessages(inputs);
    checkInvariants(inputs, result);
    // 07 quotes Nick's message of Mar 3 11:38:38 +0100, which we do not have: a ghost, dated exactly.
    const nick = result.ghosts.find((g) => g.authorName === 'Nick Piggin');
    expect(nick).toMatchObject({ authorAddress: null, dateText: 'Tue, Mar 03, 2009 at 11:38:38AM +0100', date: '2009-03-03T10:38:38Z' });
    expect(outlines(result)).toEqual([
      `${nick!.key}\n  07\n    08`,
      '01',
      // 02 is Nick's patch 2/2 with no quote of 01: nothing to infer from, so it stays a root.
      '02\n  03\n    04\n      05\n        06',
      '09',
      '10',
      '11\n  12',
    ]);
    for (const key of ['03', '04', '05', '06', '08', '12']) expect(nodeOf(result, key).parentBy).toBe('attribution');
  });
});
