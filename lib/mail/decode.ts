/**
 * RawMessage -> ParsedMessage. MIME is postal-mime's job; this module normalises what
 * it returns (ids, addresses, dates, list name), picks the text body, hashes
 * attachments and turns decoding trouble into warnings.
 */
import { createHash } from 'node:crypto';
import { addressParser, type Address as PmAddress, type Email, type Header } from 'postal-mime';
import { decodeText, isKnownCharset } from './charsets';
import { withoutControlChars } from './control-chars';
import { messageDate } from './dates';
import { enrichedToText, htmlToText } from './html-text';
import { MAX_MESSAGE_BYTES } from './limits';
import { messageIdOf, referencedIds } from './message-id';
import { parseMime, utf8Words, type ParsedMime } from './mime-parse';
import { isHeaderLine } from './mbox';
import { deobfuscateHeader, listFromSubject, pageCharset } from './pipermail';
import { MalformedMessage, type Address, type Attachment, type ParsedMessage, type RawMessage } from './types';

const POSTAL_MIME_OPTIONS = { attachmentEncoding: 'arraybuffer' } as const;

/** The top-level header fields read here: the only ones parsed, besides Content-* (see parseMime). */
const FIELDS_READ = ['subject', 'from', 'to', 'cc', 'date', 'resent-date', 'message-id', 'in-reply-to', 'references', 'list-id', 'x-mailing-list', 'list-post', 'mailing-list'] as const;
type FieldRead = (typeof FIELDS_READ)[number] | 'content-type';
interface Headers {
  get(name: FieldRead): string | undefined;
}
const FIELDS = new Set<string>(FIELDS_READ);

/**
 * Decodes one message. Bulk ingest runs this on worker threads (lib/ingest/decode-pool.ts),
 * where postal-mime also runs several times faster (see lib/ingest/decode-worker.ts).
 */
export async function decode(raw: RawMessage): Promise<ParsedMessage> {
  if (raw.raw.length > MAX_MESSAGE_BYTES) {
    throw new MalformedMessage(raw.source, raw.offset, `message of ${raw.raw.length} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit`);
  }
  if (raw.pipermail) return fromPipermail(raw);
  if (!hasHeaderBlock(raw.raw)) {
    throw new MalformedMessage(raw.source, raw.offset, 'no header block: no "Name: value" header line before the first blank line');
  }

  const parseOrThrow = async (bytes: Uint8Array): Promise<ParsedMime> => {
    try {
      // An ArrayBuffer is parsed in place; a view would be copied first.
      const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
      return await parseMime(whole ? bytes.buffer : bytes, POSTAL_MIME_OPTIONS, FIELDS);
    } catch (err) {
      throw new MalformedMessage(raw.source, raw.offset, `MIME parse failed: ${(err as Error).message}`);
    }
  };
  const { email, charsets } = await parseOrThrow(raw.raw);

  const warnings: string[] = [];
  const damaged = damagedFirstLine(raw.raw);
  if (damaged) warnings.push(damaged);
  const headers = indexHeaders(email.headers);
  const obfuscated = raw.format === 'pipermail-monthly';

  // U+FFFD already in the source (archives that lost a charset once) is faithful text;
  // only replacement characters made by this decode mean a wrong or missing charset.
  // Looked for only when the decode made some: it is a scan of the whole message.
  let literal: boolean | undefined;
  const literalFffd = () => (literal ??= /\xef\xbf\xbd|=EF=BF=BD/i.test(latin1(raw.raw)));
  // postal-mime obeys the first Content-Type, so a prepended one re-labels the body.
  const relabel = (type: string) => Buffer.concat([Buffer.from(`Content-Type: ${type}\r\n`), raw.raw]);
  const retry = email.text?.includes('\ufffd') && !literalFffd() ? latin1Retry(headers.get('content-type'), email.text) : null;
  if (retry) {
    const again = await parseOrThrow(relabel(retry.type));
    if (again.email.text) {
      email.text = again.email.text;
      warnings.push(`body is not valid ${retry.declared}; decoded as windows-1252`);
    }
  }

  // Unfolding keeps the folding tab (`... when the\tseen flag`); a subject is one line.
  const subject = withoutControlChars((email.subject ?? '').replace(/[\t\r\n]+/g, ' '));
  const body = pickBody(email, warnings);
  if ((body.text.includes('\ufffd') || subject.includes('\ufffd')) && !literalFffd()) {
    warnings.push('undecodable bytes replaced with U+FFFD (declared charset wrong or missing)');
  }
  if (body.charset) charsets.add(body.charset.trim().toLowerCase());
  for (const label of charsetLabels(email.headers, charsets)) {
    if (!isKnownCharset(label)) warnings.push(`unknown charset "${label}"; decoded as windows-1252`);
  }

  // Date, else (named in a warning) Resent-Date, the mbox From line, the archive's date.
  const date = messageDate({
    date: headers.get('date'),
    resentDates: email.headers.filter((h) => h.key === 'resent-date').map((h) => h.value),
    fromLine: raw.fromLine,
    archive: raw.archiveDate,
  });
  warnings.push(...date.warnings);

  const messageId = messageIdOf(headers.get('message-id'));
  if (!messageId) warnings.push('no Message-ID');

  const addressesOf = (key: 'from' | 'to' | 'cc', parsed: PmAddress[] | undefined): Address[] => {
    // Pipermail writes `npiggin at gmail.com (Nick Piggin)`; re-parse it de-obfuscated.
    const value = headers.get(key);
    const list = obfuscated && value ? addressParser(utf8Words(deobfuscateHeader(value))) : parsed;
    return flatten(list ?? []);
  };
  const from = addressesOf('from', email.from ? [email.from] : undefined)[0] ?? { name: null, address: null };

  return {
    source: raw.source,
    offset: raw.offset,
    raw: raw.raw,
    messageId,
    inReplyTo: referencedIds(headers.get('in-reply-to'))[0] ?? null,
    references: referencedIds(headers.get('references')),
    subject,
    from,
    to: addressesOf('to', email.to),
    cc: addressesOf('cc', email.cc),
    date: date.iso,
    dateSource: date.source,
    body: body.text,
    bodyFromHtml: body.fromHtml,
    attachments: body.attachments,
    listHint: listHint(headers, obfuscated ? subject : null),
    warnings,
  };
}

function fromPipermail(raw: RawMessage): ParsedMessage {
  const p = raw.pipermail!;
  const warnings = p.date ? [] : ['no parseable date on the pipermail page'];
  if (!p.from.address) warnings.push('no author address on the pipermail page');
  const label = raw.format === 'pipermail-article' ? pageCharset(raw.raw) : null;
  if (label && !isKnownCharset(label)) warnings.push(`unknown charset "${label}" on the pipermail page; decoded as UTF-8`);
  return {
    source: raw.source,
    offset: raw.offset,
    raw: raw.raw,
    messageId: null, // pipermail pages do not show it
    inReplyTo: p.inReplyTo ?? null,
    references: p.inReplyTo ? [p.inReplyTo] : [],
    // Entity references on the page (`&#0;`) can make control characters.
    subject: withoutControlChars(p.subject),
    from: normaliseAddress(p.from.name ?? '', p.from.address ?? ''),
    to: [],
    cc: [],
    date: p.date,
    dateSource: p.date ? 'archive' : null, // the page's rendering of the date; the page has no Date field
    body: p.body,
    bodyFromHtml: raw.format === 'pipermail-article',
    attachments: [],
    listHint: p.list,
    warnings,
  };
}

/**
 * True when the first block (up to the first blank line) holds at least one header
 * field. Junk lines among the headers (`[transport headers omitted]`, a leftover mbox
 * `From ` line) are tolerated, as postal-mime tolerates them.
 */
/**
 * The warning for a first header line that is no field (`Return\xadPath: <...>`, a byte
 * gone bad in its name): the mbox splitter starts a message at it (startsMessage), its
 * other fields are read, and the line is kept in the stored bytes but read as nothing.
 */
function damagedFirstLine(bytes: Uint8Array): string | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nl = buf.indexOf(0x0a);
  const line = buf.subarray(0, nl < 0 ? Math.min(buf.length, 200) : Math.min(nl, 200));
  if (isHeaderLine(line)) return null;
  const shown = JSON.stringify(line.toString('latin1').replace(/\r$/, '')).replace(/[\x80-\xff]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);
  return `first header line is no "Name: value" field, not read: ${shown}`;
}

function hasHeaderBlock(bytes: Uint8Array): boolean {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let start = 0; start < buf.length; ) {
    let nl = buf.indexOf(0x0a, start);
    if (nl < 0) nl = buf.length;
    const line = buf.subarray(start, nl);
    if (line.length === 0 || (line.length === 1 && line[0] === 0x0d)) return false;
    if (isHeaderLine(line)) return true;
    start = nl + 1;
  }
  return false;
}

/**
 * Single-part text mail with no charset, or labelled UTF-8, that does not decode as
 * UTF-8 is nearly always Latin-1 / Windows-1252 (old Hotmail, Eudora). Retried as
 * that unless some of the text did decode as UTF-8 (then the label was right and a
 * few bytes are broken: keep UTF-8, warn).
 */
function latin1Retry(contentType: string | undefined, text: string): { type: string; declared: string } | null {
  const type = contentType ?? 'text/plain';
  if (!/^\s*text\/plain\b/i.test(type) || /[^\x00-\x7f\ufffd]/.test(text)) return null;
  const charset = /charset\s*=\s*"?([^\s";]+)/i.exec(type)?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) return null;
  const params = type.replace(/\s+/g, ' ').replace(/;\s*charset\s*=\s*("[^"]*"|[^\s;]+)/i, '');
  return { type: `${params}; charset=windows-1252`, declared: charset ? charset : 'UTF-8 (no charset declared)' };
}

/** First occurrence of each header (lower-case name -> raw unfolded value); only the fields read are there. */
function indexHeaders(headers: Header[]): Headers {
  const map = new Map<string, string>();
  for (const h of headers) if (!map.has(h.key)) map.set(h.key, h.value);
  return map;
}

interface Body {
  text: string;
  fromHtml: boolean;
  attachments: Attachment[];
  /** The charset label of a text/enriched body, decoded here rather than by the parser. */
  charset?: string;
}

function pickBody(email: Email, warnings: string[]): Body {
  const attachments: Attachment[] = [];
  let enriched: string | null = null;
  let charset: string | undefined;
  for (const a of email.attachments as (Email['attachments'][number] & { charset?: string })[]) {
    const content = toBytes(a.content);
    // postal-mime leaves text/enriched (old Eudora mail) as an attachment; it is the body.
    if (enriched === null && a.mimeType === 'text/enriched' && a.disposition !== 'attachment') {
      charset = a.charset; // kept by mime-parse.js
      enriched = decodeText(content, charset);
      continue;
    }
    attachments.push({
      filename: a.filename === null ? null : withoutControlChars(a.filename),
      contentType: a.mimeType,
      size: content.byteLength,
      sha256: createHash('sha256').update(content).digest('hex'),
      content,
    });
  }
  if (email.text) return { text: email.text, fromHtml: false, attachments };
  if (email.html) return { text: htmlToText(email.html), fromHtml: true, attachments };
  if (enriched !== null) {
    warnings.push('body converted from text/enriched');
    return { text: enrichedToText(enriched), fromHtml: false, attachments, charset };
  }
  return { text: '', fromHtml: false, attachments };
}

function toBytes(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

function flatten(list: PmAddress[]): Address[] {
  const out: Address[] = [];
  for (const a of list) {
    if (a.group) for (const member of a.group) out.push(normaliseAddress(member.name, member.address));
    else out.push(normaliseAddress(a.name, a.address));
  }
  return out;
}

function normaliseAddress(rawName: string, rawAddress: string): Address {
  const name = withoutControlChars(rawName);
  const address = withoutControlChars(rawAddress);
  const at = address.lastIndexOf('@');
  return {
    name: name.trim() || null,
    address: !address ? null : at < 0 ? address : address.slice(0, at) + address.slice(at).toLowerCase(),
  };
}

/**
 * A short list name: List-Id `<linux-mm.kvack.org>` -> `linux-mm`. Apache ids name the
 * project second (`<dev.maven.apache.org>`), so they become `maven-dev`, the name
 * mod_mbox archives use. Without List-Id: X-Mailing-List, List-Post, ezmlm's
 * Mailing-List, and for pipermail the `[List]` subject tag.
 */
function listHint(headers: Headers, pipermailSubject: string | null): string | null {
  const listId = headers.get('list-id');
  if (listId) {
    const id = (/<([^<>]+)>/.exec(listId)?.[1] ?? listId).trim();
    const name = shortName(withoutControlChars(id.includes('@') ? id.replace('@', '.') : id));
    if (name) return name;
  }
  for (const key of ['x-mailing-list', 'list-post', 'mailing-list'] as const) {
    const value = headers.get(key);
    const m = value && /([\w.+-]+)@([\w.-]+)/.exec(value);
    if (m) return shortName(`${key === 'mailing-list' ? m[1].replace(/-help$/, '') : m[1]}.${m[2]}`);
  }
  return pipermailSubject === null ? null : listFromSubject(pipermailSubject);
}

function shortName(id: string): string | null {
  const labels = id.toLowerCase().split('.').filter(Boolean);
  if (!labels.length) return null;
  if (labels.length >= 4 && labels.slice(-2).join('.') === 'apache.org') return `${labels[1]}-${labels[0]}`;
  return labels[0];
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** The charset labels this decode used: those of the text parts the parser decoded and of the encoded words in the top-level fields read. */
function charsetLabels(headers: Header[], partCharsets: Set<string>): Set<string> {
  const labels = new Set(partCharsets);
  for (const h of headers) {
    if (!h.value.includes('=?')) continue;
    for (const m of h.value.matchAll(/=\?([^?*\s]+)(?:\*[^?\s]*)?\?[bq]\?/gi)) labels.add(m[1].toLowerCase());
  }
  return labels;
}
