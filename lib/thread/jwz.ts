/**
 * JWZ threading (https://www.jwz.org/doc/threading.html) over Message-ID,
 * In-Reply-To and References, plus parents inferred from attribution lines
 * for messages with no reply headers. Deliberately different from JWZ:
 *
 * - In-Reply-To is trusted over References: the parent is In-Reply-To when
 *   present, and References is used for the ancestors above it.
 * - No grouping by subject (JWZ step 5): same subject does not mean same thread.
 * - Ghosts inferred from attribution lines are never pruned: they carry who
 *   wrote the quoted message and when, and the product shows them.
 * - A duplicate Message-ID: the first input holding it owns the ID (references
 *   resolve to it); later ones are threaded under their own key from their own
 *   headers, so every input key appears in exactly one thread.
 * - Reply IDs without an '@' are ignored (see cleanId).
 */
import { createParentInference } from './infer-parent';
import type { Ghost, Thread, ThreadedNode, ThreadingResult, ThreadInput } from './types';

type ParentBy = ThreadedNode['parentBy'];

interface Container {
  /** The message's key, or the Message-ID / `ghost:` key of a ghost. */
  key: string;
  input: ThreadInput | null;
  /** Set on ghosts inferred from an attribution line. */
  attributed: Ghost | null;
  parent: Container | null;
  parentBy: ParentBy;
  /** After pruning: the final children if kept, else the children it hands up to its parent. */
  children: Container[];
  /** Set by pruning: false for an empty container that gives way to its children. */
  kept: boolean;
  /** Earliest date in the subtree after pruning; orders siblings. */
  sortTime: number;
}

function container(key: string, input: ThreadInput | null, attributed: Ghost | null = null): Container {
  return { key, input, attributed, parent: null, parentBy: null, children: [], kept: true, sortTime: Infinity };
}

/**
 * Message-IDs arrive without brackets from the mail layer; be lenient with
 * stray ones. RFC 5322 requires the '@': without it the "ID" is junk, such as
 * the `<yes>` that git send-email users typed at its In-Reply-To prompt, and
 * trusting it would join unrelated threads that share the same junk.
 */
function cleanId(id: string | null | undefined): string | null {
  if (!id) return null;
  const first = id.charCodeAt(0);
  const last = id.charCodeAt(id.length - 1);
  // Most IDs are already clean: skip the regex for them.
  const clean = first === 60 || last === 62 || first <= 32 || last <= 32 ? id.trim().replace(/^<+|>+$/g, '').trim() : id;
  return clean.includes('@') ? clean : null;
}

/**
 * Gmane rewrote addresses in In-Reply-To, and with them Message-IDs that look
 * like addresses (`22746.1277470713@redhat.com` became
 * `22746.1277470713-H+wXaHxf7aLQT0dZR+AlfA@public.gmane.org`), but left
 * References alone: map such an In-Reply-To back to the References entry it
 * came from, or the parent falls back to a References order that some
 * mailers get wrong.
 */
function gmaneUnmunged(inReplyTo: string | null, references: readonly string[]): string | null {
  if (inReplyTo === null || !inReplyTo.endsWith('@public.gmane.org')) return inReplyTo;
  const original = references
    .map(cleanId)
    .filter((id): id is string => id !== null && inReplyTo.startsWith(id.slice(0, id.lastIndexOf('@')) + '-'));
  return original.length === 1 ? original[0]! : inReplyTo;
}

/** Would making `parent` the parent of `child` make `child` its own ancestor? */
function wouldLoop(child: Container, parent: Container): boolean {
  if (child === parent) return true;
  // A leaf cannot be anyone's ancestor; this keeps the common case O(1).
  if (child.children.length === 0) return false;
  for (let p: Container | null = parent; p !== null; p = p.parent) if (p === child) return true;
  return false;
}

function link(child: Container, parent: Container, by: ParentBy): void {
  if (child.parent !== null) {
    const siblings = child.parent.children;
    siblings.splice(siblings.indexOf(child), 1);
  }
  child.parent = parent;
  child.parentBy = by;
  parent.children.push(child);
}

/** Links the next ID of a claimed ancestry under the previous one, and returns it. */
function extendChain(previous: Container | null, next: Container): Container {
  // Others' References only fill in links nobody has claimed yet...
  if (previous !== null && next.parent === null && !wouldLoop(next, previous)) link(next, previous, 'references');
  return next;
}

function timeOf(input: ThreadInput): number {
  const t = input.date === null ? NaN : Date.parse(input.date);
  return Number.isNaN(t) ? Infinity : t;
}

const bySortOrder = (a: Container, b: Container) =>
  a.sortTime - b.sortTime || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * Threads messages. Pure and deterministic for a given input order (order
 * matters only where JWZ lets the first claim win: conflicting References
 * chains, duplicate Message-IDs). Input keys must be unique and must not
 * equal a Message-ID that only appears in references (such a Message-ID
 * becomes a ghost's key).
 */
export function threadMessages(inputs: ThreadInput[]): ThreadingResult {
  const byKey = new Map<string, Container>();
  const byId = new Map<string, Container>();
  const all: Container[] = [];

  const idContainer = (id: string): Container => {
    let c = byId.get(id);
    if (!c) {
      c = container(id, null);
      byId.set(id, c);
      all.push(c);
    }
    return c;
  };

  // JWZ step 1: a container per message and per referenced ID, linked as claimed.
  const withoutHeaders: ThreadInput[] = [];
  for (const input of inputs) {
    if (byKey.has(input.key)) throw new Error(`threadMessages: duplicate input key ${input.key}`);
    const ownId = cleanId(input.messageId);
    let own: Container;
    const existing = ownId === null ? undefined : byId.get(ownId);
    if (existing && existing.input === null) {
      existing.input = input;
      existing.key = input.key;
      own = existing;
    } else {
      own = container(input.key, input);
      if (ownId !== null && !existing) byId.set(ownId, own);
      all.push(own);
    }
    byKey.set(input.key, own);

    // The claimed ancestry, oldest first: References, then In-Reply-To as the
    // parent (so a misordered References cannot override it), never itself.
    // Repeated IDs need no special case: the loop guard refuses their links.
    const inReplyTo = gmaneUnmunged(cleanId(input.inReplyTo), input.references);
    const parentId = inReplyTo !== ownId ? inReplyTo : null;
    let parent: Container | null = null;
    for (const ref of input.references) {
      const id = cleanId(ref);
      if (id !== null && id !== ownId && id !== parentId) parent = extendChain(parent, idContainer(id));
    }
    if (parentId !== null) parent = extendChain(parent, idContainer(parentId));
    if (parent === null) {
      // No usable reply header (none, junk, or only itself): look at what it quotes.
      withoutHeaders.push(input);
    } else if (!wouldLoop(own, parent)) {
      // ...but a message's own headers override whatever others implied about it.
      link(own, parent, parentId !== null ? 'in-reply-to' : 'references');
    }
  }

  // Messages without reply headers: the parent they quote, found or ghosted.
  if (withoutHeaders.length > 0) {
    const infer = createParentInference(inputs);
    const attributedGhosts = new Map<string, Container>();
    for (const input of withoutHeaders) {
      const own = byKey.get(input.key)!;
      if (own.parent !== null) continue;
      const inferred = infer(input);
      if (inferred === null) continue;
      let parent: Container;
      if (inferred.kind === 'message') {
        parent = byKey.get(inferred.key)!;
      } else {
        let ghost = attributedGhosts.get(inferred.ghost.key);
        if (!ghost) {
          ghost = container(inferred.ghost.key, null, inferred.ghost);
          attributedGhosts.set(ghost.key, ghost);
          all.push(ghost);
        }
        parent = ghost;
      }
      if (!wouldLoop(own, parent)) link(own, parent, 'attribution');
    }
  }

  // Containers in pre-order, so that walking it backwards meets children before parents.
  const roots = all.filter((c) => c.parent === null);
  const preorder: Container[] = [];
  for (const stack = [...roots]; stack.length > 0; ) {
    const c = stack.pop()!;
    preorder.push(c);
    for (const child of c.children) stack.push(child);
  }

  // JWZ step 4, bottom-up: drop empty leaves, promote the children of empty
  // containers, but keep an empty root that holds several children together.
  for (let i = preorder.length - 1; i >= 0; i--) {
    const c = preorder[i]!;
    const children: Container[] = [];
    for (const child of c.children) {
      if (child.kept) {
        children.push(child);
        continue;
      }
      for (const grandchild of child.children) {
        grandchild.parent = c;
        grandchild.parentBy = 'references';
        children.push(grandchild);
      }
    }
    children.sort(bySortOrder);
    c.children = children;
    const empty = c.input === null && c.attributed === null;
    c.kept = !empty || (c.parent === null && children.length > 1);
    c.sortTime = Math.min(c.input ? timeOf(c.input) : Infinity, children[0]?.sortTime ?? Infinity);
  }
  const threadRoots = roots.flatMap((r) => (r.kept ? [r] : r.children)).sort(bySortOrder);

  const threads: Thread[] = [];
  const ghosts: Ghost[] = [];
  for (const root of threadRoots) {
    root.parent = null;
    root.parentBy = null;
    const nodes: ThreadedNode[] = [];
    const stack: { c: Container; depth: number; order: number }[] = [{ c: root, depth: 0, order: 0 }];
    while (stack.length > 0) {
      const { c, depth, order } = stack.pop()!;
      nodes.push({ key: c.key, parentKey: c.parent?.key ?? null, parentBy: c.parentBy, order, depth });
      if (c.input === null) {
        if (c.attributed === null && byKey.has(c.key)) {
          throw new Error(`threadMessages: input key ${c.key} is also a referenced Message-ID`);
        }
        ghosts.push(c.attributed ?? { key: c.key, messageId: c.key, authorName: null, authorAddress: null, dateText: null, date: null });
      }
      for (let j = c.children.length - 1; j >= 0; j--) stack.push({ c: c.children[j]!, depth: depth + 1, order: j });
    }
    threads.push({ rootKey: root.key, nodes });
  }
  return { threads, ghosts };
}
