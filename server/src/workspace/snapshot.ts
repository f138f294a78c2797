import type { PodTemplates } from '../model/pod-templates';
import type { Resource } from '../model/resource';
import { buildGraph, folderOf, type KustomizeGraph } from '../kustomize/graph';
import { isKustomizationFile, KUSTOMIZATION_FILE_NAMES, readKustomization, type Kustomization } from '../kustomize/kustomization';
import type { ParsedFile } from '../parsing/parse-file';
import { planUnits, rootOf, type LintContext, type UnitPlan, type Units } from './units';

/** The cross-resource queries rules may make. Read-only. */
export interface WorkspaceView {
  /** Namespace of objects that do not name one (`kubeZeroTrust.defaultNamespace`). */
  readonly defaultNamespace: string;
  /**
   * Namespaces where ingress controllers and gateways run (`ingressControllerNamespaces` of the
   * config file); undefined: the usual ones for each controller. Generated NetworkPolicies admit
   * traffic from there to the backends of Ingresses and Gateway API routes.
   */
  readonly ingressControllerNamespaces?: readonly string[];
  /** In URI order, then document order. */
  resources(): readonly Resource[];
  ofKind(kind: string): readonly Resource[];
  /**
   * Derived data (a policy index, an RBAC graph) computed once per snapshot and shared by
   * every rule and file reading it. What it reads from resources must be part of their
   * cross-resource signature (see `cross-signature.ts`): other files are not re-linted when an
   * edit leaves every signature unchanged.
   */
  memo<T>(key: string, compute: () => T): T;
}

export interface WorkspaceFile {
  readonly uri: string;
  readonly parsed: ParsedFile;
  readonly resources: readonly Resource[];
  /**
   * Kept compact: only the text (compressed) and the resources rebuilt from their extracts, without
   * syntax trees or positions (`setFile(…, { compact: true })`). Cross-resource rules read
   * it; it is expanded (parsed again) before it is linted.
   */
  readonly compact?: boolean;
}

/** What the workspace's configuration says about every file. */
export interface WorkspaceSettings {
  readonly defaultNamespace: string;
  readonly ingressControllerNamespaces: readonly string[] | undefined;
  /** The kinds with a pod template (the configuration's `podTemplates`). */
  readonly podTemplates: PodTemplates;
  /** Folders that make analysis units of their own (workspace folders, folders with a `.kube-zero-trust.yaml`), sorted. */
  readonly unitRoots: readonly string[];
}

/**
 * Lists a successor can take over from its predecessor instead of building them again (a
 * keystroke in a workspace of 25,000 resources patches them; see `Workspace`).
 */
export interface Carried {
  sortedUris?: readonly string[];
  allResources?: readonly Resource[];
  kindIndex?: ReadonlyMap<string, readonly Resource[]>;
  /** The Kustomize graph and the unit membership: kept until a kustomization, the set of files or the roots change. */
  structure?: { readonly graph: KustomizeGraph; readonly plan: UnitPlan };
}

/**
 * One state of the workspace: its files and settings, never changed once made. Every change
 * makes a new snapshot (`Workspace`); what is derived from one (resource lists, the units,
 * memos of analyses) is computed on first use and belongs to it, so a reader of a snapshot
 * sees one consistent state however the workspace moves on.
 *
 * The one exception is below the snapshot: a large document's syntax tree may be updated in
 * place by the next snapshot's parse (`ParseOptions.mayMutatePrevious`). The workspace allows
 * that only for parses it owns and no fork shares, and it reads every resource's cross-resource
 * signature when the resource is stored, so nothing of a superseded snapshot is read again
 * after its tree moved on.
 */
export class WorkspaceSnapshot implements WorkspaceView {
  private sortedUris: readonly string[] | undefined;
  private allResources: readonly Resource[] | undefined;
  private kindIndex: ReadonlyMap<string, readonly Resource[]> | undefined;
  private structure: Carried['structure'];
  private units: Units | undefined;
  private readonly memos = new Map<string, unknown>();

  constructor(
    /** The workspace (or fork) that made it: its rule results are kept apart from a fork's. */
    readonly lineage: number,
    /** By URI, in the order files came in. */
    readonly files: ReadonlyMap<string, WorkspaceFile>,
    private readonly settings: WorkspaceSettings,
    /**
     * Names what cross-resource rules see: equal in two snapshots exactly when every file's
     * cross-resource signatures and the settings are the same (`cross-state.ts`). Cross-resource
     * results are kept under it.
     */
    readonly crossState: number,
    carried: Carried,
  ) {
    this.sortedUris = carried.sortedUris;
    this.allResources = carried.allResources;
    this.kindIndex = carried.kindIndex;
    this.structure = carried.structure;
  }

  get defaultNamespace(): string {
    return this.settings.defaultNamespace;
  }

  get ingressControllerNamespaces(): readonly string[] | undefined {
    return this.settings.ingressControllerNamespaces;
  }

  get podTemplates(): PodTemplates {
    return this.settings.podTemplates;
  }

  getFile(uri: string): WorkspaceFile | undefined {
    return this.files.get(uri);
  }

  /** URIs in code-unit order. */
  private orderedUris(): readonly string[] {
    return (this.sortedUris ??= [...this.files.keys()].sort());
  }

  /**
   * In URI order, then document order, however files came in (the editor's index, the
   * threads of an audit): cross-resource results that list resources do not depend on it.
   */
  resources(): readonly Resource[] {
    if (!this.allResources) {
      const all: Resource[] = [];
      for (const uri of this.orderedUris()) for (const resource of this.files.get(uri)!.resources) all.push(resource);
      this.allResources = all;
    }
    return this.allResources;
  }

  ofKind(kind: string): readonly Resource[] {
    if (!this.kindIndex) {
      const index = new Map<string, Resource[]>();
      for (const resource of this.resources()) {
        const list = index.get(resource.kind);
        if (list) list.push(resource);
        else index.set(resource.kind, [resource]);
      }
      this.kindIndex = index;
    }
    return this.kindIndex.get(kind) ?? [];
  }

  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /** The resources of one file (none for an unknown URI). */
  resourcesOf(uri: string): readonly Resource[] {
    return this.files.get(uri)?.resources ?? [];
  }

  /** The kustomizations of the workspace, read statically. */
  kustomize(): KustomizeGraph {
    return this.currentStructure().graph;
  }

  /** The contexts a file is linted in: one per overlay that builds it, else its unit; none for a patch file. */
  contextsOf(uri: string): readonly LintContext[] {
    this.units ??= this.currentStructure().plan.bind(this);
    return this.units.contextsOf(uri);
  }

  /** What a successor may take over when a change leaves these lists or this structure as they are. */
  carried(): Carried {
    return { sortedUris: this.sortedUris, allResources: this.allResources, kindIndex: this.kindIndex, structure: this.structure };
  }

  private currentStructure(): NonNullable<Carried['structure']> {
    if (this.structure) return this.structure;
    const byFolder = new Map<string, Kustomization>();
    const uris = this.orderedUris();
    for (const uri of uris) {
      if (!isKustomizationFile(uri)) continue;
      const folder = folderOf(uri);
      const current = byFolder.get(folder);
      // kustomize reads the first of its file names that exists in a folder.
      if (current && KUSTOMIZATION_FILE_NAMES.indexOf(current.uri.slice(folder.length + 1)) < KUSTOMIZATION_FILE_NAMES.indexOf(uri.slice(folder.length + 1))) continue;
      const kustomization = readKustomization(uri, this.files.get(uri)!.parsed);
      if (kustomization) byFolder.set(folder, kustomization);
    }
    const roots = this.settings.unitRoots;
    const graph = buildGraph(byFolder, (folder) => overlayLabel(folder, roots));
    this.structure = { graph, plan: planUnits(uris, graph, roots) };
    return this.structure;
  }
}

/** An overlay's folder as messages name it: relative to its unit root, else its last two path segments. */
function overlayLabel(folder: string, roots: readonly string[]): string {
  const root = rootOf(`${folder}/`, roots);
  const relative = root ? folder.slice(root.length + 1) : folder.split('/').slice(-2).join('/');
  return decodeURIComponent(relative) || '.';
}
