import { URI, Utils } from 'vscode-uri';
import { placementKey, type Placement } from '../model/placement';
import type { Kustomization } from './kustomization';

/** A top-level kustomization (one no other includes): what `kustomize build` of its folder applies. */
export interface Overlay {
  /** URI of its kustomization file. */
  readonly uri: string;
  /** How messages name it: its folder, relative to the folder of the analysis unit it lies in. */
  readonly label: string;
  /** Every file it builds from (its own resources and those of the kustomizations it includes), with their placement. */
  readonly files: ReadonlyMap<string, Placement>;
  /** Entries it cannot follow without the network (`https://…`, `github.com/…`): never fetched. */
  readonly remote: readonly string[];
  /** URIs of the kustomization files it goes through (itself, its components, the kustomizations it includes), outermost first. */
  readonly kustomizations: readonly string[];
}

export interface KustomizeGraph {
  readonly overlays: readonly Overlay[];
  /** Files some kustomization names as a patch: fragments, never objects of their own. */
  readonly patchFiles: ReadonlySet<string>;
  /** The overlays that build a file, with its placement in each (empty when none does). */
  placementsOf(uri: string): ReadonlyArray<{ overlay: Overlay; placement: Placement }>;
}

/** The transformations one kustomization level applies, outermost level first in a chain. */
interface Level {
  readonly kustomization: Kustomization;
  /** Components it lists: their transformations apply to its objects before its own. */
  readonly components: readonly Kustomization[];
}

/**
 * The kustomizations of a workspace as kustomize builds them, statically: which are top-level,
 * which files each builds from and with which namespace and labels, which files are patches.
 * `byFolder` maps a folder URI (no trailing slash) to the kustomization file kustomize reads
 * there; `labelOf` names an overlay's folder for messages.
 */
export function buildGraph(byFolder: ReadonlyMap<string, Kustomization>, labelOf: (folderUri: string) => string): KustomizeGraph {
  const included = new Set<string>();
  const patchFiles = new Set<string>();
  for (const [folder, kustomization] of byFolder) {
    for (const entry of [...kustomization.resources, ...kustomization.components]) {
      const target = resolveEntry(folder, entry);
      if (target && byFolder.has(target)) included.add(target);
    }
    for (const patch of kustomization.patches) {
      const target = resolveEntry(folder, patch);
      if (target) patchFiles.add(target);
    }
  }
  const overlays: Overlay[] = [];
  for (const [folder, kustomization] of [...byFolder].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (included.has(folder) || kustomization.component) continue;
    const files = new Map<string, Placement>();
    const remote: string[] = [];
    const kustomizations: string[] = [];
    const label = labelOf(folder);
    const walk = (dir: string, chain: readonly Level[], visiting: ReadonlySet<string>): void => {
      const own = byFolder.get(dir)!;
      const components = own.components.flatMap((entry) => {
        const target = resolveEntry(dir, entry);
        const component = target ? byFolder.get(target) : undefined;
        return component ? [component] : [];
      });
      const levels = [...chain, { kustomization: own, components }];
      for (const k of [own, ...components]) if (!kustomizations.includes(k.uri)) kustomizations.push(k.uri);
      const entries = [...own.resources.map((entry) => [dir, entry] as const), ...components.flatMap((c) => c.resources.map((entry) => [folderOf(c.uri), entry] as const))];
      for (const [from, entry] of entries) {
        if (isRemote(entry)) {
          remote.push(entry);
          continue;
        }
        const target = resolveEntry(from, entry);
        if (!target) continue;
        if (byFolder.has(target)) {
          if (!visiting.has(target)) walk(target, levels, new Set([...visiting, target]));
        } else if (!files.has(target) && !patchFiles.has(target)) files.set(target, placementOf(label, levels));
      }
    };
    walk(folder, [], new Set([folder]));
    overlays.push({ uri: kustomization.uri, label, files, remote, kustomizations });
  }
  const byFile = new Map<string, Array<{ overlay: Overlay; placement: Placement }>>();
  for (const overlay of overlays) {
    for (const [uri, placement] of overlay.files) {
      const list = byFile.get(uri);
      if (list) list.push({ overlay, placement });
      else byFile.set(uri, [{ overlay, placement }]);
    }
  }
  return { overlays, patchFiles, placementsOf: (uri) => byFile.get(uri) ?? [] };
}

/**
 * What a chain of kustomizations (outermost first) does to the objects of its innermost level:
 * the outermost namespace wins; labels and annotations of outer levels override inner ones; a
 * level's own transformations override its components'.
 */
function placementOf(unit: string, levels: readonly Level[]): Placement {
  let namespace: string | undefined;
  const labels: Record<string, string> = {};
  const templateLabels: Record<string, string> = {};
  const annotations: Record<string, string> = {};
  for (let i = levels.length - 1; i >= 0; i--) {
    for (const k of [...levels[i].components, levels[i].kustomization]) {
      namespace = k.namespace ?? namespace;
      for (const set of k.labels) {
        Object.assign(labels, set.pairs);
        if (set.includeTemplates) Object.assign(templateLabels, set.pairs);
      }
      Object.assign(annotations, k.annotations);
    }
  }
  const placement = { unit, namespace, labels, templateLabels, annotations };
  return { ...placement, key: placementKey(placement) };
}

/** `github.com/org/repo`, `https://…`, `git@…`, `ssh://…`: kustomize would fetch these. */
export function isRemote(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith('git@') || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || entry.includes('?ref=');
}

/** The URI of a relative entry (file or folder, no trailing slash), or undefined for remote or absolute entries. */
function resolveEntry(folder: string, entry: string): string | undefined {
  if (isRemote(entry) || entry.startsWith('/')) return undefined;
  const resolved = Utils.resolvePath(URI.parse(folder), entry.replace(/\/+$/, '')).toString();
  return resolved;
}

/** The folder URI of a file URI. */
export function folderOf(uri: string): string {
  return uri.slice(0, uri.lastIndexOf('/'));
}
