import { isCollection, isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { scalarText } from '../model/yaml-view';

/**
 * A step from a collection to one of its items: a map key, or a sequence item by its `name`
 * (containers, volumes, ports, env: kustomize's strategic merge matches them by name, and a
 * patch may add or reorder items) or else by index.
 */
export type Step = { key: string } | { index: number; name?: string };

/** Where a finding sits in a document: the steps to its node, and whether it is a key (`privileged:`) or a value. */
export interface NodePath {
  steps: Step[];
  onKey: boolean;
}

/** A node found with its path. */
export interface NodeAt extends NodePath {
  node: Node;
}

/**
 * The path to the node a finding spans, found from its document-relative start and end: the
 * outermost node starting there whose span (`span`) is the finding's, else the innermost one
 * starting there.
 */
export function pathOfSpan(root: Node | null | undefined, start: number, end: number, span: (node: Node) => [number, number]): NodeAt | undefined {
  let best: NodeAt | undefined;
  let fallback: NodeAt | undefined;
  const visit = (node: Node, steps: Step[], onKey: boolean): void => {
    const range = node.range;
    if (!range || start < range[0] || start > range[1]) return;
    if (range[0] === start) {
      const [s, e] = span(node);
      if (!best && s === start && e === end) best = { steps, onKey, node };
      fallback = { steps, onKey, node };
    }
    if (best) return;
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const key = scalarText(item.key) ?? '';
        visit(item.key, [...steps, { key }], true);
        if (best) return;
        if (item.value && isNodeLike(item.value)) visit(item.value, [...steps, { key }], false);
        if (best) return;
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        if (!best && isNodeLike(item)) visit(item, [...steps, { index, ...nameOf(item) }], false);
      });
    }
  };
  if (root) visit(root, [], false);
  return best ?? fallback;
}

/** The node at `steps` in another document (a source or a patch), following the same names; the pair when the path ends on a key. */
export function follow(root: Node | null | undefined, steps: readonly Step[]): { node: Node; pair?: Pair<Node, Node | null> } | undefined {
  let node: Node | null | undefined = root;
  let pair: Pair<Node, Node | null> | undefined;
  for (const step of steps) {
    if (!node) return undefined;
    pair = undefined;
    if ('key' in step) {
      if (!isMap(node)) return undefined;
      pair = (node as YAMLMap<Node, Node | null>).items.find((item) => isScalar(item.key) && scalarText(item.key) === step.key) as Pair<Node, Node | null> | undefined;
      if (!pair) return undefined;
      node = pair.value;
    } else {
      if (!isSeq(node)) return undefined;
      const items = (node as YAMLSeq<Node>).items;
      node = step.name !== undefined ? items.find((item) => nameOf(item).name === step.name) : items[step.index];
    }
  }
  return node ? { node, pair } : undefined;
}

/** Whether two nodes hold the same value: equal scalars, or two collections (an object or list that exists in both). */
export function sameValue(a: Node | null | undefined, b: Node | null | undefined): boolean {
  if (isScalar(a) && isScalar(b)) return a.value === b.value || (a.value == null && b.value == null);
  return isCollection(a) && isCollection(b) && isMap(a) === isMap(b);
}

/** The steps as a JSON pointer (RFC 6901), as JSON patches name paths: indexes as in the rendered document. */
export function jsonPointer(steps: readonly Step[]): string {
  return steps.map((step) => `/${'key' in step ? step.key.replace(/~/g, '~0').replace(/\//g, '~1') : step.index}`).join('');
}

function nameOf(item: unknown): { name?: string } {
  if (!isMap(item)) return {};
  const pair = item.items.find((p) => isScalar(p.key) && p.key.value === 'name');
  return pair && isScalar(pair.value) && typeof pair.value.value === 'string' ? { name: pair.value.value } : {};
}

function isNodeLike(value: unknown): value is Node {
  return isScalar(value) || isCollection(value);
}
