import type { SearchResults } from '@/lib/search/search';

const escape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
    // XML 1.0 forbids most control characters, which mail may hold.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

const plain = (parts: Array<{ text: string }>) => parts.map((p) => p.text).join('');

/** RFC 4287: one entry per message, newest first; text only, never HTML from mail. */
export function atomFeed(results: SearchResults, origin: string, pageHref: string): string {
  const hits = results.messages.hits.flatMap((t) => t.hits).filter((h) => h.href);
  const updated = hits.map((h) => h.date).filter((d): d is string => d !== null).sort().pop() ?? new Date(0).toISOString();
  const entries = hits.map((h) => {
    const link = origin + h.href!.replace(/\?.*$/, '');
    const author = /^(.*?) <(.+)>$/.exec(h.from);
    return `  <entry>
    <id>${escape(link)}</id>
    <title>${escape(plain(h.subject) || '(no subject)')}</title>
    <updated>${h.date ?? updated}</updated>
    <author><name>${escape(author ? author[1] : h.from || 'unknown')}</name>${author ? `<email>${escape(author[2])}</email>` : ''}</author>
    <link href="${escape(link)}"/>
    <content type="text">${escape(plain(h.snippet))}</content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escape(origin + pageHref)}</id>
  <title>${escape(`Threadlab search: ${results.query}`)}</title>
  <updated>${updated}</updated>
  <link rel="alternate" type="text/html" href="${escape(origin + pageHref)}"/>
${entries.join('\n')}
</feed>
`;
}
