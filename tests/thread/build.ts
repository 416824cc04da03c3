/** Test helpers: terse ThreadInput construction and views of a ThreadingResult. */
import type { ParsedMessage } from '../../lib/mail/types';
import type { Thread, ThreadingResult, ThreadInput } from '../../lib/thread/types';

/** What ingest hands threading for a decoded message. */
export function toThreadInput(key: string, m: ParsedMessage): ThreadInput {
  return {
    key,
    messageId: m.messageId,
    inReplyTo: m.inReplyTo,
    references: m.references,
    subject: m.subject,
    date: m.date,
    fromName: m.from.name,
    fromAddress: m.from.address,
    body: m.body,
  };
}

export interface MessageSpec {
  /** Message-ID; also the key unless `key` is given. `null` for a message without one. */
  id: string | null;
  key?: string;
  inReplyTo?: string | null;
  references?: string[];
  subject?: string;
  date?: string | null;
  from?: string | null;
  address?: string | null;
  body?: string;
}

export function message(spec: MessageSpec): ThreadInput {
  const key = spec.key ?? spec.id;
  if (key === null) throw new Error('a message without Message-ID needs a key');
  return {
    key,
    messageId: spec.id,
    inReplyTo: spec.inReplyTo ?? null,
    references: spec.references ?? [],
    subject: spec.subject ?? 'subject',
    date: spec.date === undefined ? '2024-01-01T00:00:00Z' : spec.date,
    fromName: spec.from ?? null,
    fromAddress: spec.address ?? null,
    body: spec.body ?? '',
  };
}

/** The thread holding a key. */
export function threadOf(result: ThreadingResult, key: string): Thread {
  const thread = result.threads.find((t) => t.nodes.some((n) => n.key === key));
  if (!thread) throw new Error(`${key} is in no thread`);
  return thread;
}

export function nodeOf(result: ThreadingResult, key: string) {
  return threadOf(result, key).nodes.find((n) => n.key === key)!;
}

/** A thread drawn as indented keys, one per line, in output order: easy to read in a failing assertion. */
export function outline(thread: Thread): string {
  return thread.nodes.map((n) => '  '.repeat(n.depth) + n.key).join('\n');
}

/** Every thread, outlined, in output order. */
export function outlines(result: ThreadingResult): string[] {
  return result.threads.map(outline);
}

/**
 * Structural invariants every result must satisfy: each input key in exactly
 * one thread, pre-order with consistent depth, order and parent links, no node
 * its own ancestor, and the ghosts list naming exactly the nodes that are no input.
 */
export function checkInvariants(inputs: ThreadInput[], result: ThreadingResult): void {
  const inputKeys = new Set(inputs.map((i) => i.key));
  const seen = new Set<string>();
  for (const thread of result.threads) {
    const depthOf = new Map<string, number>();
    const childCount = new Map<string | null, number>();
    thread.nodes.forEach((node, i) => {
      if (seen.has(node.key)) throw new Error(`${node.key} appears twice`);
      seen.add(node.key);
      if (i === 0) {
        if (node.key !== thread.rootKey || node.parentKey !== null || node.depth !== 0 || node.parentBy !== null) {
          throw new Error(`thread ${thread.rootKey} does not start with its root`);
        }
      } else {
        const parentDepth = node.parentKey === null ? undefined : depthOf.get(node.parentKey);
        if (parentDepth === undefined) throw new Error(`${node.key} comes before its parent ${node.parentKey}`);
        if (node.depth !== parentDepth + 1) throw new Error(`${node.key} has depth ${node.depth} under depth ${parentDepth}`);
        if (node.parentBy === null) throw new Error(`${node.key} has a parent but no parentBy`);
      }
      const order = childCount.get(node.parentKey) ?? 0;
      if (node.order !== order) throw new Error(`${node.key} has order ${node.order}, expected ${order}`);
      childCount.set(node.parentKey, order + 1);
      depthOf.set(node.key, node.depth);
    });
  }
  for (const key of inputKeys) if (!seen.has(key)) throw new Error(`input ${key} is in no thread`);
  const ghostKeys = [...seen].filter((k) => !inputKeys.has(k)).sort();
  const listed = result.ghosts.map((g) => g.key).sort();
  if (ghostKeys.join('\n') !== listed.join('\n')) {
    throw new Error(`ghost nodes [${ghostKeys.join(', ')}] but ghosts listed [${listed.join(', ')}]`);
  }
}
