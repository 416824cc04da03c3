// The bundled mail read straight through lib/mail (no database), and the bundled scenarios:
// enough to anchor and judge every bundled claim in a pure test.

import path from 'node:path';
import { decode, readArchive } from '../../lib/mail/index';
import { segmentBody } from '../../lib/quote/segment';
import { loadScenarios } from '../../lib/scenarios/load';
import { contentDir } from '../../lib/db/url';

// content/thread, as lib/ingest/bundled names it (not imported: the pure tests need no ingest).
// THREADLAB_CONTENT_DIR points these tests at another content folder: the authoring browser
// test runs them on the one its site wrote claims into.
const bundledMailDir = path.join(contentDir(), 'thread');
import type { Scenario } from '../../lib/engine/index';
import type { AnchorTarget } from '../../lib/claims/anchor';
import type { MessageRef } from '../../lib/claims/types';

export interface BundledMessage extends AnchorTarget {
  list: string;
  messageId: string | null;
  from: string | null;
  date: string | null;
}

export async function bundledMail(): Promise<BundledMessage[]> {
  const out: BundledMessage[] = [];
  for (const list of ['linux-kernel', 'linux-mm', 'ocfs2-devel']) {
    for await (const raw of readArchive(path.join(bundledMailDir, list))) {
      const p = await decode(raw);
      out.push({
        list, messageId: p.messageId, from: p.from.address, date: p.date,
        archiveId: p.messageId ?? path.basename(raw.source), body: p.body, segments: segmentBody(p.body),
      });
    }
  }
  return out;
}

/** The bundled message a reference names (the same rules as locateMessage, minus SQL). */
export function findBundled(mail: BundledMessage[], ref: MessageRef): BundledMessage | undefined {
  if ('mid' in ref) return mail.find((m) => m.messageId === ref.mid);
  if ('archiveId' in ref) return mail.find((m) => m.archiveId === ref.archiveId);
  return mail.find((m) => m.list === ref.list && m.from === ref.from && m.date !== null && Math.abs(Date.parse(m.date) - Date.parse(ref.date)) <= 60_000);
}

export function bundledScenarios(): Scenario[] {
  return loadScenarios(path.join(contentDir(), 'scenarios')).flatMap((l) => (l.ok ? [l.scenario] : []));
}
