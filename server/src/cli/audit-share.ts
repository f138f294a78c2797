import { Engine } from '../engine/engine';
import type { FileResult } from '../engine/lint';
import { extractResource, hydrateResource, type ResourceExtract } from '../workspace/resource-extract';
import type { Resource } from '../model/resource';
import { Workspace } from '../workspace/workspace';
import { loadFile, STDIN_URI, type LintOptions, type LoadedFile } from './audit';

/**
 * The files one thread of an audit parses and lints. Cross-resource rules see every file of
 * the audit: the files of the other threads come in as extracts (`addForeign`).
 */
export class AuditShare {
  private readonly engine: Engine;
  private readonly uris: string[] = [];

  /**
   * `contextFiles`: files of other threads this one must hold whole, not as extracts: the
   * kustomizations, which decide where every thread's files land.
   */
  constructor(
    private readonly files: readonly string[],
    private readonly stdin: string | undefined,
    private readonly options: LintOptions,
    private readonly contextFiles: readonly string[] = [],
  ) {
    this.engine = new Engine(new Workspace(options.defaultNamespace), options.config);
    this.engine.workspace.setUnitRoots(options.unitRoots ?? []);
  }

  /** Reads and parses this share's files; `onFile` hears how many are done. */
  load(onFile?: (done: number) => void): LoadedFile[] {
    const workspace = this.engine.workspace;
    if (this.stdin !== undefined) {
      workspace.setFile(STDIN_URI, this.stdin);
      this.uris.push(STDIN_URI);
    }
    for (const path of this.contextFiles) {
      const file = loadFile(path, this.options);
      if ('text' in file) workspace.setFile(file.uri, file.text);
    }
    return this.files.map((path, i) => {
      const file = loadFile(path, this.options);
      onFile?.(i + 1);
      if ('text' in file) {
        workspace.setFile(file.uri, file.text);
        this.uris.push(file.uri);
      }
      return file;
    });
  }

  /** What the other threads need of this share's resources. */
  extracts(): ResourceExtract[] {
    const out: ResourceExtract[] = [];
    for (const uri of this.uris) for (const resource of this.engine.workspace.getFile(uri)!.resources) out.push(extractResource(resource));
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

  lint(): FileResult[] {
    return this.uris.map((uri) => this.engine.lint(uri));
  }
}
