import type { Placement } from '../model/placement';
import type { Resource } from '../model/resource';
import type { KustomizeGraph } from '../kustomize/graph';
import { assumedNamespace } from './assumed-namespace';
import { entriesOf, withFile } from '../model/file-order';
import type { FileChange, MemoPatch, WorkspaceView } from './snapshot';

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
 * a workspace folder) that no overlay builds. Lists and memos are built on first use, or taken
 * over from the unit's view in an earlier snapshot (`Inherited`) and patched for the member
 * files changed since: a keystroke does not go over every file of a large workspace again.
 */
export class UnitView implements WorkspaceView {
  private lists: Lists | undefined;
  private readonly memos = new Map<string, unknown>();

  constructor(
    private readonly source: UnitSource,
    private readonly unit: PlannedUnit,
    private readonly inherited?: Inherited,
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

  /**
   * A memo of an earlier snapshot's view of the unit is taken over as it is when no member file
   * changed since, else patched (`patch`) or computed again.
   */
  memo<T>(key: string, compute: () => T, patch?: MemoPatch<T>): T {
    if (!this.memos.has(key)) this.memos.set(key, this.inheritedMemo(key, patch) ?? compute());
    return this.memos.get(key) as T;
  }

  private inheritedMemo<T>(key: string, patch: MemoPatch<T> | undefined): T | undefined {
    const memo = this.inherited?.memos.get(key);
    if (!memo) return undefined;
    if (memo.changed.size === 0) return memo.value as T;
    if (!patch) return undefined;
    const all = this.built().all;
    const changes = [...memo.changed].map((uri): FileChange => ({ uri, before: entriesOf(memo.since.all, uri, uriOf), after: entriesOf(all, uri, uriOf) }));
    return patch(memo.value as T, changes);
  }

  /**
   * What the same unit's view in the next snapshot takes over, `changed` naming the files that
   * changed in between: this view's lists and memos, and what it took over and did not use.
   */
  handOver(changed: ReadonlySet<string>): Inherited {
    const members = [...changed].filter((uri) => this.unit.members.includes(uri));
    const since = (earlier: ReadonlySet<string>) => (members.length === 0 ? earlier : new Set([...earlier, ...members]));
    const memos = new Map<string, InheritedMemo>();
    for (const [key, memo] of this.inherited?.memos ?? []) {
      if (this.lists && this.memos.has(key)) continue;
      const patched = since(memo.changed);
      if (patched.size <= MAX_CHANGED_MEMBERS) memos.set(key, { ...memo, changed: patched });
    }
    if (this.lists) for (const [key, value] of this.memos) memos.set(key, { value, since: this.lists, changed: new Set(members) });
    const lists = this.lists ? { value: this.lists, changed: new Set(members) } : this.inherited?.lists && { ...this.inherited.lists, changed: since(this.inherited.lists.changed) };
    return { lists, memos };
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

  private placedResourcesOf(uri: string): Resource[] {
    const placement = this.placementOf(uri);
    return this.source.resourcesOf(uri).map((resource) => this.place(resource, placement));
  }

  private built(): Lists {
    if (this.lists) return this.lists;
    const inherited = this.inherited?.lists;
    if (inherited) {
      let { all, kinds } = inherited.value;
      for (const uri of inherited.changed) {
        const before = new Set(entriesOf(all, uri, uriOf).map((r) => r.kind));
        const after = this.placedResourcesOf(uri);
        all = withFile(all, uri, after, uriOf);
        const patched = new Map(kinds);
        for (const kind of new Set([...before, ...after.map((r) => r.kind)])) {
          const list = withFile(kinds.get(kind) ?? [], uri, after.filter((r) => r.kind === kind), uriOf);
          if (list.length > 0) patched.set(kind, list);
          else patched.delete(kind);
        }
        kinds = patched;
      }
      return (this.lists = { all, kinds });
    }
    const all: Resource[] = [];
    const kinds = new Map<string, Resource[]>();
    for (const uri of this.unit.members) {
      for (const placed of this.placedResourcesOf(uri)) {
        all.push(placed);
        const list = kinds.get(placed.kind);
        if (list) list.push(placed);
        else kinds.set(placed.kind, [placed]);
      }
    }
    return (this.lists = { all, kinds });
  }
}

interface Lists {
  readonly all: readonly Resource[];
  readonly kinds: ReadonlyMap<string, readonly Resource[]>;
}

/**
 * What a unit's view takes over from the same unit's views in earlier snapshots: lists and
 * memos, each with the member files changed since it was made.
 */
export interface Inherited {
  readonly lists: { readonly value: Lists; readonly changed: ReadonlySet<string> } | undefined;
  readonly memos: ReadonlyMap<string, InheritedMemo>;
}

interface InheritedMemo {
  readonly value: unknown;
  /** The lists it was computed from. */
  readonly since: Lists;
  readonly changed: ReadonlySet<string>;
}

/** A memo not read again while more member files than this changed is dropped. */
const MAX_CHANGED_MEMBERS = 64;

const uriOf = (resource: Resource): string => resource.uri;

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
  /** The views made so far, by unit: what the next snapshot's views take over (`UnitPlan.bind`). */
  readonly views: ReadonlyMap<unknown, UnitView>;
}

/** The units of an earlier snapshot of the same plan, and the files changed since. */
export interface EarlierUnits {
  readonly units: Units;
  readonly changed: ReadonlySet<string>;
}

/** Which files make which unit: kept while no kustomization, file set or unit root changes. */
export interface UnitPlan {
  /**
   * The units of one snapshot of the files the plan was made for; `earlier`: those of an
   * earlier snapshot bound by this plan, whose views' lists and memos the new views take over.
   */
  bind(source: UnitSource, earlier?: EarlierUnits): Units;
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
    bind(source, earlier) {
      const views = new Map<PlannedUnit, UnitView>();
      const viewOf = (unit: PlannedUnit) => {
        let view = views.get(unit);
        if (!view) views.set(unit, (view = new UnitView(source, unit, earlier?.units.views.get(unit)?.handOver(earlier.changed))));
        return view;
      };
      return {
        views,
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
