import Link from 'next/link';
import { messageHref, messageAnchor } from '@/lib/archive/urls';

export interface TreeNode {
  id: number;
  archiveId: string;
  isGhost: boolean;
  subject: string;
  fromName: string | null;
  fromAddress: string | null;
  date: Date | null;
  depth: number;
}

/**
 * The reply tree, indented by depth. On a thread page the links are in-page
 * anchors; elsewhere they are permalinks.
 */
export function ReplyTree({ nodes, list, current, inPage }: { nodes: TreeNode[]; list: string; current?: number; inPage?: boolean }) {
  return (
    <ul className="tree" aria-label="Reply tree">
      {nodes.map((n) => (
        <li key={n.id} className={n.id === current ? 'current' : undefined} data-message={messageAnchor(n.id)} style={{ paddingLeft: `${Math.min(n.depth, 12) * 1.2}rem` }}>
          {n.depth > 0 ? '└ ' : ''}
          {n.isGhost ? (
            <span className="ghost">[not in archive] {n.fromName ?? n.fromAddress ?? n.archiveId}</span>
          ) : (
            <Link href={inPage ? `#${messageAnchor(n.id)}` : messageHref(list, n.archiveId)}>{n.subject || '(no subject)'}</Link>
          )}
          {!n.isGhost && <span className="muted"> — {n.fromName ?? n.fromAddress}{n.date ? `, ${n.date.toISOString().slice(0, 10)}` : ''}</span>}
        </li>
      ))}
    </ul>
  );
}
