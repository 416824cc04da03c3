/**
 * Header blocks that stand for an attribution above quoted text, in
 * English, German and French: Outlook's, and David Miller's mailer's.
 * Pure: no I/O.
 */
import type { Attribution } from './attribution';
import { parseAttributionDate, type AttributionLanguage } from './attribution-date';
import { normaliseAddress, parseAuthor, type Author } from './author';
import type { QuotedLine } from './quote-depth';

/** The separator line some clients put above a header block. */
const HEADER_SEPARATOR =
  /^\s*(?:-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Forwarded message|Message transféré|Weitergeleitete Nachricht)\s*-{2,}|_{10,})\s*$/i;
const HEADER_FROM = /^(?:From|Von|De)\s*:\s*(\S.*)$/i;
const HEADER_FIELD = /^(Sent|Date|Gesendet|Datum|Envoyé|To|An|À|Cc|Bcc|Subject|Betreff|Objet|Reply-To)\s*:\s*(.*)$/i;
const HEADER_DATE_LANG: Record<string, AttributionLanguage> = { gesendet: 'de', datum: 'de', 'envoyé': 'fr' };

/** The author of a `From:` header: a header, not prose, so any display name is taken. */
function headerAuthor(value: string): Author {
  const parsed = /\[mailto:/i.test(value) ? null : parseAuthor(value);
  if (parsed) return parsed;
  const m = /^(.*?)\s*(?:<([^<>]*)>|\[mailto:([^\]]*)\])?\s*$/i.exec(value.trim())!;
  const name = m[1]!.replace(/^["']+|["']+$/g, '').trim() || null;
  return { name, address: normaliseAddress((m[2] ?? m[3] ?? '').replace(/\s+/g, '')) };
}

export interface HeaderBlock extends Attribution {
  startLine: number;
  endLine: number;
  /** An Outlook block (a separator, or `Sent:`/`To:`/`Subject:` fields): it may quote without markers. */
  outlook: boolean;
}

/**
 * A header block quoted as an attribution: Outlook's `From:` / `Sent:` / `To:`
 * / `Subject:` (maybe under `-----Original Message-----` or a rule of `_`),
 * or `From:` / `Date:` above a `>` quote (David Miller's mailer). Needs a date.
 */
export function headerBlockAt(lines: readonly QuotedLine[], i: number): HeaderBlock | null {
  const { depth, text } = lines[i]!;
  const from = HEADER_FROM.exec(text.trim());
  if (!from) return null;
  const separated = i > 0 && lines[i - 1]!.depth === depth && HEADER_SEPARATOR.test(lines[i - 1]!.text);
  let dateText: string | null = null;
  let lang: AttributionLanguage = 'en';
  let outlook = separated;
  let end = i + 1;
  let lastField = '';
  for (let wrapped = 0; end < lines.length && end < i + 10; end++) {
    const line = lines[end]!;
    if (line.depth !== depth || line.text.trim() === '') break;
    const field = HEADER_FIELD.exec(line.text.trim());
    if (field) {
      lastField = field[1]!.toLowerCase();
      if (lastField === 'date' || lastField === 'sent' || lastField in HEADER_DATE_LANG) {
        dateText = field[2]!.trim();
        lang = HEADER_DATE_LANG[lastField] ?? 'en';
      }
      if (lastField !== 'date') outlook = true;
    } else if ((lastField === 'subject' || lastField === 'to' || lastField === 'cc') && wrapped++ < 2) {
      continue; // a long Subject: or To: wrapped onto the next line
    } else break;
  }
  if (dateText === null) return null;
  return {
    ...headerAuthor(from[1]!),
    dateText,
    date: parseAttributionDate(dateText, lang),
    startLine: separated ? i - 1 : i,
    endLine: end,
    outlook,
  };
}
