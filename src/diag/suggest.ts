/** Edit distance where swapping two adjacent characters counts as one edit ("gleu" -> "gelu"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest candidate within fewer edits than a third of the name's length plus one, for "did you
 * mean" hints: one edit from a name of 3 to 5 characters, none but case from a shorter one (any
 * one-letter name is one edit from any other). A candidate that the name abbreviates or extends
 * ("eps" for "epsilon") also qualifies, but loses to any candidate that is close by edits.
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.floor(name.length / 3) + 1;
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = limit;
  for (const c of [...candidates].sort()) {
    const other = c.toLowerCase();
    let d = editDistance(lower, other);
    const prefix = Math.min(lower.length, other.length) >= 3 && (other.startsWith(lower) || lower.startsWith(other));
    if (d >= limit && prefix) d = limit - 0.5;
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

export function didYouMean(name: string, candidates: Iterable<string>): string {
  const c = closest(name, candidates);
  return c ? ` (did you mean '${c}'?)` : '';
}
