import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Document } from 'yaml';
import { PodTemplates } from '../model/pod-templates';
import { Resource } from '../model/resource';
import { parseFile, type ParsedFile, type ParseOptions } from '../parsing/parse-file';
import { buildGraph, folderOf, type KustomizeGraph } from '../kustomize/graph';
import { isKustomizationFile, KUSTOMIZATION_FILE_NAMES, readKustomization, type Kustomization } from '../kustomize/kustomization';
import { signatureToken } from './cross-signature';
import { extractResource, hydrateResource } from './resource-extract';
import { buildUnits, rootOf, type LintContext, type Units } from './units';

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
   * Derived data (a policy index, an RBAC graph) computed once per workspace state and
   * shared by every rule and file until a file changes. What it reads from resources must
   * be part of their cross-resource signature (see `cross-signature.ts`): other files are
   * not re-linted when an edit leaves every signature unchanged.
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

export interface SetFileOptions {
  /** Keep the file compact: for files the language server indexes but nobody looks at. */
  compact?: boolean;
  /**
   * A large document an edit leaves invalid may report a provisional syntax error
   * (`ParseOptions.provisional`); setting the same text again without this gives the exact one.
   */
  provisional?: boolean;
  /** Settling a provisional parse: exact errors computed elsewhere (`ParseOptions.settled`). */
  settled?: ParseOptions['settled'];
}

let workspaces = 0;
const NO_TEXT = parseFile('');

/**
 * Every manifest the engine knows: the open documents and, for audits and cross-resource
 * rules, the files of the workspace. Text goes in through `setFile`; nothing here reads disk.
 */
export class Workspace implements WorkspaceView {
  /** Identifies this workspace in caches shared between workspaces (a fork shares documents). */
  readonly id = ++workspaces;
  /**
   * Changes whenever what cross-resource rules see may have changed: a file added or
   * removed, a resource's cross-resource signature changed, the default namespace.
   * Cross-resource results of unchanged documents are reused while it stays the same.
   */
  crossEpoch = 0;
  private readonly files = new Map<string, WorkspaceFile>();
  /** Parses this workspace made itself (a fork borrows its parent's and must not mutate them). */
  private readonly owned = new WeakSet<ParsedFile>();
  /** URIs in code-unit order; changes only when a file is added or removed. */
  private sortedUris: string[] | undefined;
  /** Every resource in URI order, then document order; rebuilt after any change. */
  private allResources: Resource[] | undefined;
  private kindIndex: Map<string, Resource[]> | undefined;
  private memos = new Map<string, unknown>();
  /** Unchanged documents keep their Resource objects, so per-resource results can be reused. */
  private resourceCache = new WeakMap<Document, readonly Resource[]>();
  /** Counts every change (units rebuild their lists and memos when it moves). */
  version = 0;
  /** Folders that make analysis units of their own: workspace folders, folders with a `.kube-zero-trust.yaml`. */
  private unitRoots: readonly string[] = [];
  /** The Kustomize graph and the units; rebuilt when a kustomization, the set of files or the roots change. */
  private structure: { graph: KustomizeGraph; units: Units } | undefined;

  /** `podTemplates`: the kinds with a pod template (the configuration's `podTemplates`); `setPodTemplates` changes them. */
  constructor(
    public defaultNamespace = 'default',
    public podTemplates = PodTemplates.BUILT_IN,
  ) {}

  setFile(uri: string, text: string, options: SetFileOptions = {}): WorkspaceFile {
    // The Kustomize graph reads kustomizations' trees: they stay parsed (they are small).
    const compact = options.compact === true && !isKustomizationFile(uri);
    const previous = this.files.get(uri);
    const sameText = previous !== undefined && previous.parsed.text === text;
    if (sameText && (previous.compact === true) === compact && !(previous.parsed.provisional && !options.provisional)) return previous;
    if (sameText && !previous.compact) return this.store(previous, compactOf(previous));
    const mayMutate = previous !== undefined && !previous.compact && this.owned.has(previous.parsed);
    const parsed = parseFile(text, previous?.compact ? undefined : previous?.parsed, {
      mayMutatePrevious: mayMutate,
      // A compact file is never parsed again until it is linted: its resources must be exact.
      provisional: options.provisional === true && !compact,
      settled: options.settled,
      // Its signature is read while the document is intact: other files compare against it.
      beforeUpdateInPlace: (doc) => {
        for (const resource of this.resourceCache.get(doc) ?? []) signatureToken(resource);
      },
    });
    this.owned.add(parsed);
    const file: WorkspaceFile = { uri, parsed, resources: this.readResources(uri, parsed) };
    return this.store(previous, compact ? compactOf(file) : file);
  }

  /** The resources of a parsed file; unchanged documents keep theirs. */
  private readResources(uri: string, parsed: ParsedFile): Resource[] {
    const resources: Resource[] = [];
    for (const doc of parsed.docs) {
      let objects = this.resourceCache.get(doc.doc);
      if (objects === undefined || objects.some((r) => r.uri !== uri || r.parsed.index !== doc.index || r.parsed.base !== doc.base)) {
        // A List document holds one resource per item (model/resource.ts).
        objects = doc.doc.errors.length ? [] : Resource.allFrom(uri, doc, this.podTemplates);
        this.resourceCache.set(doc.doc, objects);
      }
      resources.push(...objects);
    }
    return resources;
  }

  /** Parses a compact file again, for linting it. */
  expand(uri: string): void {
    const file = this.files.get(uri);
    if (file?.compact) this.setFile(uri, file.parsed.text);
  }

  private store(previous: WorkspaceFile | undefined, file: WorkspaceFile): WorkspaceFile {
    const structural = isKustomizationFile(file.uri) && previous?.parsed.text !== file.parsed.text;
    if (!previous) this.sortedUris = undefined;
    if (!previous || structural) this.structure = undefined;
    this.files.set(file.uri, file);
    const patched = previous !== undefined && this.patchLists(file.uri, file.resources);
    this.changed(!previous || structural || !sameSignatures(previous.resources, file.resources), patched);
    return file;
  }

  /**
   * A file parsed by another thread of an audit, known here only by its resources rebuilt
   * from extracts (no text, no positions): cross-resource rules read it, nothing lints it.
   */
  addForeignFile(uri: string, resources: readonly Resource[]): void {
    this.store(this.files.get(uri), { uri, parsed: NO_TEXT, resources });
  }

  /**
   * A copy that shares every parsed file: fixes are tried on it without touching this one.
   * It is a scratch copy for synchronous use: read it before this workspace changes again.
   */
  fork(): Workspace {
    const copy = new Workspace(this.defaultNamespace, this.podTemplates);
    copy.ingressControllerNamespaces = this.ingressControllerNamespaces;
    for (const [uri, file] of this.files) copy.files.set(uri, file);
    copy.unitRoots = this.unitRoots;
    return copy;
  }

  removeFile(uri: string): boolean {
    const file = this.files.get(uri);
    const removed = this.files.delete(uri);
    if (removed) {
      this.sortedUris = undefined;
      this.structure = undefined;
      this.changed(file!.resources.length > 0 || isKustomizationFile(uri));
    }
    return removed;
  }

  getFile(uri: string): WorkspaceFile | undefined {
    return this.files.get(uri);
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  /**
   * In URI order, then document order, however files came in (the editor's index, the
   * threads of an audit): cross-resource results that list resources do not depend on it.
   */
  resources(): readonly Resource[] {
    if (!this.allResources) {
      this.sortedUris ??= [...this.files.keys()].sort();
      const all: Resource[] = [];
      for (const uri of this.sortedUris) for (const resource of this.files.get(uri)!.resources) all.push(resource);
      this.allResources = all;
    }
    return this.allResources;
  }

  ofKind(kind: string): readonly Resource[] {
    if (!this.kindIndex) {
      this.kindIndex = new Map();
      for (const resource of this.resources()) {
        const list = this.kindIndex.get(resource.kind);
        if (list) list.push(resource);
        else this.kindIndex.set(resource.kind, [resource]);
      }
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

  /**
   * The folders that are analysis units of their own (workspace folders, folders holding a
   * `.kube-zero-trust.yaml`): cross-resource rules see only the files of a file's unit.
   */
  setUnitRoots(roots: readonly string[]): void {
    const sorted = [...new Set(roots.map((root) => root.replace(/\/+$/, '')))].sort();
    if (sorted.join('\n') === this.unitRoots.join('\n')) return;
    this.unitRoots = sorted;
    this.structure = undefined;
    this.changed(true);
  }

  /** The unit roots (`setUnitRoots`), sorted. */
  get unitRootUris(): readonly string[] {
    return this.unitRoots;
  }

  /** The kustomizations of the workspace, read statically. */
  kustomize(): KustomizeGraph {
    return this.currentStructure().graph;
  }

  /** The contexts a file is linted in: one per overlay that builds it, else its unit; none for a patch file. */
  contextsOf(uri: string): readonly LintContext[] {
    return this.currentStructure().units.contextsOf(uri);
  }

  private currentStructure(): { graph: KustomizeGraph; units: Units } {
    if (this.structure) return this.structure;
    const byFolder = new Map<string, Kustomization>();
    const uris = [...this.files.keys()].sort();
    for (const uri of uris) {
      if (!isKustomizationFile(uri)) continue;
      const folder = folderOf(uri);
      const current = byFolder.get(folder);
      // kustomize reads the first of its file names that exists in a folder.
      if (current && KUSTOMIZATION_FILE_NAMES.indexOf(current.uri.slice(folder.length + 1)) < KUSTOMIZATION_FILE_NAMES.indexOf(uri.slice(folder.length + 1))) continue;
      const kustomization = readKustomization(uri, this.files.get(uri)!.parsed);
      if (kustomization) byFolder.set(folder, kustomization);
    }
    const roots = this.unitRoots;
    const graph = buildGraph(byFolder, (folder) => overlayLabel(folder, roots));
    this.structure = { graph, units: buildUnits(this, uris, graph, roots) };
    return this.structure;
  }

  ingressControllerNamespaces: readonly string[] | undefined;

  setIngressControllerNamespaces(namespaces: readonly string[] | undefined): void {
    if (namespaces?.join('\0') === this.ingressControllerNamespaces?.join('\0')) return;
    this.ingressControllerNamespaces = namespaces;
    this.changed(true);
  }

  setDefaultNamespace(namespace: string): void {
    if (namespace === this.defaultNamespace) return;
    this.defaultNamespace = namespace;
    this.changed(true);
  }

  /**
   * Other kinds with a pod template: every file's resources are read again (those of compact
   * files from their text), since which fields are pod specs changed. Files of other audit
   * threads (`addForeignFile`) must come from threads with the same ones.
   */
  setPodTemplates(podTemplates: PodTemplates): void {
    if (podTemplates.key === this.podTemplates.key) return;
    this.podTemplates = podTemplates;
    this.resourceCache = new WeakMap();
    for (const file of this.files.values()) {
      if (file.parsed === NO_TEXT) continue;
      const parsed = file.compact ? parseFile(file.parsed.text) : file.parsed;
      const again: WorkspaceFile = { uri: file.uri, parsed, resources: this.readResources(file.uri, parsed) };
      this.files.set(file.uri, file.compact ? compactOf(again) : again);
    }
    // The units hold the resources of the files (placed by their builds).
    this.structure = undefined;
    this.changed(true);
  }

  /**
   * A file's new resources in place of its old ones in the resource list and the kind
   * index, without going over every file again (a keystroke in a workspace of 25,000
   * resources). False when the lists are not built yet.
   */
  private patchLists(uri: string, after: readonly Resource[]): boolean {
    if (!this.allResources) return false;
    this.allResources = withFile(this.allResources, uri, after);
    if (this.kindIndex) {
      const kinds = new Set(after.map((r) => r.kind));
      for (const [kind, list] of this.kindIndex) if (!kinds.has(kind)) this.kindIndex.set(kind, withFile(list, uri, []));
      for (const kind of kinds) this.kindIndex.set(kind, withFile(this.kindIndex.get(kind) ?? [], uri, after.filter((r) => r.kind === kind)));
    }
    return true;
  }

  /**
   * Memos may hold the Resource objects of the old text (indexes keyed by resource), so they
   * are dropped on every change, and so are the resource list and kind index unless they were
   * patched; `crossEpoch` moves only when other files' cross-resource results may change.
   */
  private changed(crossResource: boolean, listsPatched = false): void {
    if (!listsPatched) {
      this.allResources = undefined;
      this.kindIndex = undefined;
    }
    this.memos = new Map();
    this.version++;
    if (crossResource) this.crossEpoch++;
  }
}

/**
 * `list` (in URI order) with the resources of `uri` replaced by `resources`: a new array,
 * so whoever iterates the old one keeps a consistent list.
 */
function withFile(list: readonly Resource[], uri: string, resources: readonly Resource[]): Resource[] {
  const from = firstAtOrAfter(list, uri, false);
  const to = firstAtOrAfter(list, uri, true);
  if (from === to && resources.length === 0) return list as Resource[];
  const out = list.slice(0, from);
  for (const resource of resources) out.push(resource);
  for (let i = to; i < list.length; i++) out.push(list[i]);
  return out;
}

/** Binary search: the first resource whose URI is ≥ `uri` (> `uri` when `after`). */
function firstAtOrAfter(list: readonly Resource[], uri: string, after: boolean): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    const other = list[mid].uri;
    if (other < uri || (after && other === uri)) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The file without its syntax trees: its text, compressed (it is read again only to parse the
 * file, and YAML shrinks about fivefold), and its resources as other threads see them.
 */
function compactOf(file: WorkspaceFile): WorkspaceFile {
  // UTF-16 code units, not UTF-8: any string comes back exactly, lone surrogates included.
  // Copied out of zlib's 16 KB output chunk, which would otherwise stay allocated per file.
  const packed = Buffer.from(deflateRawSync(Buffer.from(file.parsed.text, 'utf16le'), { level: 1 }));
  const parsed: ParsedFile = {
    ...NO_TEXT,
    templated: file.parsed.templated,
    get text() {
      return inflateRawSync(packed).toString('utf16le');
    },
  };
  const resources = file.resources.map((resource) => hydrateResource(extractResource(resource), resource.podTemplates));
  return { uri: file.uri, parsed, resources, compact: true };
}

/** Whether two versions of a file's resources look the same to cross-resource rules of other files. */
function sameSignatures(before: readonly Resource[], after: readonly Resource[]): boolean {
  if (before.length !== after.length) return false;
  for (let i = 0; i < before.length; i++) {
    if (before[i] !== after[i] && signatureToken(before[i]) !== signatureToken(after[i])) return false;
  }
  return true;
}

/** An overlay's folder as messages name it: relative to its unit root, else its last two path segments. */
function overlayLabel(folder: string, roots: readonly string[]): string {
  const root = rootOf(`${folder}/`, roots);
  const relative = root ? folder.slice(root.length + 1) : folder.split('/').slice(-2).join('/');
  return decodeURIComponent(relative) || '.';
}
