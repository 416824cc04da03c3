// Approximate substring search (Sellers' semi-global edit distance): the places in a text
// where a pattern occurs with the fewest insertions, deletions and substitutions.

export interface Approximate {
  /** [start, end) in the text searched. */
  start: number;
  end: number;
  /** Edit distance between the pattern and text[start, end). */
  distance: number;
}

/**
 * The best `limit` non-overlapping approximate occurrences of `pattern` in
 * `text`, fewest edits first. O(pattern × text) time, O(pattern) memory.
 */
export function approximateOccurrences(pattern: string, text: string, limit: number): Approximate[] {
  const m = pattern.length;
  const n = text.length;
  if (m === 0 || n === 0) return [];
  // Column j of the table: dist[i] = edits to match pattern[0, i) ending at text position j;
  // from[i] = where in the text that match starts. Row 0 is free: a match may start anywhere.
  let dist = new Int32Array(m + 1);
  let from = new Int32Array(m + 1);
  let nextDist = new Int32Array(m + 1);
  let nextFrom = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) dist[i] = i;
  const endDist = new Int32Array(n + 1);
  const endFrom = new Int32Array(n + 1);
  endDist[0] = m;
  for (let j = 1; j <= n; j++) {
    const c = text.charCodeAt(j - 1);
    nextDist[0] = 0;
    nextFrom[0] = j;
    for (let i = 1; i <= m; i++) {
      let d = dist[i - 1]! + (pattern.charCodeAt(i - 1) === c ? 0 : 1);
      let f = from[i - 1]!;
      if (nextDist[i - 1]! + 1 < d) { d = nextDist[i - 1]! + 1; f = nextFrom[i - 1]!; } // pattern char left out
      if (dist[i]! + 1 < d) { d = dist[i]! + 1; f = from[i]!; } // text char left out
      nextDist[i] = d;
      nextFrom[i] = f;
    }
    endDist[j] = nextDist[m]!;
    endFrom[j] = nextFrom[m]!;
    [dist, nextDist] = [nextDist, dist];
    [from, nextFrom] = [nextFrom, from];
  }
  const ends = Array.from({ length: n }, (_, k) => k + 1).sort((a, b) => endDist[a]! - endDist[b]! || a - b);
  const found: Approximate[] = [];
  for (const j of ends) {
    if (found.length >= limit) break;
    const start = endFrom[j]!;
    if (start >= j) continue;
    if (found.some((f) => start < f.end && j > f.start)) continue;
    found.push({ start, end: j, distance: endDist[j]! });
  }
  return found;
}

/** Levenshtein distance, for short strings (anchor context). */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1), prev[j]! + 1, cur[j - 1]! + 1);
    }
    prev = cur;
  }
  return prev[b.length]!;
}
