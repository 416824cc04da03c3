// How an annotation names a message it did not find by itself: by Message-ID when the mail has
// one (any copy of the archive has it), else by list, sender and date, which survive re-ingest
// from another copy where an id derived from the bytes would not (README, "Naming the message").

import type { MessageRef } from './types';

export interface NamedMessage {
  archiveId: string;
  /** "header" when the archive id is the mail's own Message-ID. */
  idKind: string;
  list: string;
  fromAddress: string | null;
  fromName: string | null;
  date: Date | string | null;
}

export function messageRefOf(m: NamedMessage): MessageRef {
  const from = m.fromAddress ?? m.fromName;
  if (m.idKind === 'header' || !m.date || !m.list || !from) return { mid: m.archiveId };
  return { list: m.list, from, date: new Date(m.date).toISOString() };
}
