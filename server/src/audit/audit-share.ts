import type { Engine } from '../engine/engine';
import type { Finding } from '../engine/finding';
import type { FileResult } from '../engine/lint';
import { namePlace } from '../workspace/name-place';
import { extractResource, hydrateResource, type ResourceExtract } from '../workspace/resource-extract';
import type { Resource } from '../model/resource';
import { auditEngine, loadFile, type InMemoryFile, type LintOptions, type LoadedFile } from './load';

/** Results per batch: the editor publishes diagnostics and reports progress as they come, and the lint yields between them. */
export const RESULTS_BATCH = 20;

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
    for (const { uri, text } of this.texts) this.add(uri, text);
    for (const path of this.contextFiles) {
      const file = loadFile(path, this.options);
      if ('text' in file) this.engine.workspace.setFile(file.uri, file.text, { lean: this.engine.lean });
    }
    return this.files.map((path, i) => {
      const file = loadFile(path, this.options);
      onFile?.(i + 1);
      if ('text' in file) this.add(file.uri, file.text);
      return file;
    });
  }

  /** One file of this share, parsed: an audit's trees serve linting alone, so lean. */
  private add(uri: string, text: string): void {
    this.engine.workspace.setFile(uri, text, { lean: this.engine.lean });
    this.uris.push(uri);
  }

  /** What the other threads need of this share's resources. */
  extracts(): ResourceExtract[] {
    return this.uris.flatMap((uri) => {
      const file = this.engine.workspace.getFile(uri)!;
      return file.resources.map((resource) => extractResource(resource, namePlace(file.parsed, resource.docIndex, resource.item)));
    });
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

  /**
   * Lints every file of the share, in order; `onResults` gets them in batches of `batch`. It
   * yields to the event loop after each batch: the trees that compact and other threads'
   * resources rebuild when read are held through WeakRefs, which keep them until the current
   * job ends, so a lint that never yields would hold every one of them.
   */
  async lint(onResults: (results: FileResult[]) => void, batch = Infinity): Promise<void> {
    let pending: FileResult[] = [];
    for (const uri of this.uris) {
      pending.push(plainResult(this.engine.lint(uri)));
      if (pending.length >= batch) {
        onResults(pending);
        pending = [];
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (pending.length) onResults(pending);
  }
}

/**
 * A result as it arrives from a worker thread (a structured clone): plain data, without the
 * fixes a finding builds on first read (`Finding.fixes`), whose closures hold the syntax trees.
 * An audit reports no fixes; kept, they would keep every tree of the audit alive.
 */
function plainResult(result: FileResult): FileResult {
  const plain = (finding: Finding) => ({ ...finding }) as Finding;
  return { ...result, findings: result.findings.map(plain), suppressed: result.suppressed.map(plain) };
}
