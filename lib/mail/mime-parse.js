// postal-mime as decode.ts runs it: a faster line loop, one correction and RFC 3676
// reflow. JavaScript because all three override postal-mime internals that its type
// declarations leave out.
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
  /** Charset labels of the text parts decoded, for decode.ts's warnings. */
  charsets = new Set();
  /** The bytes of inline message/rfc822 parts: postal-mime parses them with a parser of its own. */
  nested = [];

  /**
   * postal-mime 4.0.0's parse(), with a cheaper line loop: it scanned for line ends a byte
   * at a time and awaited processLine() for every line, though only boundary lines and
   * the last one do anything asynchronous. Here line ends are found with memchr
   * (Buffer#indexOf) and other lines go straight to the current node, which is what
   * processLine() does with them. About a third of the parse time on mailing-list mail.
   */
  async parse(buf) {
    if (this.started) throw new Error('Can not reuse parser, create a new PostalMime object');
    this.started = true;
    this.buf = await this.resolveInput(buf);
    const av = (this.av = new Uint8Array(this.buf));
    const bytes = Buffer.from(this.buf);
    for (let pos = 0; pos < av.length; ) {
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

  async collectNode(node, alternative, related) {
    const params = node.contentType.parsed.params;
    if (!node.contentType.multipart) {
      if (this.isInlineMessageRfc822(node)) this.nested.push(new Uint8Array(node.content ?? 0));
      else if (this.isInlineTextNode(node) && params.charset?.trim()) this.charsets.add(params.charset.trim().toLowerCase());
    }
    if (!node.contentType.multipart && node.contentType.parsed.value === 'text/plain' && /^flowed$/i.test(params.format ?? '')) {
      const delSp = /^yes$/i.test(params.delsp ?? '');
      delete params.format; // postal-mime then returns the lines as sent
      const asSent = node.getTextContent.bind(node);
      node.getTextContent = () => reflowFlowed(asSent(), { delSp });
    }
    return super.collectNode(node, alternative, related);
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

/**
 * @typedef {object} ParsedMime
 * @property {import('postal-mime').Email} email
 * @property {Set<string>} charsets charset labels of the text parts decoded
 * @property {Uint8Array[]} nested inline message/rfc822 parts, parsed apart by postal-mime
 */

/**
 * @param {Uint8Array} bytes
 * @param {import('postal-mime').PostalMimeOptions} options
 * @returns {Promise<ParsedMime>}
 */
export async function parseMime(bytes, options) {
  const parser = new Parser(options);
  const email = await parser.parse(bytes);
  return { email, charsets: parser.charsets, nested: parser.nested };
}
