import type { Resource } from '../../model/resource';
import type { MapView } from '../../model/yaml-view';
import type { PathSegment } from '../../model/node-path';
import type { WorkspaceView } from '../../workspace/workspace';

/**
 * A Kubernetes object, either a whole document or one item of a `List` document
 * (`RoleList`, `RoleBindingList`, `kind: List`, as `kubectl apply` accepts them).
 * Findings about it are reported on the document that holds it.
 */
export interface KubeObject {
  readonly kind: string;
  readonly name: string;
  /** `metadata.namespace` as written. */
  readonly namespace: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly map: MapView;
  /** The document the object is written in. */
  readonly resource: Resource;
  /** Path from the document root to the object: `[]`, or `['items', i]` in a List. */
  readonly path: readonly PathSegment[];
}

/** The kinds of List documents that can hold objects of `kind`. */
function listKinds(kind: string): string[] {
  return [`${kind}List`, 'List'];
}

/** `kinds` plus the List kinds that can hold them, for a rule's `meta.kinds`. */
export function withListKinds(kinds: readonly string[]): string[] {
  return [...new Set(kinds.flatMap((kind) => [kind, ...listKinds(kind)]))];
}

/** The objects a document holds: itself, or the items of a List. */
export function objectsIn(resource: Resource): readonly KubeObject[] {
  return resource.derived('rbac/objects', '', () => {
    const items = resource.kind.endsWith('List') ? resource.root.seq('items') : undefined;
    if (!items) return [object(resource, resource.root, resource.kind, [])];
    const out: KubeObject[] = [];
    items.node.items.forEach((item, index) => {
      const map = items.ctx.map(item);
      const kind = map?.string('kind');
      if (map && kind) out.push(object(resource, map, kind, ['items', index]));
    });
    return out;
  });
}

/** Every object of `kind` in the workspace, including List items. */
export function objectsOfKind(workspace: WorkspaceView, kind: string): KubeObject[] {
  const out = workspace.ofKind(kind).map((r) => objectsIn(r)[0]);
  for (const listKind of listKinds(kind)) {
    for (const list of workspace.ofKind(listKind)) for (const o of objectsIn(list)) if (o.kind === kind) out.push(o);
  }
  return out;
}

export function effectiveNamespace(obj: KubeObject, workspace: WorkspaceView): string {
  return obj.namespace ?? workspace.defaultNamespace;
}

function object(resource: Resource, map: MapView, kind: string, path: PathSegment[]): KubeObject {
  const metadata = map.map('metadata');
  return {
    kind,
    name: metadata?.string('name') ?? '',
    namespace: metadata?.string('namespace'),
    labels: metadata?.map('labels')?.record() ?? {},
    map,
    resource,
    path,
  };
}
