// postal-mime as decode.ts runs it: a faster line loop, one correction and RFC 3676
// reflow, applied to forwarded messages too. JavaScript because all of it overrides
// postal-mime internals that its type declarations leave out.
//
// postal-mime 4 keeps, at the end of every part that is not base64, the line break
// that RFC 2046 5.1.1 gives to the boundary delimiter: `abc\n--b` yields "abc\n", not
// "abc". For an attachment (a signature, a patch sent as text/x-patch) that breaks
// size and sha256, so the extra LF is cut. It hooks collectAttachment, a postal-mime
// internal; the corpus test that checks signature.asc against Python's sha256
// fails if an upgrade changes it.
//
// format=flowed: postal-mime reflows flowed text/plain parts itself but joins lines of
// different quote depth ("> a " + ">> b" gives "> a >> b"). Each such part is taken as
// sent and reflowed by reflowFlowed (lib/mail/flowed.ts), in the same parse: decode.ts
// used to parse every flowed message a second time for it (14% of the bench corpus).
//
// Charsets: postal-mime decodes with TextDecoder, which on Node 20 reads windows-1252
// (and iso-8859-1, us-ascii) as Latin-1 and falls short of the Encoding Standard in
// several CJK charsets (see lib/mail/charsets.ts). So text in any charset but UTF-8 is
// decoded by charsets.ts instead: a part's body (getTextContent, replaced per part),
// RFC 2047 encoded words in the header fields postal-mime decodes (re-encoded as UTF-8
// words before it sees them, see utf8Words), and RFC 2231 filenames. UTF-8, nearly all
// list mail, is left to postal-mime as before.
import PostalMime from 'postal-mime';
import { decodeAs, isUtf8, resolveCharset } from './charsets';
import { reflowFlowed } from './flowed';

class Parser extends PostalMime {
  constructor(options, fields) {
    super(options);
    /** The top-level header fields to parse (see parseMime); all when undefined. */
    this.fields = fields;
  }

  /** Charset labels of the text parts decoded, forwarded messages' included, for decode.ts's warnings. */
  charsets = new Set();

  /**
   * postal-mime 4.0.0's parse(), with a cheaper line loop: it scanned for line ends a byte
   * at a time and awaited processLine() for every line, though only boundary lines and
   * the last one do anything asynchronous. Here line ends are found with memchr
   * (Buffer#indexOf) and other lines go straight to the current node, which is what
   * processLine() does with them. About a third of the parse time on mailing-list mail.
   * Runs of header lines, and of body lines that reach the content as they are, go to
   * the node at once (feedHeaderLines, passesThrough): another 9% (tests/mail/mime-parse.test.ts
   * checks the result against postal-mime's own parse).
   */
  async parse(buf) {
    if (this.started) throw new Error('Can not reuse parser, create a new PostalMime object');
    this.started = true;
    this.buf = await this.resolveInput(buf);
    const av = (this.av = new Uint8Array(this.buf));
    const bytes = Buffer.from(this.buf);
    // The LF before the last line: the last line goes through processLine, which finishes the parse.
    const lastLf = bytes.lastIndexOf(0x0a, av.length - 2);
    for (let pos = 0; pos < av.length; ) {
      const node = this.currentNode;
      if (pos <= lastLf && (node.state === 'header' || passesThrough(node)) && !(av[pos] === 0x2d && av[pos + 1] === 0x2d && this.boundaries.length)) {
        // A run of lines, up to the next that may be a boundary, is read at once.
        let stop = this.boundaries.length ? bytes.indexOf(LF_DASHES, pos) : -1;
        if (stop < 0 || stop > lastLf) stop = lastLf;
        if (node.state === 'header') stop = this.feedHeaderLines(node, bytes, pos, stop);
        else node.feed(withoutLineEndCrs(av, pos, stop));
        if (stop >= pos) {
          this.readPos = pos = stop + 1;
          continue;
        }
      }
      const lf = bytes.indexOf(0x0a, pos);
      const next = lf < 0 ? av.length : lf + 1;
      let end = lf < 0 ? av.length : lf;
      while (end > pos && (av[end - 1] === 0x0d || av[end - 1] === 0x0a)) end--;
      const line = new Uint8Array(this.buf, pos, end - pos);
      const done = next >= av.length;
      this.readPos = pos = next;
      if (done || (line.length > 2 && line[0] === 0x2d && line[1] === 0x2d && this.boundaries.length)) await this.processLine(line, done);
      else this.currentNode.feed(line);
    }
    this.forceRfc822Attachments = Boolean(this.options.forceRfc822Attachments) || this.hasReportParts();
    await this.collectNode(this.root, false, false);
    this.renderTextContent();
    const message = this.buildMessage();
    this.encodeAttachments();
    return message;
  }

  /**
   * MimeNode#feed for the header lines from bytes[from] to the LF at `stop`, or to the first
   * empty line, which is left for feed() (it ends the block and parses the headers). They
   * are decoded as one string: a TextDecoder call per line was a tenth of the parse.
   * Returns the LF ending the last line taken (from - 1 if none).
   */
  feedHeaderLines(node, bytes, from, stop) {
    let end = from - 1;
    let size = 0;
    for (let at = from; at <= stop; ) {
      const lf = bytes.indexOf(0x0a, at);
      let e = lf;
      while (e > at && bytes[e - 1] === 0x0d) e--;
      if (e === at) break;
      size += e - at;
      end = lf;
      at = lf + 1;
    }
    if (end < from) return end;
    this.headerSize += size;
    if (this.headerSize > node.options.maxHeadersSize) throw new Error(`Maximum header size of ${node.options.maxHeadersSize} bytes exceeded`);
    const fields = node === this.root ? this.fields : undefined;
    for (const line of headerText.decode(bytes.subarray(from, end)).split('\n')) {
      if (fields && this.leftOut(node, line, fields)) continue;
      node.headerLines.push(line.endsWith('\r') ? line.replace(TRAILING_CRS, '') : line);
    }
    return end;
  }

  /**
   * Whether a top-level header line is left out of the parse: a field not in `fields`
   * nor a Content-* one, with its continuation lines. A line that is no field at all
   * stays, as postal-mime makes what it does of it.
   */
  leftOut(node, line, fields) {
    const c = line.charCodeAt(0);
    if (c === 32 || c === 9) return node.leavingOut === true;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : null;
    return (node.leavingOut = name !== null && !name.startsWith('content-') && !fields.has(name));
  }

  async collectNode(node, alternative, related) {
    const params = node.contentType.parsed.params;
    if (!node.contentType.multipart && !this.isInlineMessageRfc822(node) && this.isInlineTextNode(node) && params.charset?.trim()) {
      this.charsets.add(params.charset.trim().toLowerCase());
    }
    if (!node.contentType.multipart && params.charset && !isUtf8(params.charset)) {
      // postal-mime's getTextContent, with the bytes decoded by charsets.ts.
      const charset = resolveCharset(params.charset);
      node.getTextContent = () => {
        if (!node.content) return '';
        const text = decodeAs(node.content, charset);
        return /^flowed$/i.test(params.format ?? '') ? node.decodeFlowedText(text, /^yes$/i.test(params.delsp ?? '')) : text;
      };
    }
    if (!node.contentType.multipart && node.contentType.parsed.value === 'text/plain' && /^flowed$/i.test(params.format ?? '')) {
      const delSp = /^yes$/i.test(params.delsp ?? '');
      delete params.format; // postal-mime then returns the lines as sent
      const asSent = node.getTextContent.bind(node);
      node.getTextContent = () => reflowFlowed(asSent(), { delSp });
    }
    return super.collectNode(node, alternative, related);
  }

  /**
   * postal-mime 4.0.0's collectSubMessage(), but for the class of the nested parser: a
   * forwarded message (an inline message/rfc822 part) is read as the outer one is, its
   * flowed text reflowed and its attachments' LF fixed, and its charsets are known.
   */
  async collectSubMessage(node) {
    const subParser = new Parser({ ...this.mimeOptions, maxRfc822NestingDepth: this.maxRfc822NestingDepth, attachmentEncoding: 'arraybuffer' });
    subParser.rfc822NestingDepth = this.rfc822NestingDepth + 1;
    const subMessage = (node.subMessage = await subParser.parse(node.content || new ArrayBuffer(0)));
    for (const label of subParser.charsets) this.charsets.add(label);
    if (subMessage.text || !subMessage.html) this.addTextEntry(node, 'plain', { type: 'subMessage', value: subMessage });
    if (subMessage.html) this.addTextEntry(node, 'html', { type: 'subMessage', value: subMessage });
    subParser.textMap.forEach((entry, textNode) => this.textMap.set(textNode, entry));
    for (const attachment of subMessage.attachments) this.attachments.push(attachment);
  }

  /**
   * Also: a filename or description in encoded words or RFC 2231 of a charset other than
   * UTF-8 is decoded by charsets.ts (the node's parsed parameters are rewritten: this is
   * their last reader); a text attachment keeps its charset label (decode.ts reads a
   * text/enriched body with it).
   */
  collectAttachment(node, content, related, rfc822DepthExceeded) {
    const index = this.attachments.length;
    const disposition = node.contentDisposition.parsed.params;
    const type = node.contentType.parsed.params;
    const filename = legacyExtendedParam(node.contentDisposition.value, 'filename') ?? disposition.filename;
    if (filename) disposition.filename = utf8Words(filename);
    const name = legacyExtendedParam(node.contentType.value, 'name') ?? type.name;
    if (name) type.name = utf8Words(name);
    if (node.contentDescription) node.contentDescription = utf8Words(node.contentDescription);
    super.collectAttachment(node, content, related, rfc822DepthExceeded);
    const attachment = this.attachments[index];
    if (attachment && type.charset && attachment.mimeType?.startsWith('text/')) attachment.charset = type.charset;
    const inMultipart = node.parentNode !== undefined;
    if (attachment && inMultipart && node.contentTransferEncoding.encoding !== 'base64' && attachment.content instanceof ArrayBuffer) {
      const bytes = new Uint8Array(attachment.content);
      if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0a) attachment.content = attachment.content.slice(0, -1);
    }
  }

  /**
   * postal-mime's buildMessage decodes the encoded words of the top-level fields; those in
   * a charset other than UTF-8 are first re-encoded as UTF-8 words (utf8Words), and the
   * values as received are put back in the headers list that the message keeps.
   */
  buildMessage() {
    const headers = this.root.headers;
    const received = [];
    for (let i = 0; i < headers.length; i++) {
      const value = headers[i].value;
      const rewritten = utf8Words(value);
      if (rewritten !== value) {
        received.push([i, value]);
        headers[i].value = rewritten;
      }
    }
    if (!received.length) return super.buildMessage();
    try {
      const message = super.buildMessage();
      for (const [i, value] of received) message.headers[i].value = value;
      return message;
    } finally {
      for (const [i, value] of received) headers[i].value = value;
    }
  }
}

// postal-mime's grammar of an encoded word (decode-strings.ts).
const ENCODED_WORD = /=\?([^?\s]+)\?([QqBb])\?([^?]*)\?=/g;
const FOLDING = /^[ \t\r\n]*$/;

/**
 * `value` with every run of encoded words in a charset other than UTF-8 replaced by one
 * UTF-8 encoded word of the same text, decoded by charsets.ts; the value itself when it
 * has none. A run is words of one charset with only whitespace between them, decoded as
 * one byte string since a multi-byte character may be split across two words (and word
 * by word when that makes U+FFFD, as postal-mime does). A base64 word of UTF-8 is an
 * atom wherever the original word was, so address parsing sees the same structure.
 *
 * @param {string} value
 * @returns {string}
 */
export function utf8Words(value) {
  if (!value.includes('=?')) return value;
  let out = '';
  let from = 0;
  /** @type {{ start: number, end: number, label: string, words: Buffer[] } | null} */
  let run = null;
  const flush = () => {
    if (!run) return;
    out += value.slice(from, run.start) + `=?utf-8?B?${Buffer.from(decodeRun(run.words, run.label)).toString('base64')}?=`;
    from = run.end;
    run = null;
  };
  for (const m of value.matchAll(ENCODED_WORD)) {
    const star = m[1].indexOf('*');
    const label = (star < 0 ? m[1] : m[1].slice(0, star)).toLowerCase();
    if (isUtf8(label)) {
      flush();
      continue;
    }
    const end = m.index + m[0].length;
    const bytes = wordBytes(m[2], m[3]);
    if (run && run.label === label && FOLDING.test(value.slice(run.end, m.index))) {
      run.words.push(bytes);
      run.end = end;
    } else {
      flush();
      run = { start: m.index, end, label, words: [bytes] };
    }
  }
  flush();
  return from === 0 ? value : out + value.slice(from);
}

/** @param {Buffer[]} words @param {string} label */
function decodeRun(words, label) {
  const charset = resolveCharset(label);
  const joined = decodeAs(Buffer.concat(words), charset);
  if (words.length === 1 || !joined.includes('\ufffd')) return joined;
  return words.map((w) => decodeAs(w, charset)).join('');
}

/** An encoded word's bytes, as postal-mime's decodeWord reads them. */
function wordBytes(encoding, text) {
  if (encoding === 'B' || encoding === 'b') return Buffer.from(text.replace(/[^a-zA-Z0-9+/=]+/g, ''), 'base64');
  return percentBytes(text.replace(/=\s+([0-9a-fA-F])/g, '=$1').replace(/[_\s]/g, ' '), 0x3d);
}

/** `text` as bytes, with `%XX` (or `=XX`) escapes decoded and other characters in UTF-8. */
function percentBytes(text, escape) {
  const src = Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const hi = src[i] === escape && i + 2 < src.length ? hexValue(src[i + 1]) : -1;
    const lo = hi >= 0 ? hexValue(src[i + 2]) : -1;
    if (lo >= 0) {
      out[n++] = (hi << 4) | lo;
      i += 2;
    } else out[n++] = src[i];
  }
  return out.subarray(0, n);
}

function hexValue(c) {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/**
 * An RFC 2231 parameter (`name*=charset'lang'%XX..`, or in sections `name*0*=`, `name*1=`)
 * of the raw header value, decoded, when its charset is not UTF-8; else undefined, and
 * postal-mime's decoding stands.
 *
 * @param {string | undefined} header
 * @param {string} name
 * @returns {string | undefined}
 */
function legacyExtendedParam(header, name) {
  if (!header || !header.includes('*')) return undefined;
  const sections = [];
  const re = new RegExp(`;\\s*${name}\\*(\\d+)?(\\*)?\\s*=\\s*("(?:[^"\\\\]|\\\\.)*"|[^;\\s]*)`, 'gi');
  for (const m of header.matchAll(re)) {
    const quoted = m[3].startsWith('"');
    const value = quoted ? m[3].slice(1, -1).replace(/\\(.)/g, '$1') : m[3];
    sections.push({ nr: m[1] === undefined ? 0 : Number(m[1]), encoded: m[1] === undefined || m[2] !== undefined, value });
  }
  sections.sort((a, b) => a.nr - b.nr);
  const first = sections[0];
  const head = first?.nr === 0 && first.encoded ? /^([^']*)'[^']*'(.*)$/.exec(first.value) : null;
  if (!head || !head[1] || isUtf8(head[1])) return undefined;
  first.value = head[2];
  const charset = resolveCharset(head[1]);
  let text = '';
  let pending = '';
  for (const s of sections) {
    if (s.encoded) {
      pending += s.value;
      continue;
    }
    if (pending) text += decodeAs(percentBytes(pending, 0x25), charset);
    pending = '';
    text += s.value;
  }
  return pending ? text + decodeAs(percentBytes(pending, 0x25), charset) : text;
}

const LF_DASHES = Buffer.from('\n--');
// As postal-mime decodes header lines.
const headerText = new TextDecoder('utf-8', { ignoreBOM: true });
const TRAILING_CRS = /\r+$/;

/**
 * Whether a part's body bytes reach its content as they are: postal-mime's PassThroughDecoder
 * (any transfer encoding but base64 and quoted-printable, as its setupContentDecoder picks)
 * keeps each line it is fed and a LF after it, so a run of lines can be fed as one.
 */
function passesThrough(node) {
  if (node.state !== 'body' || !node.contentDecoder) return false;
  return (node.passesThrough ??= !/base64|quoted-printable/i.test(node.contentTransferEncoding.encoding));
}

/** bytes[from, to) with the CRs at the ends of its lines dropped, as the line loop drops them. */
function withoutLineEndCrs(bytes, from, to) {
  const run = bytes.subarray(from, to);
  if (run.indexOf(0x0d) < 0) return run;
  const out = new Uint8Array(run.length);
  let n = 0;
  for (let i = 0; i < run.length; i++) {
    const c = run[i];
    if (c !== 0x0d) {
      out[n++] = c;
      continue;
    }
    let j = i;
    while (j < run.length && run[j] === 0x0d) j++;
    if (j < run.length && run[j] !== 0x0a) while (i < j) out[n++] = run[i++];
    i = j - 1;
  }
  return out.subarray(0, n);
}

/**
 * @typedef {object} ParsedMime
 * @property {import('postal-mime').Email} email
 * @property {Set<string>} charsets charset labels of the text parts decoded, forwarded messages' included
 */

/**
 * `fields`, when given, names (in lower case) the top-level header fields to parse; the
 * rest, but for the Content-* fields that shape the MIME tree, never reach postal-mime.
 * List mail carries dozens of transport fields (Received, DKIM-Signature, X-*) that it
 * would unfold and decode, and parse as addresses (Delivered-To, Return-Path): on the
 * bench corpus that was 10% of the decode workers' CPU time and 28% of what they allocate.
 *
 * @param {Uint8Array | ArrayBuffer} bytes
 * @param {import('postal-mime').PostalMimeOptions} options
 * @param {ReadonlySet<string>} [fields]
 * @returns {Promise<ParsedMime>}
 */
export async function parseMime(bytes, options, fields) {
  const parser = new Parser(options, fields);
  const email = await parser.parse(bytes);
  return { email, charsets: parser.charsets };
}
