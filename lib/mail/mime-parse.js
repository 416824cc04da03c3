// postal-mime with one correction, shared by decode.ts and decode-worker.mjs (plain
// JavaScript because worker threads get no TypeScript loader).
//
// postal-mime 4 keeps, at the end of every part that is not base64, the line break
// that RFC 2046 5.1.1 gives to the boundary delimiter: `abc\n--b` yields "abc\n", not
// "abc". For an attachment (a signature, a patch sent as text/x-patch) that breaks
// size and sha256, so the extra LF is cut. It hooks collectAttachment, a postal-mime
// internal; the corpus test that checks signature.asc against Python's sha256
// fails if an upgrade changes it.
import PostalMime from 'postal-mime';

class Parser extends PostalMime {
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
 * @param {Uint8Array} bytes
 * @param {import('postal-mime').PostalMimeOptions} options
 * @returns {Promise<import('postal-mime').Email>}
 */
export function parseMime(bytes, options) {
  return new Parser(options).parse(bytes);
}
