import type { Placement } from '../model/placement';
import type { Resource } from '../model/resource';
import type { KustomizeGraph } from '../kustomize/graph';
import { assumedNamespace } from './assumed-namespace';
import type { WorkspaceView } from './snapshot';

/**
 * What a file is linted in: the analysis unit whose resources cross-resource rules see, and
 * where the unit's build places the file's objects. A file that several Kustomize overlays build
 * is linted once in each.
 */
export interface LintContext {
  readonly view: WorkspaceView;
  /** Identifies the unit in caches (with the snapshot's lineage). */
  readonly scope: string;
  /** How messages name the unit when the file is linted in several; undefined for the only one. */
  readonly label: string | undefined;
  readonly placement: Placement | undefined;
  /** The file's resource as the unit holds it (placed; the same object the unit's indexes hold). */
  place(resource: Resource): Resource;
}

/** What a snapshot of the workspace answers a unit with. */
export interface UnitSource {
  readonly defaultNamespace: string;
  resourcesOf(uri: string): readonly Resource[];
}

/**
 * The resources of one analysis unit in one snapshot, as its build places them: a top-level
 * kustomization's files, or the files under one unit root (a folder with `.kube-zero-trust.yaml`,
 * a workspace folder) that no overlay builds. Lists and memos are built on first use.
 */
export class UnitView implements WorkspaceView {
  private lists: { all: Resource[]; kinds: Map<string, Resource[]> } | undefined;
  private readonly memos = new Map<string, unknown>();

  constructor(
    private readonly source: UnitSource,
    private readonly unit: PlannedUnit,
  ) {}

  get id(): string {
    return this.unit.id;
  }

  get defaultNamespace(): string {
    return this.source.defaultNamespace;
  }

  resources(): readonly Resource[] {
    return this.built().all;
  }

  ofKind(kind: string): readonly Resource[] {
    return this.built().kinds.get(kind) ?? [];
  }

  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /** Where the unit's build places a member's objects. */
  placementOf(uri: string): Placement | undefined {
    return this.unit.placementOf(uri, this.source);
  }

  /** `resource` as this unit's build places it (itself when it places nothing). */
  place(resource: Resource, placement: Placement | undefined): Resource {
    if (!placement) return resource;
    let copy = this.unit.placedCopies.get(resource);
    if (!copy) this.unit.placedCopies.set(resource, (copy = resource.placed(placement)));
    return copy;
  }

  private built(): { all: Resource[]; kinds: Map<string, Resource[]> } {
    if (this.lists) return this.lists;
    const all: Resource[] = [];
    const kinds = new Map<string, Resource[]>();
    for (const uri of this.unit.members) {
      const placement = this.placementOf(uri);
      for (const resource of this.source.resourcesOf(uri)) {
        const placed = this.place(resource, placement);
        all.push(placed);
        const list = kinds.get(placed.kind);
        if (list) list.push(placed);
        else kinds.set(placed.kind, [placed]);
      }
    }
    return (this.lists = { all, kinds });
  }
}

/** A unit as the plan holds it, the same in every snapshot with the same structure. */
interface PlannedUnit {
  readonly id: string;
  /** Member files in URI order. */
  readonly members: readonly string[];
  /** Where the unit's build places a member's objects in a snapshot. */
  placementOf(uri: string, source: UnitSource): Placement | undefined;
  /**
   * Placed copies by resource, shared by the snapshots: an unchanged document keeps its placed
   * object and what was derived from it. A placed copy depends only on its resource and placement.
   */
  readonly placedCopies: WeakMap<Resource, Resource>;
}

/** The analysis units of one snapshot and the contexts each file is linted in. */
export interface Units {
  contextsOf(uri: string): readonly LintContext[];
}

/** Which files make which unit: kept while no kustomization, file set or unit root changes. */
export interface UnitPlan {
  /** The units of one snapshot of the files the plan was made for. */
  bind(source: UnitSource): Units;
}

/**
 * Units from the Kustomize graph and the unit roots: each overlay is a unit of the files it
 * builds; every other file belongs to the unit of the deepest root holding it (files under no
 * root share one unit). Patch files belong to none.
 */
export function planUnits(uris: readonly string[], graph: KustomizeGraph, roots: readonly string[]): UnitPlan {
  const known = new Set(uris);
  const overlayUnits = new Map(graph.overlays.map((overlay) => {
    const members = [...overlay.files.keys()].filter((uri) => known.has(uri)).sort();
    const unit: PlannedUnit = { id: `overlay:${overlay.uri}`, members, placementOf: (uri) => overlay.files.get(uri), placedCopies: new WeakMap() };
    return [overlay.uri, unit];
  }));
  const byRoot = new Map<string, string[]>();
  for (const uri of uris) {
    if (graph.patchFiles.has(uri) || graph.placementsOf(uri).length > 0) continue;
    const root = rootOf(uri, roots);
    const list = byRoot.get(root);
    if (list) list.push(uri);
    else byRoot.set(root, [uri]);
  }
  // Outside Kustomize, a file that names no namespace may still say which one it is meant for.
  const rootUnits = new Map([...byRoot].map(([root, members]): [string, PlannedUnit] => [
    root,
    { id: `root:${root}`, members, placementOf: (uri, source) => assumedNamespace(source.resourcesOf(uri)), placedCopies: new WeakMap() },
  ]));
  return {
    bind(source) {
      const views = new Map<PlannedUnit, UnitView>();
      const viewOf = (unit: PlannedUnit) => {
        let view = views.get(unit);
        if (!view) views.set(unit, (view = new UnitView(source, unit)));
        return view;
      };
      return {
        contextsOf(uri) {
          if (graph.patchFiles.has(uri)) return [];
          const placements = graph.placementsOf(uri);
          if (placements.length > 0) {
            return placements.map(({ overlay, placement }) => {
              const unit = viewOf(overlayUnits.get(overlay.uri)!);
              return { view: unit, scope: unit.id, label: placements.length > 1 ? overlay.label : undefined, placement, place: (r: Resource) => unit.place(r, placement) };
            });
          }
          const planned = rootUnits.get(rootOf(uri, roots));
          if (!planned) return [];
          const unit = viewOf(planned);
          const placement = unit.placementOf(uri);
          return [{ view: unit, scope: unit.id, label: undefined, placement, place: (r: Resource) => unit.place(r, placement) }];
        },
      };
    },
  };
}

/** The deepest root whose folder holds `uri`, else '' (the unit of files under no root). */
export function rootOf(uri: string, roots: readonly string[]): string {
  let best = '';
  for (const root of roots) if (uri.startsWith(`${root}/`) && root.length > best.length) best = root;
  return best;
}
