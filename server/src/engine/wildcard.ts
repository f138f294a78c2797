/**
 * Wildcard patterns of config exemptions (`name: "cilium*"`, `namespace: "*-system"`,
 * `container: "app-?"`): `*` matches any run of characters (also none), `?` exactly one,
 * every other character itself. There are no escapes, classes or braces: Kubernetes names,
 * namespaces and container names are made of `[a-z0-9.-]`, so nothing else is needed.
 *
 * No regular expression: a glob compiled to one backtracks (picomatch took 41 s to match
 * `*a*a*a…b`). This is the classic greedy two-pointer match that, on a mismatch, returns
 * only to the last `*`: O(text × pattern) steps at worst, linear in practice, no recursion.
 * Characters are UTF-16 code units.
 */
export function wildcardMatch(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  /** Position of the last `*` seen in the pattern (-1: none yet) and where in the text its run currently ends. */
  let star = -1;
  let starEnd = 0;
  while (t < text.length) {
    if (p < pattern.length) {
      const c = pattern.charCodeAt(p);
      if (c === STAR) {
        // Let the star match nothing for now; it grows one character per later mismatch.
        star = p++;
        starEnd = t;
        continue;
      }
      if (c === QUESTION || c === text.charCodeAt(t)) {
        p++;
        t++;
        continue;
      }
    }
    // Mismatch, or pattern used up before the text: the last star takes one more character
    // and the rest of the pattern starts over after it.
    if (star < 0) return false;
    p = star + 1;
    t = ++starEnd;
  }
  while (p < pattern.length && pattern.charCodeAt(p) === STAR) p++;
  return p === pattern.length;
}

const STAR = 0x2a;
const QUESTION = 0x3f;
