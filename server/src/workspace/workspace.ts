import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Document } from 'yaml';
import { PodTemplates } from '../model/pod-templates';
import { Resource } from '../model/resource';
import { parseFile, type ParsedFile, type ParseOptions } from '../parsing/parse-file';
import type { KustomizeGraph } from '../kustomize/graph';
import { isKustomizationFile } from '../kustomize/kustomization';
import { afterFileChange, freshCrossState, takeSignatures, type CrossHistory } from './cross-state';
import { namePlace } from './name-place';
import { extractResource, hydrateResource } from './resource-extract';
import { WorkspaceSnapshot, type Carried, type WorkspaceFile, type WorkspaceSettings, type WorkspaceView } from './snapshot';
import type { LintContext } from './units';

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
  /**
   * Parse documents of kinds nothing reads whole only where they are read (`ParseOptions.lean`):
   * for files whose trees serve linting alone (an audit's, a compact file's). The same text set
   * again without it is parsed whole.
   */
  lean?: ParseOptions['lean'];
}

let lineages = 0;
const NO_TEXT = parseFile('');

/**
 * Every manifest the engine knows: the open documents and, for audits and cross-resource
 * rules, the files of the workspace. Text goes in through `setFile`; nothing here reads disk.
 * Readers take `snapshot`: an immutable state that stays as it is however the workspace moves
 * on. Changes go into the next state, which becomes a snapshot when someone reads it (so
 * indexing thousands of files makes one, not one per file); the reading methods here answer
 * for the current snapshot.
 */
export class Workspace implements WorkspaceView {
  /** Keeps this workspace's rule results apart from a fork's in caches both use. */
  private readonly lineage = ++lineages;
  /** The next state's files; shared with `made` (then copied before the next change) once it is read. */
  private files = new Map<string, WorkspaceFile>();
  private filesShared = false;
  private settings: WorkspaceSettings;
  private history: CrossHistory = freshCrossState();
  /** What the next snapshot takes over from the last one (or from the changes since, when none was read). */
  private carried: Carried = {};
  /** The snapshot of the current state, once read; undefined after a change until it is read again. */
  private made: WorkspaceSnapshot | undefined;
  /** Parses this workspace made itself (a fork borrows its parent's and must not mutate them). */
  private readonly owned = new WeakSet<ParsedFile>();
  /** Unchanged documents keep their Resource objects, so per-resource results can be reused. */
  private resourceCache = new WeakMap<Document, readonly Resource[]>();

  /** `podTemplates`: the kinds with a pod template (the configuration's `podTemplates`); `setPodTemplates` changes them. */
  constructor(defaultNamespace = 'default', podTemplates = PodTemplates.BUILT_IN) {
    this.settings = { defaultNamespace, ingressControllerNamespaces: undefined, podTemplates, unitRoots: [] };
  }

  /** The current state: immutable; the next change makes another. */
  get snapshot(): WorkspaceSnapshot {
    if (!this.made) {
      this.made = new WorkspaceSnapshot(this.lineage, this.files, this.settings, this.history.state, this.carried);
      this.filesShared = true;
    }
    return this.made;
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

  /** The unit roots (`setUnitRoots`), sorted. */
  get unitRootUris(): readonly string[] {
    return this.settings.unitRoots;
  }

  setFile(uri: string, text: string, options: SetFileOptions = {}): WorkspaceFile {
    // The Kustomize graph reads kustomizations' trees: they stay parsed (they are small).
    const compact = options.compact === true && !isKustomizationFile(uri);
    const previous = this.files.get(uri);
    const sameText = previous !== undefined && previous.parsed.text === text;
    if (sameText && (previous.compact === true) === compact && !(previous.parsed.provisional && !options.provisional) && !(isLean(previous.parsed) && !options.lean)) return previous;
    if (sameText && !previous.compact) return this.store(previous, compactOf(previous));
    const mayMutate = previous !== undefined && !previous.compact && this.owned.has(previous.parsed);
    const parsed = parseFile(text, previous?.compact ? undefined : previous?.parsed, {
      mayMutatePrevious: mayMutate,
      // A compact file is never parsed again until it is linted: its resources must be exact.
      provisional: options.provisional === true && !compact,
      settled: options.settled,
      lean: options.lean,
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
        objects = doc.doc.errors.length ? [] : Resource.allFrom(uri, doc, this.settings.podTemplates);
        this.resourceCache.set(doc.doc, objects);
      }
      resources.push(...objects);
    }
    return resources;
  }

  /** Parses a compact file again, for linting it (`lean`: its trees serve that alone). */
  expand(uri: string, lean?: SetFileOptions['lean']): void {
    const file = this.files.get(uri);
    if (file?.compact) this.setFile(uri, file.parsed.text, { lean });
  }

  /** The next state with `file` in place of `previous`. */
  private store(previous: WorkspaceFile | undefined, file: WorkspaceFile): WorkspaceFile {
    // Read now: the next parse of this file may update its trees in place.
    takeSignatures(file.resources);
    const carried = this.nextCarried();
    this.writableFiles().set(file.uri, file);
    if (!previous || (isKustomizationFile(file.uri) && previous.parsed.text !== file.parsed.text)) carried.structure = undefined;
    if (!previous) carried.sortedUris = undefined;
    if (previous && carried.allResources) patchLists(carried, file.uri, file.resources);
    else {
      carried.allResources = undefined;
      carried.kindIndex = undefined;
    }
    if (!previous) {
      if (file.resources.length > 0 || isKustomizationFile(file.uri)) this.history = freshCrossState();
    } else this.history = afterFileChange(this.history, previous, file);
    return file;
  }

  /** The lists the next snapshot may take over, as of now; the current snapshot is superseded. */
  private nextCarried(): Carried {
    if (this.made) this.carried = this.made.carried();
    this.made = undefined;
    return this.carried;
  }

  /** The files of the next state, copied first when a snapshot holds them. */
  private writableFiles(): Map<string, WorkspaceFile> {
    if (this.filesShared) {
      this.files = new Map(this.files);
      this.filesShared = false;
    }
    return this.files;
  }

  /**
   * A file parsed by another thread of an audit, known here only by its resources rebuilt
   * from extracts (no text, no positions): cross-resource rules read it, nothing lints it.
   */
  addForeignFile(uri: string, resources: readonly Resource[]): void {
    this.store(this.files.get(uri), { uri, parsed: NO_TEXT, resources });
  }

  /**
   * A workspace at the same state, sharing every parsed file: fixes are tried on it without
   * touching this one. It must not outlive this workspace's next change of a large document
   * it shares (which may update that document's tree in place): use it synchronously.
   */
  fork(): Workspace {
    const copy = new Workspace();
    copy.made = this.snapshot;
    copy.files = this.files;
    copy.filesShared = true;
    copy.settings = this.settings;
    copy.history = this.history;
    return copy;
  }

  removeFile(uri: string): boolean {
    const file = this.files.get(uri);
    if (!file) return false;
    const carried = this.nextCarried();
    this.writableFiles().delete(uri);
    carried.sortedUris = undefined;
    carried.structure = undefined;
    carried.allResources = undefined;
    carried.kindIndex = undefined;
    if (file.resources.length > 0 || isKustomizationFile(uri)) this.history = freshCrossState();
    return true;
  }

  getFile(uri: string): WorkspaceFile | undefined {
    return this.files.get(uri);
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  resources(): readonly Resource[] {
    return this.snapshot.resources();
  }

  ofKind(kind: string): readonly Resource[] {
    return this.snapshot.ofKind(kind);
  }

  memo<T>(key: string, compute: () => T): T {
    return this.snapshot.memo(key, compute);
  }

  /** The resources of one file (none for an unknown URI). */
  resourcesOf(uri: string): readonly Resource[] {
    return this.files.get(uri)?.resources ?? [];
  }

  /** The kustomizations of the workspace, read statically. */
  kustomize(): KustomizeGraph {
    return this.snapshot.kustomize();
  }

  /** The contexts a file is linted in: one per overlay that builds it, else its unit; none for a patch file. */
  contextsOf(uri: string): readonly LintContext[] {
    return this.snapshot.contextsOf(uri);
  }

  /**
   * The folders that are analysis units of their own (workspace folders, folders holding a
   * `.kube-zero-trust.yaml`): cross-resource rules see only the files of a file's unit.
   */
  setUnitRoots(roots: readonly string[]): void {
    const sorted = [...new Set(roots.map((root) => root.replace(/\/+$/, '')))].sort();
    if (sorted.join('\n') === this.unitRootUris.join('\n')) return;
    this.changeSettings({ unitRoots: sorted });
  }

  setIngressControllerNamespaces(namespaces: readonly string[] | undefined): void {
    if (namespaces?.join('\0') === this.ingressControllerNamespaces?.join('\0')) return;
    this.changeSettings({ ingressControllerNamespaces: namespaces });
  }

  setDefaultNamespace(namespace: string): void {
    if (namespace === this.defaultNamespace) return;
    this.changeSettings({ defaultNamespace: namespace });
  }

  /**
   * Other kinds with a pod template: every file's resources are read again (those of compact
   * files from their text), since which fields are pod specs changed. Files of other audit
   * threads (`addForeignFile`) must come from threads with the same ones.
   */
  setPodTemplates(podTemplates: PodTemplates): void {
    if (podTemplates.key === this.podTemplates.key) return;
    this.changeSettings({ podTemplates });
    this.resourceCache = new WeakMap();
    const files = this.writableFiles();
    for (const file of [...files.values()]) {
      if (file.parsed === NO_TEXT) continue;
      const parsed = file.compact ? parseFile(file.parsed.text) : file.parsed;
      const again: WorkspaceFile = { uri: file.uri, parsed, resources: this.readResources(file.uri, parsed) };
      takeSignatures(again.resources);
      files.set(file.uri, file.compact ? compactOf(again) : again);
    }
    this.carried = {};
  }

  /** Settings every file's cross-resource results depend on: a state no earlier one equals. */
  private changeSettings(change: Partial<WorkspaceSettings>): void {
    const carried = this.nextCarried();
    this.settings = { ...this.settings, ...change };
    // The units and overlay labels depend on the roots; the lists of resources on nothing here.
    if (change.unitRoots) carried.structure = undefined;
    this.history = freshCrossState();
  }
}

/**
 * A file's new resources in place of its old ones in the resource list and the kind index,
 * without going over every file again (a keystroke in a workspace of 25,000 resources).
 */
function patchLists(carried: Carried, uri: string, after: readonly Resource[]): void {
  carried.allResources = withFile(carried.allResources!, uri, after);
  if (carried.kindIndex) {
    const index = new Map(carried.kindIndex);
    const kinds = new Set(after.map((r) => r.kind));
    for (const [kind, list] of index) if (!kinds.has(kind)) index.set(kind, withFile(list, uri, []));
    for (const kind of kinds) index.set(kind, withFile(index.get(kind) ?? [], uri, after.filter((r) => r.kind === kind)));
    carried.kindIndex = index;
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

function isLean(parsed: ParsedFile): boolean {
  return parsed.chunks.some((chunk) => chunk.lean === true);
}

/**
 * A parse with no documents whose text is kept deflated. Made apart from `compactOf`: a closure
 * there would share that function's scope, which holds the whole parsed file, and keep it alive.
 */
function packedText(text: string, templated: boolean): ParsedFile {
  // UTF-16 code units, not UTF-8: any string comes back exactly, lone surrogates included.
  // Copied out of zlib's 16 KB output chunk, which would otherwise stay allocated per file.
  const packed = Buffer.from(deflateRawSync(Buffer.from(text, 'utf16le'), { level: 1 }));
  return {
    ...NO_TEXT,
    templated,
    get text() {
      return inflateRawSync(packed).toString('utf16le');
    },
  };
}

/**
 * The file without its syntax trees: its text, compressed (it is read again only to parse the
 * file, and YAML shrinks about fivefold), and its resources as other threads see them.
 */
function compactOf(file: WorkspaceFile): WorkspaceFile {
  const parsed = packedText(file.parsed.text, file.parsed.templated);
  const resources = file.resources.map((resource) => hydrateResource(extractResource(resource, namePlace(file.parsed, resource.docIndex, resource.item)), resource.podTemplates));
  return { uri: file.uri, parsed, resources, compact: true };
}

