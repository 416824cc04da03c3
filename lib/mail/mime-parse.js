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
// sent and reflowed by reflowFlowed (lib/quote/flowed.ts), in the same parse: decode.ts
// used to parse every flowed message a second time for it (14% of the bench corpus).
import PostalMime from 'postal-mime';
import { reflowFlowed } from '../quote/flowed';

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

  collectAttachment(node, content, related, rfc822DepthExceeded) {
    const index = this.attachments.length;
    super.collectAttachment(node, content, related, rfc822DepthExceeded);
    const attachment = this.attachments[index];
    const inMultipart = node.parentNode !== undefined;
    if (attachment && inMultipart && node.contentTransferEncoding.encoding !== 'base64' && attachment.content instanceof ArrayBuffer) {
      const bytes = new Uint8Array(attachment.content);
      if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0a) attachment.content = attachment.content.slice(0, -1);
    }
  }
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
