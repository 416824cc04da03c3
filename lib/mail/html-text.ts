/**
 * HTML (and text/enriched) to plain text. The body we store is always text; these
 * turn HTML-only mail and pipermail article pages into it: tags stripped, script,
 * style and head dropped, entities decoded, block elements kept as line breaks.
 */
import { NAMED_ENTITIES } from './html-entities';

// HTML 5 maps these numeric references to Windows-1252 characters (old mailers emit &#146;).
const C1_REMAP: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020,
  0x87: 0x2021, 0x88: 0x02c6, 0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152,
  0x8e: 0x017d, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022,
  0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc, 0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a,
  0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));?/g, (all, dec, hex, name) => {
    if (name !== undefined) {
      const cp = NAMED_ENTITIES[name];
      return cp === undefined ? all : String.fromCodePoint(cp);
    }
    let cp = dec !== undefined ? parseInt(dec, 10) : parseInt(hex, 16);
    cp = C1_REMAP[cp] ?? cp;
    if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
    return String.fromCodePoint(cp);
  });
}

/** Elements whose content is never text. */
const DROP = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'svg', 'object']);
/** Elements that end a paragraph (blank line) or a line. */
const PARAGRAPH = new Set(['p', 'div', 'blockquote', 'pre', 'table', 'ul', 'ol', 'dl', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'section', 'article', 'header', 'footer', 'form', 'center', 'address']);
const LINE = new Set(['br', 'tr', 'dt', 'dd', 'option', 'caption']);

const TOKEN = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b(?:[^>"']|"[^"]*"|'[^']*')*>|<![^>]*>|<\?[^>]*>/g;

export function htmlToText(html: string): string {
  const out: string[] = [];
  let dropping: string | null = null;
  let pre = 0;
  let last = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(html); ; m = TOKEN.exec(html)) {
    const end = m ? m.index : html.length;
    if (dropping === null && end > last) {
      const text = html.slice(last, end);
      if (pre > 0) out.push(decodeEntities(text));
      else {
        // Outside <pre> HTML whitespace collapses (not &nbsp;), and a line does not start with it.
        const collapsed = decodeEntities(text.replace(/[ \t\n\r\f]+/g, ' '));
        const prev = out.length ? out[out.length - 1] : '\n';
        const t = prev.endsWith('\n') || prev.endsWith(' ') ? collapsed.trimStart() : collapsed;
        if (t) out.push(t);
      }
    }
    if (!m) break;
    last = TOKEN.lastIndex;
    const name = m[2]?.toLowerCase();
    if (!name) continue; // comment, doctype, processing instruction
    const closing = m[1] === '/';
    if (dropping !== null) {
      if (closing && name === dropping) dropping = null;
      continue;
    }
    if (DROP.has(name)) {
      if (!closing && !m[0].endsWith('/>')) dropping = name;
      continue;
    }
    if (name === 'pre') pre = Math.max(0, pre + (closing ? -1 : 1));
    if (PARAGRAPH.has(name)) out.push('\n\n');
    else if (name === 'li') {
      if (!closing) out.push('\n* ');
    } else if (LINE.has(name) && !closing) out.push('\n');
    else if ((name === 'td' || name === 'th') && !closing) out.push(' ');
  }
  return tidy(out.join(''));
}

/** LF line ends, no trailing spaces, at most one blank line in a row, none at the ends. */
function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/^\s*\n/, '')
    .trimEnd();
}

/**
 * text/enriched (RFC 1896) to text: `<<` is a literal `<`, <param> content is not
 * text, other commands are dropped; a lone newline is a space, n newlines are n-1.
 */
export function enrichedToText(enriched: string): string {
  const noCommands = enriched
    .replace(/\r\n/g, '\n')
    .replace(/<param>[\s\S]*?<\/param>/gi, '')
    .replace(/<<|<[^<>]*>/g, (t) => (t === '<<' ? '<' : ''));
  return tidy(noCommands.replace(/\n+/g, (nl) => (nl.length === 1 ? ' ' : nl.slice(1))));
}
