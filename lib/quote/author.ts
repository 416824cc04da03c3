/**
 * The author part of an attribution line or a quoted `From:` header:
 * `Name <addr>`, `"Name" <addr>`, `<addr>`, `Name (addr)`, `Name`, with
 * pipermail's obfuscated addresses (`x at y.org`) read back. A name must
 * look like a name, not prose. Pure: no I/O.
 */
import { deobfuscateText } from '../mail/obfuscation';

export { deobfuscateText as deobfuscateAddress };

/** Who an attribution names. */
export interface Author {
  name: string | null;
  address: string | null;
}

const ADDRESS = /^([^\s<>()@",;]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)$/;

/** `local@domain` (de-obfuscated, `mailto:` dropped, domain lower-cased), or null when the text is no address. */
export function normaliseAddress(text: string): string | null {
  const m = ADDRESS.exec(deobfuscateText(text.trim()).replace(/^mailto:/i, ''));
  return m ? `${m[1]}@${m[2]!.toLowerCase()}` : null;
}

/** Words of prose that no display name contains ("de", "van", "bin" and the like are fine). */
const PROSE_WORDS = new Set(
  ('i we you he she they it me as that this the a an and or but so if then than think thought said says ' +
    'also hi hello dear thanks what which who when where earlier above below has have had was were is are ' +
    'be been to of in on at for with from by not no yes').split(' '),
);

/**
 * A display name must look like a name, not a sentence: this is what keeps
 * "I think Joe wrote:" or "Hi, as Linus wrote:" from being taken as attributions.
 */
function plausibleName(name: string): boolean {
  if (name.length === 0 || name.length > 60) return false;
  if (/[:;!?<>[\]{}=|\\/]/.test(name)) return false;
  if ((name.match(/,/g) ?? []).length > 1) return false;
  const words = name.split(/\s+/);
  if (words.length > 5) return false;
  if (words.some((w) => !w.endsWith('.') && PROSE_WORDS.has(w.toLowerCase().replace(/[^\p{L}]/gu, '')))) return false;
  // Initials ("Aneesh Kumar K. V", "J. Bruce Fields") may end with '.', other words may not.
  return words.every((w) => /^[\p{L}'"(][\p{L}\p{M}'".,()-]*$/u.test(w) && !/\p{L}{2,}\.$/u.test(w));
}

/** Parses the author part of an attribution: `Name <addr>`, `"Name" <addr>`, `<addr>`, `Name (addr)`, `Name`. */
export function parseAuthor(text: string): Author | null {
  let rest = deobfuscateText(text.trim())
    // Clients that turn addresses into links: `joe@x.org <mailto:joe@x.org>`.
    .replace(/\s*<mailto:[^<>]*>/gi, '')
    .replace(/\[mailto:[^\]]*\]/gi, '')
    .trim();
  let address: string | null = null;
  // Wrapping may have split the address inside its brackets; spaces there are never part of it.
  const bracketed = /<([^<>]*)>\s*$/.exec(rest) ?? /\(([^()]*@[^()]*)\)\s*$/.exec(rest);
  if (bracketed) {
    address = normaliseAddress(bracketed[1]!.replace(/\s+/g, ''));
    if (!address) return null;
    rest = rest.slice(0, bracketed.index).trim();
  } else {
    const bare = /(?:^|\s)(\S+@\S+)$/.exec(rest);
    if (bare) {
      address = normaliseAddress(bare[1]!);
      if (!address) return null;
      rest = rest.slice(0, bare.index).trim();
    }
  }
  const name = rest.replace(/^["']+|["']+$/g, '').replace(/\s+/g, ' ').trim();
  if (name === '') return address ? { name: null, address } : null;
  if (!plausibleName(name)) return null;
  return { name, address };
}
