/**
 * Messages to build test archives from: real LKML mail from ../shared/corpora's notmuch
 * Maildir when this checkout has it (each with a Message-ID no other message of the
 * corpus has, so that copies are the test's own), else small synthetic ones.
 */
import fs from 'node:fs';
import { corpus, hasShared } from './shared';

export interface Sample {
  bytes: Buffer;
  messageId: string;
  /** Where it came from: a corpus file, or "synthetic". */
  origin: string;
}

const ID = /^message-id:\s*<([^<>\s]+)>/im;

let cached: Sample[] | null = null;

export function sampleMessages(n: number): Sample[] {
  cached ??= hasShared ? corpusSamples() : [];
  if (cached.length >= n) return cached.slice(0, n);
  if (hasShared) throw new Error(`the corpus has only ${cached.length} messages with a Message-ID of their own`);
  console.warn('[threadlab tests] ../shared/corpora is absent: archives are built from synthetic messages instead of real ones.');
  return Array.from({ length: n }, (_, i) => synthetic(i));
}

function corpusSamples(): Sample[] {
  const dir = corpus('notmuch-lkml', 'cur');
  const files = fs.readdirSync(dir).sort().map((name) => ({ path: `${dir}/${name}`, bytes: fs.readFileSync(`${dir}/${name}`) }));
  const ids = files.map((f) => ID.exec(f.bytes.toString('latin1'))?.[1] ?? null);
  const count = new Map<string, number>();
  for (const id of ids) if (id) count.set(id, (count.get(id) ?? 0) + 1);
  return files.flatMap((f, i) => {
    const id = ids[i];
    return id && count.get(id) === 1 && !f.bytes.includes('\r\n') ? [{ bytes: f.bytes, messageId: id, origin: f.path }] : [];
  });
}

function synthetic(i: number): Sample {
  const messageId = `sample-${i}@example.org`;
  const text = [
    `From: Writer ${i} <writer${i}@example.org>`,
    'To: linux-mm@kvack.org',
    `Subject: sample message ${i}`,
    `Date: Mon, 3 Jan 2011 10:${String(i).padStart(2, '0')}:00 +0000`,
    `Message-ID: <${messageId}>`,
    'List-Id: <linux-mm.kvack.org>',
    '',
    `Body of message ${i}.`,
    'From here on, a line that an mbox must quote.',
    '',
  ].join('\n');
  return { bytes: Buffer.from(text), messageId, origin: 'synthetic' };
}

/** The message without the header fields a list is told from (List-Id, X-Mailing-List, List-Post, Mailing-List). */
export function withoutListFields(bytes: Buffer): Buffer {
  const text = bytes.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = text.slice(0, end < 0 ? text.length : end + 1);
  const kept = head.replace(/^(?:list-id|x-mailing-list|list-post|mailing-list):[^\n]*\n(?:[ \t][^\n]*\n)*/gim, '');
  return Buffer.from(kept + text.slice(head.length), 'latin1');
}

/** The message as an mboxrd holds it: each `>*From ` line quoted with one more `>`, ending in a newline. */
export function mboxrdQuoted(sample: Sample): Buffer {
  const text = sample.bytes.toString('latin1').replace(/^(>*From )/gm, '>$1');
  return Buffer.from(text.endsWith('\n') ? text : `${text}\n`, 'latin1');
}

/** An mboxrd of the messages: a `From ` line before each, `>`-quoted `From ` lines, a blank line after. */
export function mboxOf(samples: readonly Sample[]): Buffer {
  return Buffer.concat(
    samples.flatMap((s) => [Buffer.from('From sender@example.org Mon Jan  3 10:00:00 2011\n'), mboxrdQuoted(s), Buffer.from('\n')]),
  );
}
