/**
 * Charset label + bytes -> text, for every place mail text is decoded (MIME parts and
 * encoded words in lib/mail/mime-parse.js, text/enriched bodies in decode.ts, pipermail
 * pages). UTF-8 and UTF-16 go through TextDecoder; everything else through iconv-lite,
 * but ISO-2022-JP, which iconv-lite lacks (TextDecoder decodes it right).
 *
 * Why not TextDecoder for all of it: Node 20's TextDecoder decodes windows-1252 (and so
 * iso-8859-1 and us-ascii, which the Encoding Standard reads as windows-1252) as Latin-1,
 * turning 0x80-0x9F into C1 controls ("don\x92t" for "don’t"); and its ICU decoders for
 * euc-kr (no UHC extension), gbk (no €) and big5 (no HKSCS) fall short of the Encoding
 * Standard too. A build of Node without full ICU has none of the legacy decoders at all.
 *
 * Labels mean what the WHATWG Encoding Standard says they mean (the table below), as they
 * do to browsers and mail clients: `iso-8859-1` and `us-ascii` are windows-1252,
 * `iso-8859-9` is windows-1254, `gb2312` is GBK (decoded by the GB18030 decoder), `euc-kr`
 * is UHC, `big5` is Big5-HKSCS. Labels outside it are looked up in iconv-lite (cp437,
 * cp850, utf-7 ...), as written and then without an `x-`/`cs` prefix and separators,
 * as postal-mime normalises them. ISO-2022-JP, which iconv-lite lacks, stays on
 * TextDecoder. Anything else is unknown: decoded as windows-1252, and
 * resolveCharset(label).known is false so that the caller can warn.
 */
import { isAscii } from 'node:buffer';
import iconv from 'iconv-lite';

export interface Charset {
  /** The label as looked up: trimmed, lower-cased, without an RFC 2231 `*language`. */
  label: string;
  /** What the bytes are decoded as: a TextDecoder encoding when `native`, else an iconv-lite codec. */
  encoding: string;
  native: boolean;
  /** Bytes 0x00-0x7F are ASCII in it (every charset of the Encoding Standard but UTF-16 and ISO-2022-JP). */
  ascii: boolean;
  /** False when nothing knew the label: the bytes are then decoded as windows-1252. */
  known: boolean;
}

// The WHATWG Encoding Standard's labels (https://encoding.spec.whatwg.org/encodings.json),
// by the decoder each is read with here. `native` ones go to TextDecoder.
const LABELS: [encoding: string, labels: string][] = [
  ['utf-8', 'unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8'],
  ['cp866', '866 cp866 csibm866 ibm866'],
  ['iso-8859-2', 'csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 iso_8859-2:1987 l2 latin2'],
  ['iso-8859-3', 'csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 iso_8859-3:1988 l3 latin3'],
  ['iso-8859-4', 'csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 iso_8859-4:1988 l4 latin4'],
  ['iso-8859-5', 'csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 iso_8859-5 iso_8859-5:1988'],
  ['iso-8859-6', 'arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 iso_8859-6 iso_8859-6:1987'],
  ['iso-8859-7', 'csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek'],
  // ISO-8859-8-I (logical order) has the same code points as ISO-8859-8 (visual order).
  ['iso-8859-8', 'csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual csiso88598i iso-8859-8-i logical'],
  ['iso-8859-10', 'csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6'],
  ['iso-8859-13', 'iso-8859-13 iso8859-13 iso885913'],
  ['iso-8859-14', 'iso-8859-14 iso8859-14 iso885914'],
  ['iso-8859-15', 'csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9'],
  ['iso-8859-16', 'iso-8859-16'],
  ['koi8-r', 'cskoi8r koi koi8 koi8-r koi8_r'],
  ['koi8-u', 'koi8-ru koi8-u'],
  ['macintosh', 'csmacintosh mac macintosh x-mac-roman'],
  ['maccyrillic', 'x-mac-cyrillic x-mac-ukrainian'],
  ['windows-874', 'dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874'],
  ['windows-1250', 'cp1250 windows-1250 x-cp1250'],
  ['windows-1251', 'cp1251 windows-1251 x-cp1251'],
  ['windows-1252', 'ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii windows-1252 x-cp1252'],
  ['windows-1253', 'cp1253 windows-1253 x-cp1253'],
  ['windows-1254', 'cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254'],
  ['windows-1255', 'cp1255 windows-1255 x-cp1255'],
  ['windows-1256', 'cp1256 windows-1256 x-cp1256'],
  ['windows-1257', 'cp1257 windows-1257 x-cp1257'],
  ['windows-1258', 'cp1258 windows-1258 x-cp1258'],
  // GBK's decoder is GB18030's, a superset: mail labelled gb2312 often holds GBK.
  ['gb18030', 'chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk gb18030'],
  ['big5hkscs', 'big5 big5-hkscs cn-big5 csbig5 x-x-big5'],
  ['euc-jp', 'cseucpkdfmtjapanese euc-jp x-euc-jp'],
  ['iso-2022-jp', 'csiso2022jp iso-2022-jp'],
  ['shiftjis', 'csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis'],
  ['cp949', 'cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 ksc5601 ksc_5601 windows-949'],
  ['utf-16be', 'unicodefffe utf-16be'],
  ['utf-16le', 'csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le'],
  // The "replacement" labels (iso-2022-kr, hz-gb-2312, iso-2022-cn) are left out: the
  // standard decodes them to one U+FFFD. Here they are unknown, with a warning.
];

const NATIVE = new Set(['utf-8', 'utf-16le', 'utf-16be', 'iso-2022-jp']);
const NOT_ASCII = new Set(['utf-16le', 'utf-16be', 'iso-2022-jp']);

/** The decorations mail clients add to a standard label: x-, cs- prefixes, separators (x-euc-jp, x_sjis, ISO8859_1). */
const normalise = (label: string): string => label.replace(/^(?:x-ms-|x-|cs)/, '').replace(/[\s._:-]+/g, '');

const WHATWG = new Map<string, string>();
const NORMALISED = new Map<string, string>([
  // Labels outside the standard that postal-mime also knew.
  ['iso2022jp1', 'iso-2022-jp'],
  ['iso2022jp2', 'iso-2022-jp'],
  ['junet', 'iso-2022-jp'],
  ['uhc', 'cp949'],
]);
for (const [encoding, labels] of LABELS) {
  for (const label of labels.split(' ')) {
    WHATWG.set(label, encoding);
    if (!NORMALISED.has(normalise(label))) NORMALISED.set(normalise(label), encoding);
  }
}

/** Windows code pages as numbers (cp936, windows-932, ms949, ibm874), where the standard has their charset. */
const CODE_PAGES = new Map([
  ['874', 'windows-874'],
  ['932', 'shiftjis'],
  ['936', 'gb18030'],
  ['949', 'cp949'],
  ['950', 'big5hkscs'],
  ['51932', 'euc-jp'],
  ['50220', 'iso-2022-jp'],
  ['50221', 'iso-2022-jp'],
  ['50222', 'iso-2022-jp'],
]);
const CODE_PAGE = /^(?:cp|windows|ms|ibm)(\d+)$/;

/** iconv-lite codecs that are not text charsets: a part labelled `base64` is not decoded as base64. */
const NOT_CHARSETS = new Set(['base64', 'base64url', 'hex', 'binary']);

const FALLBACK = 'windows-1252';
/** The single-byte Windows code pages, as named here or by iconv-lite. */
const WINDOWS_SBCS = /^(?:windows-?|cp)(?:125\d|874)$/;
const UTF8: Charset = { label: 'utf-8', encoding: 'utf-8', native: true, ascii: true, known: true };

// Labels come from the mail, so the cache is emptied rather than let grow without bound.
const cache = new Map<string, Charset>();
const MAX_CACHED = 512;

/** What `label` (a MIME charset parameter or an encoded word's) is decoded as; no label is UTF-8. */
export function resolveCharset(label: string | null | undefined): Charset {
  if (!label) return UTF8;
  let charset = cache.get(label);
  if (charset === undefined) {
    if (cache.size >= MAX_CACHED) cache.clear();
    charset = lookUp(label);
    cache.set(label, charset);
  }
  return charset;
}

/** Whether something here decodes `label` (else it is decoded as windows-1252). */
export function isKnownCharset(label: string | null | undefined): boolean {
  return resolveCharset(label).known;
}

/** Whether `label` is read as UTF-8 (postal-mime's own decoding is then right). */
export function isUtf8(label: string | null | undefined): boolean {
  return resolveCharset(label).encoding === 'utf-8';
}

function lookUp(raw: string): Charset {
  let label = raw.trim().toLowerCase();
  const star = label.indexOf('*'); // RFC 2231 language: `utf-8*en`
  if (star > 0) label = label.slice(0, star);
  label = label.replace(/^["']+|["']+$/g, '');
  if (!label) return UTF8;
  const unknown: Charset = { label, encoding: FALLBACK, native: false, ascii: true, known: false };
  const standard = (encoding: string): Charset =>
    // ISO-2022-JP is TextDecoder's, which a Node built without full ICU lacks.
    NATIVE.has(encoding) && !hasTextDecoder(encoding) ? unknown : { label, encoding, native: NATIVE.has(encoding), ascii: !NOT_ASCII.has(encoding), known: true };
  // Only iconv-lite knows these (cp437, utf-7, EBCDIC's cp037 ...): no shortcut for ASCII.
  const other = (encoding: string): Charset => ({ label, encoding, native: false, ascii: false, known: true });

  const whatwg = WHATWG.get(label);
  if (whatwg) return standard(whatwg);
  const normalised = normalise(label);
  const near = NORMALISED.get(normalised);
  if (near) return standard(near);
  const codePage = CODE_PAGE.exec(normalised)?.[1];
  const windows = codePage === undefined ? undefined : CODE_PAGES.get(codePage);
  if (windows) return standard(windows);
  if (inIconv(label)) return other(label);
  if (inIconv(normalised)) return other(normalised);
  if (codePage !== undefined && inIconv(`cp${codePage}`)) return other(`cp${codePage}`);
  return unknown;
}

function hasTextDecoder(encoding: string): boolean {
  try {
    new TextDecoder(encoding);
    return true;
  } catch {
    return false;
  }
}

function inIconv(label: string): boolean {
  return !NOT_CHARSETS.has(label.replace(/[^0-9a-z]/g, '')) && iconv.encodingExists(label);
}

const textDecoders = new Map<string, TextDecoder>();
const C1 = /[\x80-\x9f]/;

/**
 * `bytes` as text in the charset `label` names (UTF-8 when none). Never throws: bytes
 * that do not decode become U+FFFD, an unknown label decodes as windows-1252 (see
 * resolveCharset to warn of it).
 */
export function decodeText(bytes: Uint8Array | ArrayBuffer, label?: string | null): string {
  return decodeAs(bytes, resolveCharset(label));
}

export function decodeAs(bytes: Uint8Array | ArrayBuffer, charset: Charset): string {
  if (charset.native) {
    let decoder = textDecoders.get(charset.encoding);
    if (!decoder) textDecoders.set(charset.encoding, (decoder = new TextDecoder(charset.encoding)));
    return decoder.decode(bytes);
  }
  const buf = bytes instanceof ArrayBuffer ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Most text labelled us-ascii or iso-8859-1 is ASCII: no need to go through a table for it.
  if (charset.ascii && isAscii(buf)) return buf.toString('latin1');
  if (charset.encoding === 'windows-1252') {
    // windows-1252 is Latin-1 but for 0x80-0x9F; Latin-1 is Node's fastest decode.
    const latin1 = buf.toString('latin1');
    if (!C1.test(latin1)) return latin1;
  }
  const text = iconv.decode(buf, charset.encoding);
  return WINDOWS_SBCS.test(charset.encoding) ? undefinedAsC1(buf, text) : text;
}

/**
 * The bytes of 0x80-0x9F that a Windows code page leaves undefined (in windows-1252:
 * 0x81 0x8D 0x8F 0x90 0x9D) as the C1 control of the same number, not U+FFFD: that is
 * what Windows itself (MultiByteToWideChar), the Encoding Standard's indexes and ICU give,
 * so the text is the same on any Node, and the byte is kept. iconv-lite gives U+FFFD. A
 * single-byte decode makes one UTF-16 unit per byte, so text[i] is bytes[i]'s.
 */
function undefinedAsC1(bytes: Uint8Array, text: string): string {
  if (!text.includes('\ufffd') || text.length !== bytes.length) return text;
  let out = '';
  let from = 0;
  for (let i = text.indexOf('\ufffd'); i >= 0; i = text.indexOf('\ufffd', i + 1)) {
    const b = bytes[i];
    if (b < 0x80 || b > 0x9f) continue;
    out += text.slice(from, i) + String.fromCharCode(b);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
