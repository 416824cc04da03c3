/**
 * What the mail layer hands to ingest: one decoded message plus where it came
 * from. Readers (mbox, Maildir, .eml, pipermail) yield RawMessage; the MIME
 * decoder turns a RawMessage into a ParsedMessage.
 */
import type { DateSource } from './dates';

/** One message's bytes as found in an archive, before any decoding. */
export interface RawMessage {
  /** The archive file the bytes came from (for error reports). */
  source: string;
  /**
   * Byte offset of the message in that file (0 for single-message files). mbox: the
   * offset of its `From ` separator line; .txt.gz: an offset in the uncompressed text.
   */
  offset: number;
  /**
   * The Maildir++ folder the message was in, dots between levels (`Sent`, `lists.linux-mm`,
   * `a.b`); absent for a Maildir's own cur/ and new/ and for other archives. source, the
   * file's path, shows it too, and is what is stored (MessageCopy.source).
   */
  folder?: string;
  /** The message bytes verbatim (mbox: after `>From ` unescaping, without the separator line). */
  raw: Uint8Array;
  /**
   * Set by readers of formats that carry no RFC 5322 header block (pipermail):
   * the fields the page shows, already de-obfuscated.
   */
  pipermail?: PipermailFields;
  /** Which reader produced it; decode uses it for format quirks (pipermail address obfuscation). */
  format?: ArchiveFormat;
  /**
   * The mbox `From ` separator line the message came after (without its newline), also
   * one left at the top of a single-message file. Its date is a fallback for Date.
   */
  fromLine?: string;
  /** A date the archive itself gives the message (a Maildir file's delivery time); the last fallback for Date. */
  archiveDate?: { iso: string; from: string };
  /**
   * The archive removed this message here (a public-inbox `d` blob, a file a v1
   * inbox deleted): the bytes are the message removed, decoded to tell which it is.
   */
  removal?: true;
  /** A plain (not gzipped) mbox's message: reading the file again can start at its offset (lib/ingest/sources.ts). */
  seekable?: true;
  /** public-inbox: the commit that made this change; reading the repository again can go on after it. */
  commit?: string;
}

export type ArchiveFormat =
  | 'mbox'
  | 'maildir'
  | 'public-inbox'
  | 'eml'
  | 'pipermail-article'
  | 'pipermail-text'
  | 'pipermail-monthly';

export interface PipermailFields {
  list: string | null;
  subject: string;
  from: Address;
  /** ISO 8601 UTC, parsed from the page's local time and zone abbreviation. */
  date: string | null;
  body: string;
  /** Message-ID the article replies to, when the page gives it (article pages' mailto link). */
  inReplyTo?: string | null;
}

export interface Address {
  name: string | null;
  /** Lower-cased domain, local part as written; null when the message had none. */
  address: string | null;
}

export interface Attachment {
  filename: string | null;
  contentType: string;
  size: number;
  sha256: string;
  content: Uint8Array;
}

/** A decoded message, normalised; what gets stored. */
export interface ParsedMessage {
  source: string;
  offset: number;
  raw: Uint8Array;
  /**
   * As message-id.ts reads it (the text inside the angle brackets, control characters
   * dropped, bounded in length; kept whole, brackets and all, when they do not pair). Null
   * when the message had none.
   */
  messageId: string | null;
  /** The first id In-Reply-To names, read as messageId is. */
  inReplyTo: string | null;
  /** Oldest first, read as messageId is, de-duplicated. */
  references: string[];
  subject: string;
  from: Address;
  to: Address[];
  cc: Address[];
  /** ISO 8601 UTC; null when no source gave one. */
  date: string | null;
  /**
   * Where date came from: the Date field, or when that is missing or unreadable a
   * Resent-Date, the mbox From line or the archive (a Maildir file's delivery time, a
   * pipermail page). Null with date. A fallback is also named in warnings, which are stored.
   */
  dateSource: DateSource | null;
  /** The text body: text/plain preferred; HTML-only mail as sanitised text. */
  body: string;
  /** True when body was derived from an HTML part. */
  bodyFromHtml: boolean;
  attachments: Attachment[];
  /** List name from List-Id / X-Mailing-List / pipermail, if any. */
  listHint: string | null;
  /** Problems that did not stop decoding (unknown charset fell back, etc). */
  warnings: string[];
}

/** A message that could not be decoded; ingest reports it and goes on. */
export class MalformedMessage extends Error {
  constructor(
    readonly source: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`${source} at byte ${offset}: ${reason}`);
    this.name = 'MalformedMessage';
  }
}
