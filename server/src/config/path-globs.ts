import { wildcardMatch } from '../engine/wildcard';

/**
 * `exclude` globs (`vendor/**`, `**\/node_modules`, `charts`, `*.{yaml,yml}`), matched against a
 * path relative to the folder they belong to. The globs come with the repository (its
 * `.kube-zero-trust.yaml`, its `.vscode/settings.json`), and so do the paths: a glob compiled
 * to a regular expression backtracks (picomatch took minutes on a long file name with five
 * `*`), so there is none here. Segments are compared with `wildcardMatch` (`*`, `?`), and `**`
 * segments by the same greedy two-pointer walk over segments: polynomial in the worst case.
 *
 * Supported: `/` between segments; `**` for any number of segments (none included); `*` and `?`
 * within a segment; `{a,b}` alternatives (at most 64 expansions of a glob). Dot files match like
 * any other. A trailing `/` and a leading `./` are ignored. Not supported (they match
 * literally): character classes, extglobs, negation.
 */
export function pathGlobMatcher(globs: readonly string[]): (relativePath: string) => boolean {
  const patterns = globs.flatMap((glob) => expandBraces(glob.replace(/^\.\//, '').replace(/\/+$/, ''))).map((glob) => glob.split('/'));
  if (patterns.length === 0) return () => false;
  return (path) => {
    const segments = path.split('/');
    return patterns.some((pattern) => matchSegments(segments, pattern));
  };
}

const MAX_EXPANSIONS = 64;

/** `a{b,c}d{e,f}` → `abde`, `abdf`, `acde`, `acdf` (innermost group first, so groups may nest). */
function expandBraces(glob: string): string[] {
  let out = [glob];
  for (;;) {
    const next: string[] = [];
    let expanded = false;
    for (const text of out) {
      const close = text.indexOf('}');
      const open = close < 0 ? -1 : text.lastIndexOf('{', close);
      if (open < 0) {
        next.push(text);
        continue;
      }
      expanded = true;
      for (const alternative of text.slice(open + 1, close).split(',')) next.push(text.slice(0, open) + alternative + text.slice(close + 1));
    }
    if (!expanded) return out;
    // Past the cap the braces stay literal: a glob cannot multiply into millions of patterns.
    if (next.length > MAX_EXPANSIONS) return [glob];
    out = next;
  }
}

/** Segments against pattern segments; `**` matches any run of segments, found greedily with a return to the last `**`. */
function matchSegments(segments: readonly string[], pattern: readonly string[]): boolean {
  let s = 0;
  let p = 0;
  let star = -1;
  let starEnd = 0;
  while (s < segments.length) {
    if (p < pattern.length) {
      if (pattern[p] === '**') {
        star = p++;
        starEnd = s;
        continue;
      }
      if (wildcardMatch(segments[s], pattern[p])) {
        p++;
        s++;
        continue;
      }
    }
    if (star < 0) return false;
    p = star + 1;
    s = ++starEnd;
  }
  while (p < pattern.length && pattern[p] === '**') p++;
  return p === pattern.length;
}
