/** Input and output of threading (JWZ plus attribution inference). */
import type { AttributionLine } from '../quote/find-attributions';

export interface ThreadInput {
  /** Stable key of the stored message (archive id or Message-ID). */
  key: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  /** ISO 8601 or null. */
  date: string | null;
  fromName: string | null;
  fromAddress: string | null;
  /** Decoded body text; used to infer parents of messages with no reply headers. */
  body: string;
  /**
   * The body's attribution lines when they are known already: ingest stores
   * them with the body's segments (lib/quote/segment-attributions). When
   * absent they are found in the body.
   */
  attributions?: readonly AttributionLine[];
}

/** A parent that was referenced or quoted but never seen. */
export interface Ghost {
  /** Synthetic key: the referenced Message-ID, or `ghost:<hash>` when inferred from an attribution. */
  key: string;
  messageId: string | null;
  /** From an attribution line, when inferred from quoted text. */
  authorName: string | null;
  authorAddress: string | null;
  /** As written in the attribution line, and parsed to ISO when possible. */
  dateText: string | null;
  /**
   * ISO 8601. UTC (`...Z`) when the attribution names a zone or offset; else
   * the replier's local time without offset (`2010-12-31T10:29:00`), or just
   * `YYYY-MM-DD` when it gives no time. Null for ghosts from References.
   */
  date: string | null;
}

export interface ThreadedNode {
  /** A message key or a ghost key. */
  key: string;
  parentKey: string | null;
  /** How the parent was found. */
  parentBy: 'in-reply-to' | 'references' | 'attribution' | null;
  /** Index among siblings, in date order. */
  order: number;
  depth: number;
}

export interface Thread {
  /** Key of the root node (a message or a ghost). */
  rootKey: string;
  /** Pre-order (thread order): parent before children, siblings by date. */
  nodes: ThreadedNode[];
}

export interface ThreadingResult {
  /** Ordered by the earliest date in each thread, then root key; every input key is in exactly one. */
  threads: Thread[];
  /** Exactly the ghost nodes of `threads`, in thread order: ghosts that JWZ pruning removed are not listed. */
  ghosts: Ghost[];
}
