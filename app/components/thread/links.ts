import type { Reading } from '@/lib/archive/read';
import { messageAnchor, messageHref } from '@/lib/archive/urls';

/**
 * Where a message of a reading is shown: an in-page anchor when it is on
 * this page, its permalink otherwise; null when it has no page (a ghost of
 * another thread).
 */
export function hrefIn(reading: Reading, onPage: (id: number) => boolean, list: string) {
  return (id: number): string | null => {
    if (onPage(id)) return `#${messageAnchor(id)}`;
    const m = reading.directory.get(id);
    if (!m) return null;
    const listOf = m.list ?? list;
    return `${messageHref(listOf, m.archiveId)}#${messageAnchor(id)}`;
  };
}
