import type { ReactNode } from 'react';

export type HeadingLevel = 2 | 3 | 4 | 5 | 6;

/** A section heading whose level the embedding page chooses. */
export function Heading({ level, id, children }: { level: HeadingLevel; id?: string; children: ReactNode }) {
  const H = `h${level}` as 'h2';
  return <H id={id}>{children}</H>;
}

export const below = (level: HeadingLevel) => Math.min(level + 1, 6) as HeadingLevel;
