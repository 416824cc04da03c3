import { runsByDepth } from '@/lib/quote/depth';

/** A mail body as preformatted text; React escapes it, quoted runs are tinted by depth. */
export function MessageBody({ text }: { text: string }) {
  return (
    <pre className="body">
      {runsByDepth(text).map((run, i) =>
        run.depth === 0 ? (
          <span key={i}>{run.text + '\n'}</span>
        ) : (
          <span key={i} className={`q${((run.depth - 1) % 3) + 1}`} data-depth={run.depth}>{run.text + '\n'}</span>
        ),
      )}
    </pre>
  );
}
