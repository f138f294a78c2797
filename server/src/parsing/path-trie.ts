/**
 * Paths of an object (map keys; `*` for any key or sequence item) as a trie: what a reader
 * takes of a document, walked alongside it. A node marked `all` covers its whole subtree.
 */
export interface PathTrie {
  all: boolean;
  next: Map<string, PathTrie>;
}

export function pathTrie(paths: ReadonlyArray<readonly string[]>): PathTrie {
  const root: PathTrie = { all: false, next: new Map() };
  for (const path of paths) {
    let at = root;
    for (const segment of path) {
      let child = at.next.get(segment);
      if (!child) at.next.set(segment, (child = { all: false, next: new Map() }));
      at = child;
    }
    at.all = true;
  }
  return root;
}
