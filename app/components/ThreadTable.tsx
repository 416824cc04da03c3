import Link from 'next/link';
import { threadHref } from '@/lib/archive/urls';

export interface ThreadRow {
  id: number;
  rootArchiveId: string;
  subject: string;
  messageCount: number;
  lastDate: Date | null;
}

/** Threads as rows: subject linking to the thread, size, last activity. */
export function ThreadTable({ list, threads }: { list: string; threads: ThreadRow[] }) {
  return (
    <table className="threads">
      <tbody>
        {threads.map((t) => (
          <tr key={t.id}>
            <td><Link href={threadHref(list, t.rootArchiveId)}>{t.subject || '(no subject)'}</Link></td>
            <td className="n">{t.messageCount} msg</td>
            <td className="d">{t.lastDate?.toISOString().slice(0, 10) ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
