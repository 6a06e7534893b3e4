/**
 * "Did you mean …?" for policy errors: the closest known name to a typo.
 * Dependency-free so error paths never load anything extra.
 */

/** Edit distance (insertions, deletions, substitutions; an adjacent swap counts as one). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Optimal string alignment: Levenshtein plus transpositions, because
  // swapped letters ("cusror") are the most common typo in ids.
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  const at = (i: number, j: number): number => d[i * cols + j] ?? 0;
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The candidate closest to `input`, or undefined when nothing is close enough
 * to be a plausible typo (so we never suggest something unrelated).
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const hay = candidate.toLowerCase();
    if (hay === needle) return candidate;
    let score = editDistance(needle, hay);
    const limit = Math.max(1, Math.floor(Math.max(needle.length, hay.length) / 3));
    // A prefix ("claude" for "claude-code") is a likely intent even when the
    // edit distance is large.
    const prefix = needle.length >= 3 && (hay.startsWith(needle) || needle.startsWith(hay));
    if (score > limit && !prefix) continue;
    if (prefix) score = Math.min(score, limit);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** ` (did you mean 'x'?)`, or an empty string when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closest(input, candidates);
  return match === undefined ? '' : ` (did you mean '${match}'?)`;
}
