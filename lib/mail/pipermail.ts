/**
 * Mailman 2 pipermail archives: article pages (HTML), their plain-text copies, and
 * monthly archives (`2010-December.txt[.gz]`). Pipermail hides addresses as
 * `npiggin at gmail.com` and prints dates in the server's local zone; both are undone
 * here. Article pages and copies carry no RFC 5322 header block, so the reader fills
 * RawMessage.pipermail with what the page shows.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { decodeText, isKnownCharset } from './charsets';
import { parseMailDate } from './dates';
import { decodeEntities, htmlToText } from './html-text';
import { MAX_MESSAGE_BYTES } from './limits';
import { referencedIds } from './message-id';
import { splitMbox, warnOnError, type ReaderOptions } from './mbox';
import { MalformedMessage, type Address, type ArchiveFormat, type PipermailFields, type RawMessage } from './types';

const OBFUSCATED = /^([^\s@<>()]+) at ([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/;

/** `npiggin at gmail.com` -> `npiggin@gmail.com` (domain lower-cased); anything else unchanged. */
export function deobfuscate(address: string): string {
  const m = OBFUSCATED.exec(address.trim());
  return m ? `${m[1]}@${m[2].toLowerCase()}` : address;
}

/** Rewrites every obfuscated address in a header value (`a at b.org (Name)` -> `a@b.org (Name)`). */
export { deobfuscateText as deobfuscateHeader } from './obfuscation';

/** `[Ocfs2-devel] Confused by ...` (after any Re:) -> `ocfs2-devel`; tags like [PATCH] are not lists. */
export function listFromSubject(subject: string): string | null {
  const m = /^(?:\s*(?:re|fwd?|aw|sv)\s*(?:\[\d+\])?:)*\s*\[([A-Za-z0-9][\w.+-]*)\]/i.exec(subject);
  if (!m || /^(patch|rfc|git|pull|announce)\b/i.test(m[1])) return null;
  return m[1].toLowerCase();
}

/** The author line of a text copy: `Nick Piggin npiggin at gmail.com` (name may be empty). */
export function parseAuthor(line: string): Address {
  const m = /^(.*?)\s*(\S+ at \S+)\s*$/.exec(line.trim());
  if (!m) return { name: line.trim() || null, address: null };
  const address = deobfuscate(m[2]);
  return { name: m[1] || null, address: address.includes('@') ? address : null };
}

const FOOTER = /\n*\s*More information about the (\S+)\s+mailing list\s*$/;
const PAGE_DATE = /^\w{3} \w{3} +\d{1,2} \d{1,2}:\d{2}:\d{2} (?:[A-Za-z]{1,5} )?\d{4}\s*$/;

/** True when `head` (start of a .txt file) has the shape of a pipermail article copy. */
export function looksLikePipermailText(head: string): boolean {
  const lines = head.split(/\r?\n/, 5);
  return lines.length >= 4 && lines[0].trim() !== '' && lines[1].trim() === '' && / at \S+\.\S+\s*$/.test(lines[2]) && PAGE_DATE.test(lines[3]);
}

async function readSmall(path: string, onError: (e: MalformedMessage) => void): Promise<Buffer | null> {
  try {
    const { size } = await stat(path);
    if (size > MAX_MESSAGE_BYTES) {
      onError(new MalformedMessage(path, 0, `file of ${size} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte message limit; skipped`));
      return null;
    }
    return await readFile(path);
  } catch (err) {
    onError(new MalformedMessage(path, 0, `unreadable: ${(err as Error).message}`));
    return null;
  }
}

/** A plain-text copy of an article page: subject, blank, author, date, then the body. */
export async function* readPipermailText(path: string, options: ReaderOptions = {}): AsyncGenerator<RawMessage> {
  const onError = options.onError ?? warnOnError;
  const raw = await readSmall(path, onError);
  if (!raw) return;
  const text = raw.toString('utf8').replace(/\r\n/g, '\n');
  const lines = text.split('\n');
  if (!looksLikePipermailText(text)) {
    onError(new MalformedMessage(path, 0, 'not a pipermail article copy (expected subject, blank line, author, date)'));
    return;
  }
  let body = lines.slice(4).join('\n');
  const footer = FOOTER.exec(body);
  if (footer) body = body.slice(0, footer.index);
  const subject = lines[0].trim();
  const fields: PipermailFields = {
    list: footer ? footer[1].toLowerCase() : listFromSubject(subject),
    subject,
    from: parseAuthor(lines[2]),
    date: parseMailDate(lines[3]).iso,
    body: body.replace(/^\s*\n/, '').trimEnd(),
  };
  yield { source: path, offset: 0, raw, pipermail: fields, format: 'pipermail-text' };
}

const first = (re: RegExp, s: string): string | null => re.exec(s)?.[1] ?? null;

/** A Mailman 2 article page (`007492.html`). */
export async function* readPipermailArticle(path: string, options: ReaderOptions = {}): AsyncGenerator<RawMessage> {
  const onError = options.onError ?? warnOnError;
  const raw = await readSmall(path, onError);
  if (!raw) return;
  const fields = parseArticle(decodeHtmlBytes(raw));
  if (!fields) {
    onError(new MalformedMessage(path, 0, 'not a pipermail article page (no <!--beginarticle--> / <H1>)'));
    return;
  }
  yield { source: path, offset: 0, raw, pipermail: fields, format: 'pipermail-article' };
}

/** The charset an article page declares in its <META> tag (Mailman wrote us-ascii, iso-8859-1 or utf-8), if any. */
export function pageCharset(raw: Uint8Array): string | null {
  const head = Buffer.from(raw.buffer, raw.byteOffset, Math.min(raw.byteLength, 4096)).toString('latin1');
  return first(/<meta[^>]+charset=["']?([\w.:-]+)/i, head);
}

/** A page in its declared charset (us-ascii and iso-8859-1 read as windows-1252, see charsets.ts); UTF-8 when it declares none or one unknown (decode.ts warns). */
function decodeHtmlBytes(raw: Buffer): string {
  const label = pageCharset(raw);
  return decodeText(raw, label && isKnownCharset(label) ? label : 'utf-8');
}

export function parseArticle(html: string): PipermailFields | null {
  const begin = html.search(/<!--beginarticle-->/i);
  const h1 = first(/<h1>([\s\S]*?)<\/h1>/i, html);
  if (begin < 0 || h1 === null) return null;
  const end = html.search(/<!--endarticle-->/i);
  const head = html.slice(0, begin);
  const subject = htmlToText(h1).replace(/\s+/g, ' ').trim();
  const name = first(/<b>([^<]*)<\/b>\s*<a\s[^>]*href="?mailto:/i, head);
  const shown = first(/<a\s[^>]*href="?mailto:[^>]*>([\s\S]*?)<\/a>/i, head);
  const href = first(/<a\s[^>]*href="(mailto:[^"]*)"/i, head);
  const date = first(/<i>([^<]*)<\/i>/i, head);
  const address = shown ? deobfuscate(decodeEntities(shown).trim()) : null;
  let inReplyTo: string | null = null;
  if (href) {
    try {
      inReplyTo = referencedIds(new URL(decodeEntities(href)).searchParams.get('In-Reply-To'))[0] ?? null;
    } catch {
      inReplyTo = null;
    }
  }
  const footer = /More information about the\s+(\S+)\s+mailing list/i.exec(html.slice(end < 0 ? begin : end));
  return {
    list: footer ? footer[1].toLowerCase() : listFromSubject(subject),
    subject,
    from: {
      name: name ? decodeEntities(name).trim() || null : null,
      address: address && address.includes('@') ? address : null,
    },
    date: date ? parseMailDate(decodeEntities(date)).iso : null,
    body: htmlToText(html.slice(begin, end < 0 ? undefined : end)),
    inReplyTo,
  };
}

/** A monthly archive, `YYYY-Month.txt` or `.txt.gz`: an mbox with obfuscated addresses. */
export function readPipermailMonthly(path: string, options: ReaderOptions = {}): AsyncGenerator<RawMessage> {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const format: ArchiveFormat = 'pipermail-monthly';
  if (!path.endsWith('.gz')) return splitMbox(file, path, options, format);
  const gunzip = createGunzip();
  // A read error on the file must reach the consumer of the gunzip stream.
  file.on('error', (err) => gunzip.destroy(err));
  // Offsets are then positions in the uncompressed text, which is what a reader can seek.
  return splitMbox(file.pipe(gunzip), path, options, format);
}
