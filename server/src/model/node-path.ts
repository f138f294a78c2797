import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { scalarText } from './yaml-view';

export type PathSegment = string | number;

export interface NodeAtOffset {
  /** Keys and indexes from the document root to the innermost node at the offset. */
  path: PathSegment[];
  node: Node;
  /** The pair whose key or value holds the offset, when there is one. */
  pair?: Pair<Node, Node | null>;
  /** True when the offset is on the pair's key rather than its value. */
  onKey: boolean;
}

/** The innermost node at a document-relative offset, with its path from the root (hover, code actions). */
export function nodeAtOffset(root: Node | null | undefined, offset: number): NodeAtOffset | undefined {
  if (!root || !contains(root, offset)) return undefined;
  let current: NodeAtOffset = { path: [], node: root, onKey: false };
  for (;;) {
    const node = current.node;
    let next: NodeAtOffset | undefined;
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const key = scalarText(item.key) ?? '';
        const pair = item as Pair<Node, Node | null>;
        if (contains(item.key as Node, offset)) return { path: [...current.path, key], node: item.key as Node, pair, onKey: true };
        if (item.value && contains(item.value as Node, offset)) {
          next = { path: [...current.path, key], node: item.value as Node, pair, onKey: false };
          break;
        }
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        if (!next && item && contains(item as Node, offset)) next = { path: [...current.path, index], node: item as Node, onKey: false };
      });
    }
    if (!next) return current;
    current = next;
  }
}

function contains(node: Node, offset: number): boolean {
  const range = node.range;
  return !!range && offset >= range[0] && offset <= range[1];
}
