/** "Did you mean": the known word a typo most likely stands for, for messages about unknown keys and names. */

/**
 * Edit distance counting a swap of neighbours as one edit (optimal string alignment), for "did you mean".
 * Three rolling rows instead of the whole matrix: "did you mean" runs once per problem, and a config may
 * have thousands.
 */
function distance(a: string, b: string): number {
  const n = b.length;
  let before: number[] = []; // row i - 2
  let previous: number[] = []; // row i - 1
  let current: number[] = []; // row i
  for (let j = 0; j <= n; j++) previous.push(j);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (before[j - 2] as number) + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[n] as number;
}

/**
 * The candidate a typo most likely meant: the same word in another case, one a few edits away (1 for
 * short words, 2 from 5 characters), or one that contains the word or is contained in it (`adm`,
 * `apiUser`).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // The same typo is often made many times (every user naming the same unknown app): answer it once.
  const key = `${word.toLowerCase()}\u0000${candidates.join('\u0000')}`;
  if (closestCache.has(key)) return closestCache.get(key);
  const answer = closestUncached(word, candidates);
  if (closestCache.size >= CLOSEST_CACHE_SIZE) closestCache.clear();
  closestCache.set(key, answer);
  return answer;
}

const CLOSEST_CACHE_SIZE = 512;
const closestCache = new Map<string, string | undefined>();

function closestUncached(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const lowered = candidates.map((c) => c.toLowerCase());
  const same = lowered.indexOf(lower);
  if (same !== -1) return candidates[same];
  const allowed = lower.length >= 5 ? 2 : 1;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  lowered.forEach((candidate, i) => {
    // The distance is at least the difference in length: a candidate that much longer or shorter can
    // never be close enough, so it is not measured (the answer is the same, without the work).
    if (Math.abs(candidate.length - lower.length) > allowed) return;
    const d = distance(lower, candidate);
    if (d < bestDistance) {
      best = candidates[i];
      bestDistance = d;
    }
  });
  if (best !== undefined && bestDistance <= allowed) return best;
  if (lower.length < 3) return undefined;
  const containing = candidates
    .filter((c, i) => {
      const l = lowered[i] as string;
      return l.includes(lower) || (c.length >= 3 && lower.includes(l));
    })
    .sort((x, y) => x.length - y.length);
  return containing[0];
}
