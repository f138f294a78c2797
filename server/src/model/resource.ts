import { isMap, isSeq, type YAMLMap } from 'yaml';
import type { ParsedDoc } from '../parsing/parse-file';
import { podSpecOf, type PodSpecView } from './pod-spec';
import { isNamespacedKind, type Placement } from './placement';
import { PodTemplates, type PodTemplateHolder } from './pod-templates';
import { MapView, YamlContext } from './yaml-view';

/** What identifies a resource without reading its tree. */
export interface ResourceHead {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  /** `metadata.namespace` as written; undefined when omitted. */
  readonly namespace: string | undefined;
}

/**
 * A kubeconfig (`apiVersion: v1`, `kind: Config`): how a client reaches clusters and with which
 * credentials. It has `apiVersion` and `kind` like an object, so it is a resource the rules see
 * wherever it lives and whatever its file is called, but it is never sent to the API server:
 * no metadata, no namespace.
 */
export function isKubeconfig(head: Pick<ResourceHead, 'apiVersion' | 'kind'>): boolean {
  return head.kind === 'Config' && head.apiVersion === 'v1';
}

/** An API server audit policy (`audit.k8s.io/v1` `Policy`, read by kube-apiserver from `--audit-policy-file`). */
export function isAuditPolicy(head: Pick<ResourceHead, 'apiVersion' | 'kind'>): boolean {
  return head.kind === 'Policy' && /^audit\.k8s\.io\/v1(beta1|alpha1)?$/.test(head.apiVersion);
}

/** A file read by a client or by the API server itself, not an object stored in the cluster (nothing to place in a namespace). */
export function isConfigurationFile(head: Pick<ResourceHead, 'apiVersion' | 'kind'>): boolean {
  return isKubeconfig(head) || isAuditPolicy(head);
}

/**
 * A List document (`kind: List` as `kubectl get -o yaml` prints it, `DeploymentList`,
 * `RoleBindingList`…): a container whose `items` are the objects `kubectl apply` creates.
 */
export function isListKind(kind: string): boolean {
  return kind === 'List' || kind.endsWith('List');
}

/** The syntax tree of a resource and the views read from it. */
interface ResourceTree {
  readonly parsed: ParsedDoc;
  readonly root: MapView;
  readonly metadata: MapView | undefined;
  podSpec?: PodSpecView | null;
}

/**
 * A Kubernetes object read from one YAML document. Most are parsed and keep their tree; a
 * resource of a file nobody looks at (`Resource.rebuilt`) keeps only its head and rebuilds
 * its tree when something reads it, for as long as something holds it: the language server
 * indexes whole workspaces, and a tree costs several times the plain data it is rebuilt from.
 */
export class Resource implements ResourceHead {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  /**
   * The object's index in the `items` of the List document that holds it; undefined for an
   * object that is a whole document. Its findings, fixes and suppressions are its own, at
   * its nodes inside the document.
   */
  readonly item: number | undefined;
  /** The kinds with a pod template the resource was read with (the configuration's `podTemplates`). */
  readonly podTemplates: PodTemplates;
  private tree: ResourceTree | undefined;
  private weakTree: WeakRef<ResourceTree> | undefined;
  /** Created on first use: most resources of a large workspace never derive anything. */
  private derivations: Map<string, { input: string; value: unknown }> | undefined;
  /** A rebuilt tree is the object's own, not its document (`rebuilt`). */
  private ownTree = false;

  private constructor(
    readonly uri: string,
    readonly docIndex: number,
    head: ResourceHead,
    item: number | undefined,
    podTemplates: PodTemplates,
    tree: ResourceTree | undefined,
    private readonly rebuild?: () => ParsedDoc,
    /** Where a build (a Kustomize overlay) puts it; undefined: where its file says. */
    readonly placement?: Placement,
  ) {
    this.apiVersion = head.apiVersion;
    this.kind = head.kind;
    this.name = head.name;
    this.namespace = head.namespace;
    this.item = item;
    this.podTemplates = podTemplates;
    this.tree = tree;
  }

  /**
   * The objects a document holds: itself when it has string `apiVersion` and `kind`, or, for a
   * List document, each of its `items` that has them (the List itself is only their container);
   * anything else is not Kubernetes. `podTemplates` tells which kinds hold a pod template.
   */
  static allFrom(uri: string, parsed: ParsedDoc, podTemplates = PodTemplates.BUILT_IN): Resource[] {
    const root = parsed.doc.contents;
    if (!isMap(root)) return [];
    const context = new YamlContext(parsed.doc, parsed.source);
    const document = Resource.objectOf(uri, parsed, new MapView(root as YAMLMap, context), undefined, podTemplates);
    const items = document && isListKind(document.kind) ? document.root.seq('items') : undefined;
    if (!document || !items) return document ? [document] : [];
    const objects: Resource[] = [];
    items.node.items.forEach((item, index) => {
      const map = context.map(item);
      const object = map && Resource.objectOf(uri, parsed, map, index, podTemplates);
      if (object) objects.push(object);
    });
    return objects;
  }

  /**
   * A resource whose tree is built by `rebuild` when read and dropped when nothing holds it
   * any more: its document, where a List `item` is found, or with `ownTree` the object's own
   * tree. `head` must be what `allFrom` reads of that object.
   */
  static rebuilt(uri: string, docIndex: number, head: ResourceHead, item: number | undefined, podTemplates: PodTemplates, rebuild: () => ParsedDoc, ownTree = false): Resource {
    const resource = new Resource(uri, docIndex, head, item, podTemplates, undefined, rebuild);
    resource.ownTree = ownTree;
    return resource;
  }

  /** The object whose root is `root`, if it has string `apiVersion` and `kind`. */
  private static objectOf(uri: string, parsed: ParsedDoc, root: MapView, item: number | undefined, podTemplates: PodTemplates): Resource | undefined {
    const apiVersion = root.value('apiVersion');
    const kind = root.value('kind');
    if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !kind) return undefined;
    const metadata = root.map('metadata');
    const name = metadata?.string('name') ?? metadata?.string('generateName') ?? '';
    return new Resource(uri, parsed.index, { apiVersion, kind, name, namespace: metadata?.string('namespace') }, item, podTemplates, { parsed, root, metadata });
  }

  /**
   * The same document as `placement` puts it: in the build's namespace (if it is namespaced),
   * with the build's labels and annotations. It shares this resource's tree.
   */
  placed(placement: Placement): Resource {
    const namespace = placement.namespace !== undefined && isNamespacedKind(this.kind) ? placement.namespace : this.namespace;
    const copy = new Resource(this.uri, this.docIndex, { apiVersion: this.apiVersion, kind: this.kind, name: this.name, namespace }, this.item, this.podTemplates, this.tree, this.rebuild, placement);
    copy.weakTree = this.weakTree;
    copy.ownTree = this.ownTree;
    return copy;
  }

  get parsed(): ParsedDoc {
    return this.currentTree().parsed;
  }

  get root(): MapView {
    return this.currentTree().root;
  }

  get metadata(): MapView | undefined {
    return this.currentTree().metadata;
  }

  get labels(): Record<string, string> {
    const own = this.metadata?.map('labels')?.record() ?? {};
    return this.placement ? { ...own, ...this.placement.labels } : own;
  }

  get annotations(): Record<string, string> {
    const own = this.metadata?.map('annotations')?.record() ?? {};
    return this.placement ? { ...own, ...this.placement.annotations } : own;
  }

  /** The labels of the pods of a workload kind (its pod template's, and those its build adds). */
  get podLabels(): Record<string, string> {
    const own = this.podSpec?.podMetadata?.map('labels')?.record() ?? {};
    return this.placement ? { ...own, ...this.placement.templateLabels } : own;
  }

  /** Where objects of this kind hold a pod template (`model/pod-templates.ts`); undefined for kinds without one. */
  get podTemplate(): PodTemplateHolder | undefined {
    return this.podTemplates.holderOf(this);
  }

  /** The pod spec of kinds with a pod template (Pod, controllers, CronJob, PodTemplate, Rollout…), else undefined. */
  get podSpec(): PodSpecView | undefined {
    const tree = this.currentTree();
    if (tree.podSpec === undefined) tree.podSpec = podSpecOf(this) ?? null;
    return tree.podSpec ?? undefined;
  }

  /**
   * A value computed from this document alone (never from other resources), kept while the
   * document is unchanged. Workspace-wide indexes are rebuilt after every edit; built from
   * these, a rebuild costs a lookup per resource instead of re-reading every document.
   * `key` names the computation, `input` is every input besides the document (the default
   * namespace): a different input computes it again.
   */
  derived<T>(key: string, input: string, compute: () => T): T {
    const cached = this.derivations?.get(key);
    if (cached && cached.input === input) return cached.value as T;
    const value = compute();
    (this.derivations ??= new Map()).set(key, { input, value });
    return value;
  }

  /**
   * The object's span in its document's source: the whole document, or its item of the List.
   * Offsets are the document's own (add `parsed.base` for the file's).
   */
  get span(): [number, number] {
    if (this.item === undefined) return [0, this.parsed.source.length];
    const [start, , end] = this.root.node.range ?? [0, 0, 0];
    return [start, end];
  }

  /** A short label for messages and reports: `Deployment/web`. */
  get label(): string {
    return `${this.kind}/${this.name || '(unnamed)'}`;
  }

  /** The namespace the object lands in, given the namespace used when none is written. */
  effectiveNamespace(defaultNamespace: string): string {
    return this.namespace ?? defaultNamespace;
  }

  private currentTree(): ResourceTree {
    if (this.tree) return this.tree;
    let tree = this.weakTree?.deref();
    if (!tree) {
      tree = treeOf(this.rebuild!(), this.ownTree ? undefined : this.item)!;
      this.weakTree = new WeakRef(tree);
    }
    return tree;
  }
}

/** The tree of the document, or of its List item `item`. */
function treeOf(parsed: ParsedDoc, item: number | undefined): ResourceTree | undefined {
  const contents = parsed.doc.contents;
  if (!isMap(contents)) return undefined;
  const context = new YamlContext(parsed.doc, parsed.source);
  let root: MapView | undefined = new MapView(contents as YAMLMap, context);
  if (item !== undefined) {
    const items = root.seq('items')?.node;
    root = isSeq(items) ? context.map(items.items[item]) : undefined;
  }
  return root && { parsed, root, metadata: root.map('metadata') };
}
