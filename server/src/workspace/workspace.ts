import type { Document } from 'yaml';
import { Resource } from '../model/resource';
import { parseFile, type ParsedFile } from '../parsing/parse-file';

/** The cross-resource queries rules may make. Read-only. */
export interface WorkspaceView {
  /** Namespace of objects that do not name one (`kubeZeroTrust.defaultNamespace`). */
  readonly defaultNamespace: string;
  resources(): Iterable<Resource>;
  ofKind(kind: string): readonly Resource[];
  /**
   * Derived data (a policy index, an RBAC graph) computed once per workspace state and
   * shared by every rule and file until a file changes.
   */
  memo<T>(key: string, compute: () => T): T;
}

export interface WorkspaceFile {
  readonly uri: string;
  readonly parsed: ParsedFile;
  readonly resources: readonly Resource[];
}

/**
 * Every manifest the engine knows: the open documents and, for audits and cross-resource
 * rules, the files of the workspace. Text goes in through `setFile`; nothing here reads disk.
 */
export class Workspace implements WorkspaceView {
  private readonly files = new Map<string, WorkspaceFile>();
  private kindIndex: Map<string, Resource[]> | undefined;
  private memos = new Map<string, unknown>();
  /** Unchanged documents keep their Resource object, so per-resource results can be reused. */
  private readonly resourceCache = new WeakMap<Document, Resource | null>();

  constructor(public defaultNamespace = 'default') {}

  setFile(uri: string, text: string): WorkspaceFile {
    const previous = this.files.get(uri);
    if (previous && previous.parsed.text === text) return previous;
    const parsed = parseFile(text, previous?.parsed);
    const resources: Resource[] = [];
    for (const doc of parsed.docs) {
      let resource = this.resourceCache.get(doc.doc);
      if (resource === undefined || resource?.uri !== uri || resource.parsed.index !== doc.index || resource.parsed.base !== doc.base) {
        resource = doc.doc.errors.length ? null : (Resource.from(uri, doc) ?? null);
        this.resourceCache.set(doc.doc, resource);
      }
      if (resource) resources.push(resource);
    }
    const file = { uri, parsed, resources };
    this.files.set(uri, file);
    this.changed();
    return file;
  }

  /** A copy that shares every parsed file: fixes are tried on it without touching this one. */
  fork(): Workspace {
    const copy = new Workspace(this.defaultNamespace);
    for (const [uri, file] of this.files) copy.files.set(uri, file);
    return copy;
  }

  removeFile(uri: string): boolean {
    const removed = this.files.delete(uri);
    if (removed) this.changed();
    return removed;
  }

  getFile(uri: string): WorkspaceFile | undefined {
    return this.files.get(uri);
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  *resources(): Iterable<Resource> {
    for (const file of this.files.values()) yield* file.resources;
  }

  ofKind(kind: string): readonly Resource[] {
    if (!this.kindIndex) {
      this.kindIndex = new Map();
      for (const resource of this.resources()) {
        const list = this.kindIndex.get(resource.kind) ?? [];
        list.push(resource);
        this.kindIndex.set(resource.kind, list);
      }
    }
    return this.kindIndex.get(kind) ?? [];
  }

  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  setDefaultNamespace(namespace: string): void {
    if (namespace === this.defaultNamespace) return;
    this.defaultNamespace = namespace;
    this.changed();
  }

  private changed(): void {
    this.kindIndex = undefined;
    this.memos = new Map();
  }
}
