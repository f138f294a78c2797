import type { Placement } from '../model/placement';
import type { Resource } from '../model/resource';
import type { KustomizeGraph } from '../kustomize/graph';
import { assumedNamespace } from './assumed-namespace';
import type { WorkspaceView } from './workspace';

/**
 * What a file is linted in: the analysis unit whose resources cross-resource rules see, and
 * where the unit's build places the file's objects. A file that several Kustomize overlays build
 * is linted once in each.
 */
export interface LintContext {
  readonly view: WorkspaceView;
  /** Identifies the unit in caches (with the workspace's id). */
  readonly scope: string;
  /** How messages name the unit when the file is linted in several; undefined for the only one. */
  readonly label: string | undefined;
  readonly placement: Placement | undefined;
  /** The file's resource as the unit holds it (placed; the same object the unit's indexes hold). */
  place(resource: Resource): Resource;
}

/** What the workspace answers a unit with: its files, in URI order, and a counter of changes. */
export interface UnitSource {
  readonly defaultNamespace: string;
  readonly version: number;
  resourcesOf(uri: string): readonly Resource[];
}

/**
 * The resources of one analysis unit, as its build places them: a top-level kustomization's
 * files, or the files under one unit root (a folder with `.kube-zero-trust.yaml`, a workspace
 * folder) that no overlay builds. Lists and memos are rebuilt after any change of the workspace.
 */
export class UnitView implements WorkspaceView {
  private version = -1;
  private all: Resource[] = [];
  private kinds = new Map<string, Resource[]>();
  private memos = new Map<string, unknown>();
  /** Placed copies are kept per resource: unchanged documents keep their placed object and its derivations. */
  private readonly placedCopies = new WeakMap<Resource, Resource>();

  constructor(
    private readonly source: UnitSource,
    readonly id: string,
    /** Member files in URI order. */
    private readonly members: readonly string[],
    /** Where the unit's build places a member's objects (asked again after every change). */
    readonly placementOf: (uri: string) => Placement | undefined,
  ) {}

  get defaultNamespace(): string {
    return this.source.defaultNamespace;
  }

  resources(): readonly Resource[] {
    this.refresh();
    return this.all;
  }

  ofKind(kind: string): readonly Resource[] {
    this.refresh();
    return this.kinds.get(kind) ?? [];
  }

  memo<T>(key: string, compute: () => T): T {
    this.refresh();
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /** `resource` as this unit's build places it (itself when it places nothing). */
  place(resource: Resource, placement: Placement | undefined): Resource {
    if (!placement) return resource;
    let copy = this.placedCopies.get(resource);
    if (!copy) this.placedCopies.set(resource, (copy = resource.placed(placement)));
    return copy;
  }

  private refresh(): void {
    if (this.version === this.source.version) return;
    this.version = this.source.version;
    this.all = [];
    this.kinds = new Map();
    this.memos = new Map();
    for (const uri of this.members) {
      const placement = this.placementOf(uri);
      for (const resource of this.source.resourcesOf(uri)) {
        const placed = this.place(resource, placement);
        this.all.push(placed);
        const list = this.kinds.get(placed.kind);
        if (list) list.push(placed);
        else this.kinds.set(placed.kind, [placed]);
      }
    }
  }
}

/** The analysis units of a workspace and the contexts each file is linted in. */
export interface Units {
  contextsOf(uri: string): readonly LintContext[];
}

/**
 * Units from the Kustomize graph and the unit roots: each overlay is a unit of the files it
 * builds; every other file belongs to the unit of the deepest root holding it (files under no
 * root share one unit). Patch files belong to none.
 */
export function buildUnits(source: UnitSource, uris: readonly string[], graph: KustomizeGraph, roots: readonly string[]): Units {
  const known = new Set(uris);
  const overlayUnits = graph.overlays.map((overlay) => {
    const members = [...overlay.files.keys()].filter((uri) => known.has(uri)).sort();
    return { overlay, unit: new UnitView(source, `overlay:${overlay.uri}`, members, (uri) => overlay.files.get(uri)) };
  });
  const byRoot = new Map<string, string[]>();
  for (const uri of uris) {
    if (graph.patchFiles.has(uri) || graph.placementsOf(uri).length > 0) continue;
    const root = rootOf(uri, roots);
    const list = byRoot.get(root);
    if (list) list.push(uri);
    else byRoot.set(root, [uri]);
  }
  // Outside Kustomize, a file that names no namespace may still say which one it is meant for.
  const assumed = (uri: string) => assumedNamespace(source.resourcesOf(uri));
  const rootUnits = new Map([...byRoot].map(([root, members]) => [root, new UnitView(source, `root:${root}`, members, assumed)]));
  const overlayOf = new Map(overlayUnits.map(({ overlay, unit }) => [overlay.uri, unit]));
  return {
    contextsOf(uri) {
      if (graph.patchFiles.has(uri)) return [];
      const placements = graph.placementsOf(uri);
      if (placements.length > 0) {
        return placements.map(({ overlay, placement }) => {
          const unit = overlayOf.get(overlay.uri)!;
          return { view: unit, scope: unit.id, label: placements.length > 1 ? overlay.label : undefined, placement, place: (r: Resource) => unit.place(r, placement) };
        });
      }
      const unit = rootUnits.get(rootOf(uri, roots));
      if (!unit) return [];
      return [{ view: unit, scope: unit.id, label: undefined, placement: unit.placementOf(uri), place: (r: Resource) => unit.place(r, unit.placementOf(uri)) }];
    },
  };
}

/** The deepest root whose folder holds `uri`, else '' (the unit of files under no root). */
export function rootOf(uri: string, roots: readonly string[]): string {
  let best = '';
  for (const root of roots) if (uri.startsWith(`${root}/`) && root.length > best.length) best = root;
  return best;
}
