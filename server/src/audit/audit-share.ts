import type { Engine } from '../engine/engine';
import type { FileResult } from '../engine/lint';
import { namePlace } from '../workspace/name-place';
import { extractResource, hydrateResource, type ResourceExtract } from '../workspace/resource-extract';
import type { Resource } from '../model/resource';
import { auditEngine, loadFile, type InMemoryFile, type LintOptions, type LoadedFile } from './load';

/**
 * The files one thread of an audit parses and lints. Cross-resource rules see every file of
 * the audit: the files of the other threads come in as extracts (`addForeign`).
 */
export class AuditShare {
  private readonly engine: Engine;
  private readonly uris: string[] = [];

  /**
   * `texts`: files given as text (standard input, documents open in the editor), linted like
   * the files read. `contextFiles`: files of other threads this one must hold whole, not as
   * extracts: the kustomizations, which decide where every thread's files land.
   */
  constructor(
    private readonly files: readonly string[],
    private readonly texts: readonly InMemoryFile[],
    private readonly options: LintOptions,
    private readonly contextFiles: readonly string[] = [],
  ) {
    this.engine = auditEngine(options);
  }

  /** Reads and parses this share's files; `onFile` hears how many are done. */
  load(onFile?: (done: number) => void): LoadedFile[] {
    const workspace = this.engine.workspace;
    // An audit's trees serve linting alone: what no rule reads is not built.
    const lean = this.engine.lean;
    for (const { uri, text } of this.texts) {
      workspace.setFile(uri, text, { lean });
      this.uris.push(uri);
    }
    for (const path of this.contextFiles) {
      const file = loadFile(path, this.options);
      if ('text' in file) workspace.setFile(file.uri, file.text, { lean });
    }
    return this.files.map((path, i) => {
      const file = loadFile(path, this.options);
      onFile?.(i + 1);
      if ('text' in file) {
        workspace.setFile(file.uri, file.text, { lean });
        this.uris.push(file.uri);
      }
      return file;
    });
  }

  /** What the other threads need of this share's resources. */
  extracts(): ResourceExtract[] {
    const out: ResourceExtract[] = [];
    for (const uri of this.uris) {
      const file = this.engine.workspace.getFile(uri)!;
      for (const resource of file.resources) out.push(extractResource(resource, namePlace(file.parsed, resource.docIndex, resource.item)));
    }
    return out;
  }

  /** The other threads' resources. */
  addForeign(extracts: readonly ResourceExtract[]): void {
    const byUri = new Map<string, Resource[]>();
    for (const extract of extracts) {
      const resource = hydrateResource(extract, this.engine.workspace.podTemplates);
      const list = byUri.get(extract.uri);
      if (list) list.push(resource);
      else byUri.set(extract.uri, [resource]);
    }
    for (const [uri, resources] of byUri) if (!this.engine.workspace.getFile(uri)) this.engine.workspace.addForeignFile(uri, resources);
  }

  /** Lints every file of the share, in order; `onResults` gets them in batches of `batch`. */
  lint(onResults: (results: FileResult[]) => void, batch = Infinity): void {
    let pending: FileResult[] = [];
    for (const uri of this.uris) {
      pending.push(this.engine.lint(uri));
      if (pending.length >= batch) {
        onResults(pending);
        pending = [];
      }
    }
    if (pending.length) onResults(pending);
  }
}
