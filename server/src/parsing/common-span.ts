/**
 * Where two versions of a text start and stop differing. Slices are compared in growing
 * blocks, then bisected: equality of two slices runs at memcmp speed in V8 (about 25 times
 * faster than `startsWith`, 300 times a character loop), which keeps a keystroke in a 2 MB
 * file to a few comparisons.
 */

/** Length of the common prefix of `a` and `b`. */
export function commonPrefix(a: string, b: string): number {
  return matchingLength(Math.min(a.length, b.length), (from, to) => a.slice(from, to) === b.slice(from, to));
}

/** Length of the common suffix of `a` and `b`, at most `max` (so it never overlaps a known prefix). */
export function commonSuffix(a: string, b: string, max: number): number {
  return matchingLength(max, (from, to) => a.slice(a.length - to, a.length - from) === b.slice(b.length - to, b.length - from));
}

/** The largest n ≤ max such that `same(0, n)`, given `same(from, to)` compares the span [from, to). */
function matchingLength(max: number, same: (from: number, to: number) => boolean): number {
  let lo = 0;
  let step = 256;
  while (lo < max) {
    const hi = Math.min(max, lo + step);
    if (same(lo, hi)) {
      lo = hi;
      step *= 2;
      continue;
    }
    let bad = hi;
    while (bad - lo > 1) {
      const mid = (lo + bad) >> 1;
      if (same(lo, mid)) lo = mid;
      else bad = mid;
    }
    return lo;
  }
  return lo;
}
