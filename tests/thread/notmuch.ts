/**
 * Test helper: threads a Maildir with notmuch and with threadMessages, and
 * compares the two, message by message. Needs the `notmuch` binary; callers
 * skip when notmuchAvailable() is false.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { decode, readMaildir, readMbox } from '../../lib/mail/index';
import type { ThreadingResult, ThreadInput } from '../../lib/thread/types';
import { toThreadInput } from './build';

export function notmuchAvailable(): boolean {
  return spawnSync('notmuch', ['--version'], { encoding: 'utf8' }).status === 0;
}

/** Reads a Maildir with the mail layer; keys are file names (unique in a Maildir). */
export async function readMaildirInputs(dir: string): Promise<ThreadInput[]> {
  const inputs: ThreadInput[] = [];
  for await (const raw of readMaildir(dir, { onError: () => {} })) {
    inputs.push(toThreadInput(basename(raw.source), await decode(raw)));
  }
  return inputs;
}

/** A scratch directory holding a Maildir (`mail/`) and a notmuch config pointing at it. */
export interface Scratch {
  root: string;
  maildir: string;
  dispose(): void;
}

export function scratchMaildir(): Scratch {
  const root = mkdtempSync(join(tmpdir(), 'threadlab-notmuch-'));
  const maildir = join(root, 'mail');
  for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, sub), { recursive: true });
  return { root, maildir, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

export function copyMaildir(from: string, scratch: Scratch): void {
  cpSync(from, scratch.maildir, { recursive: true });
}

/** Writes each message of the mbox files as one Maildir file, so notmuch and we read the same bytes. */
export async function mboxToMaildir(mboxes: string[], scratch: Scratch): Promise<number> {
  let n = 0;
  for (const mbox of mboxes) {
    for await (const raw of readMbox(mbox, { onError: () => {} })) {
      writeFileSync(join(scratch.maildir, 'cur', `${basename(mbox)}.${String(raw.offset).padStart(10, '0')}:2,`), raw.raw);
      n++;
    }
  }
  return n;
}

/** How notmuch threads the scratch Maildir: thread and parent of every Message-ID. */
export interface NotmuchView {
  threadOf: Map<string, number>;
  parentOf: Map<string, string | null>;
}

interface ShowMessage {
  id: string;
}
type ShowNode = [ShowMessage, ShowNode[]];

export function notmuchThreads(scratch: Scratch): NotmuchView {
  const config = join(scratch.root, 'notmuch-config');
  writeFileSync(
    config,
    `[database]\npath=${scratch.maildir}\n[new]\ntags=\n[maildir]\nsynchronize_flags=false\n[search]\nexclude_tags=\n`,
  );
  const env = { ...process.env, NOTMUCH_CONFIG: config };
  const run = (args: string[]) => {
    const r = spawnSync('notmuch', args, { env, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`notmuch ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  run(['new', '--quiet']);
  const threads = JSON.parse(run(['show', '--format=json', '--entire-thread=true', '--body=false', '*'])) as ShowNode[][];
  const view: NotmuchView = { threadOf: new Map(), parentOf: new Map() };
  threads.forEach((roots, thread) => {
    const stack: { node: ShowNode; parent: string | null }[] = roots.map((node) => ({ node, parent: null }));
    while (stack.length > 0) {
      const { node, parent } = stack.pop()!;
      const [message, replies] = node;
      view.threadOf.set(message.id, thread);
      view.parentOf.set(message.id, parent);
      for (const reply of replies) stack.push({ node: reply, parent: message.id });
    }
  });
  return view;
}

export interface Disagreement {
  messageId: string;
  ours: string[];
  notmuch: string[];
}

export interface Agreement {
  /** Distinct Message-IDs compared (duplicates count once: the first input holding the ID). */
  compared: number;
  sameThread: number;
  sameParent: number;
  threadDisagreements: Disagreement[];
  parentDisagreements: { messageId: string; ours: string | null; notmuch: string | null }[];
}

/**
 * Compares, for every Message-ID, the set of Message-IDs in its thread, and
 * its parent. Our parent is the nearest ancestor that is a message: notmuch
 * shows no ghosts, so a message under a ghost is a top-level one there.
 */
export function compareWithNotmuch(inputs: ThreadInput[], result: ThreadingResult, nm: NotmuchView): Agreement {
  const byKey = new Map(inputs.map((i) => [i.key, i]));
  const parentKeyOf = new Map<string, string | null>();
  const membersOf = new Map<string, Set<string>>();
  const threadOfKey = new Map<string, string>();
  for (const thread of result.threads) {
    const members = new Set<string>();
    for (const node of thread.nodes) {
      parentKeyOf.set(node.key, node.parentKey);
      threadOfKey.set(node.key, thread.rootKey);
      const id = byKey.get(node.key)?.messageId;
      if (id) members.add(id);
    }
    membersOf.set(thread.rootKey, members);
  }
  const nmMembers = new Map<number, Set<string>>();
  for (const [id, t] of nm.threadOf) {
    let set = nmMembers.get(t);
    if (!set) nmMembers.set(t, (set = new Set()));
    set.add(id);
  }
  const messageParent = (key: string): string | null => {
    for (let p = parentKeyOf.get(key) ?? null; p !== null; p = parentKeyOf.get(p) ?? null) {
      const input = byKey.get(p);
      if (input) return input.messageId;
    }
    return null;
  };
  const agreement: Agreement = { compared: 0, sameThread: 0, sameParent: 0, threadDisagreements: [], parentDisagreements: [] };
  const seen = new Set<string>();
  for (const input of inputs) {
    const id = input.messageId;
    if (!id || seen.has(id)) continue;
    seen.add(id);
    agreement.compared++;
    const ours = [...membersOf.get(threadOfKey.get(input.key)!)!].sort();
    const theirs = [...(nmMembers.get(nm.threadOf.get(id) ?? -1) ?? [])].sort();
    if (ours.join('\n') === theirs.join('\n')) agreement.sameThread++;
    else agreement.threadDisagreements.push({ messageId: id, ours, notmuch: theirs });
    const ourParent = messageParent(input.key);
    const theirParent = nm.parentOf.get(id) ?? null;
    if (ourParent === theirParent) agreement.sameParent++;
    else agreement.parentDisagreements.push({ messageId: id, ours: ourParent, notmuch: theirParent });
  }
  return agreement;
}
