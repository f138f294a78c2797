import type { Connection, Diagnostic } from 'vscode-languageserver';
import type { Engine } from '../engine/engine';
import { isCrossResource } from '../engine/rule';
import type { FileResult } from '../engine/lint';
import type { WorkspaceFile } from '../workspace/snapshot';
import type { ResolvedConfig } from '../config/resolve-config';
import { toDiagnostic } from './to-diagnostic';
import { BackgroundParser } from '../audit/background-parse';
import type { SetFileOptions } from '../workspace/workspace';
import { DEFAULT_SETTINGS, type Settings } from '../protocol/protocol';

/** Results that replace a file's own while it holds a given text (kustomizations rendered by kustomize). */
export interface RenderedResults {
  /** Whether a file has a rendered result (for some text of it). */
  covers(uri: string): boolean;
  resultFor(uri: string, text: string): FileResult | undefined;
  /** Diagnostics of the file beyond its findings (a kustomization that was not rendered). */
  diagnosticsFor(uri: string): Diagnostic[];
}

/** How long typing must pause before a provisional syntax error is replaced by the exact one. */
const SETTLE_MS = 300;
/**
 * Files nobody has open are made compact again this long after the last of their diagnostics
 * was published: all at once, since each change drops the workspace's memos, which the next
 * file's lint would rebuild.
 */
const COMPACT_AFTER_MS = 200;

/**
 * Keeps diagnostics current: debounces keystrokes per document, lints only the latest
 * text (older pending validations are dropped), caches each file's result for code
 * actions and hovers, and re-lints the other published files when a change can affect
 * them through cross-resource rules (the snapshot's `crossState` changed).
 */
export class Linting {
  settings: Settings = DEFAULT_SETTINGS;
  /** The client applies LSP change annotations (`needsConfirmation`): fixes that change behaviour ask first. */
  clientConfirmsChanges = false;
  /** Files whose diagnostics are shown: open documents and audited files. */
  readonly published = new Set<string>();
  /** Each pending lint's cancel. */
  private readonly timers = new Map<string, () => void>();
  private readonly settleTimers = new Map<string, NodeJS.Timeout>();
  /** Each file's last result, valid while the file (its parse) and the generation are the same. */
  private readonly results = new Map<string, { file: WorkspaceFile | undefined; generation: number; result: FileResult }>();
  /** The editor's version of each open document's text (absent for files read from disk). */
  private readonly versions = new Map<string, number>();
  private generation = 0;
  /** Files nobody has open whose diagnostics were published from a parse: made compact again soon. */
  private readonly toCompact = new Set<string>();
  /** Parses large documents whole (settling provisional errors) off the thread that answers keystrokes. */
  private readonly background = new BackgroundParser();
  private compactTimer: NodeJS.Timeout | undefined;
  rendered: RenderedResults | undefined;

  constructor(private readonly connection: Connection, readonly engine: Engine) {}

  /** Results changed outside the files (new rendered results): every shown file is checked again. */
  invalidate(): void {
    this.generation++;
    this.relintAll();
  }

  /** New settings and the configuration resolved from them and the workspace's config file. */
  applySettings(settings: Settings, resolved: ResolvedConfig): void {
    this.settings = settings;
    this.engine.config = resolved.engine;
    this.engine.workspace.setDefaultNamespace(resolved.defaultNamespace);
    this.engine.workspace.setIngressControllerNamespaces(resolved.ingressControllerNamespaces);
    this.generation++;
    this.relintAll();
  }

  /**
   * New text for a file (open document or disk); lints it after the debounce. A file whose
   * diagnostics nobody sees is kept compact: cross-resource rules read it, nothing lints it.
   * `version`: the open document's version of `text`, sent with its diagnostics so that a
   * client can tell which edit they belong to (none for text read from disk).
   */
  update(uri: string, text: string, show: boolean, version?: number): void {
    if (version === undefined) this.versions.delete(uri);
    else this.versions.set(uri, version);
    this.apply(uri, text, show, true);
  }

  /**
   * `provisional`: a large document this edit leaves invalid may show the error of the edited
   * block only (see `ParseOptions.provisional`); the exact error replaces it when typing pauses.
   */
  private apply(uri: string, text: string, show: boolean, provisional: boolean, settled?: SetFileOptions['settled']): void {
    const state = this.engine.workspace.snapshot.crossState;
    const compact = !show && !this.published.has(uri);
    const file = this.engine.workspace.setFile(uri, text, { compact, provisional, settled, lean: compact ? this.engine.lean : undefined });
    if (show) this.published.add(uri);
    this.scheduleSettle(uri, file);
    this.schedule(uri);
    // Other files are re-checked only when the edit can change their cross-resource findings.
    if (this.engine.workspace.snapshot.crossState !== state) {
      this.generation++;
      this.scheduleDependents(uri);
    }
  }

  remove(uri: string): void {
    const state = this.engine.workspace.snapshot.crossState;
    this.engine.workspace.removeFile(uri);
    this.clear(uri);
    if (this.engine.workspace.snapshot.crossState !== state) {
      this.generation++;
      this.scheduleDependents(uri);
    }
  }

  /** Stops showing a file's diagnostics (closed and not part of an audit). */
  clear(uri: string): void {
    this.timers.get(uri)?.();
    this.timers.delete(uri);
    clearTimeout(this.settleTimers.get(uri));
    this.settleTimers.delete(uri);
    this.results.delete(uri);
    this.versions.delete(uri);
    // No version: no findings holds for whatever version the file is at (closed, excluded, too large).
    if (this.published.delete(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** The current result for a file, computed now if the cached one is stale. */
  result(uri: string): FileResult {
    const file = this.engine.workspace.getFile(uri);
    const cached = this.results.get(uri);
    if (cached && file && cached.file === file && cached.generation === this.generation) return cached.result;
    const result = (file && this.rendered?.resultFor(uri, file.parsed.text)) || this.engine.lint(uri);
    for (const failure of result.failures) this.log(`Internal error: rule ${failure.ruleId} failed on ${failure.resource} in ${uri}: ${failure.error}`);
    this.results.set(uri, { file, generation: this.generation, result });
    return result;
  }

  log(message: string): void {
    this.connection.console.error(message);
  }

  publish(uri: string): number {
    const result = this.result(uri);
    this.send(uri, result);
    if (!this.versions.has(uri)) this.dropState(uri);
    return result.findings.length;
  }

  /**
   * Publishes the result an audit computed in another thread for a file nobody has open (one
   * of kustomize's rendered results replaces it, as in `result`). Nothing of it is kept here:
   * the file stays compact.
   */
  publishComputed(uri: string, computed: FileResult): FileResult {
    if (this.rendered?.covers(uri)) {
      const result = this.result(uri);
      this.send(uri, result);
      this.dropState(uri);
      return result;
    }
    this.send(uri, computed);
    return computed;
  }

  private send(uri: string, result: FileResult): void {
    this.published.add(uri);
    // The version of the text these findings are for: the workspace holds the document's latest text.
    void this.connection.sendDiagnostics({ uri, version: this.versions.get(uri), diagnostics: [...result.findings.map(toDiagnostic), ...(this.rendered?.diagnosticsFor(uri) ?? [])] });
  }

  /** A file nobody has open, published: its result is not kept, and its trees go once the publishing is over. */
  private dropState(uri: string): void {
    this.results.delete(uri);
    this.toCompact.add(uri);
    clearTimeout(this.compactTimer);
    this.compactTimer = setTimeout(() => {
      const workspace = this.engine.workspace;
      for (const closed of this.toCompact) {
        const file = workspace.getFile(closed);
        if (file && !file.compact && !this.versions.has(closed)) workspace.setFile(closed, file.parsed.text, { compact: true });
      }
      this.toCompact.clear();
    }, COMPACT_AFTER_MS);
  }

  relintAll(): void {
    for (const uri of this.published) this.schedule(uri);
  }

  private schedule(uri: string): void {
    if (!this.published.has(uri)) return;
    this.timers.get(uri)?.();
    this.timers.set(uri, after(this.settings.debounceMs, () => {
      this.timers.delete(uri);
      if (this.published.has(uri)) this.publish(uri);
    }));
  }

  /**
   * Gives a file with a provisional syntax error its exact one once its text has not changed for
   * a while. The provisional documents are parsed whole in the parse thread: a keystroke
   * meanwhile is answered at once, and the settled errors are dropped if the text changed.
   */
  private scheduleSettle(uri: string, file: WorkspaceFile): void {
    clearTimeout(this.settleTimers.get(uri));
    this.settleTimers.delete(uri);
    if (!file.parsed.provisional) return;
    this.settleTimers.set(uri, setTimeout(() => {
      this.settleTimers.delete(uri);
      const current = this.engine.workspace.getFile(uri);
      if (!current?.parsed.provisional) return;
      const text = current.parsed.text;
      const chunks = current.parsed.chunks.filter((chunk) => chunk.provisional && !chunk.settled).map((chunk) => chunk.text);
      const settle = (settled?: SetFileOptions['settled']) => {
        const now = this.engine.workspace.getFile(uri);
        if (now?.parsed.text === text && now.parsed.provisional) this.apply(uri, text, false, false, settled);
      };
      this.background.settledErrors(chunks).then(
        (errors) => settle((chunk) => errors[chunks.indexOf(chunk)]),
        (error: unknown) => {
          this.log(`The parse thread failed: ${error instanceof Error ? error.message : String(error)}`);
          settle();
        },
      );
    }, SETTLE_MS));
  }

  private scheduleDependents(changed: string): void {
    if (!this.engine.rules.some((rule) => isCrossResource(rule.meta))) return;
    for (const uri of this.published) if (uri !== changed) this.schedule(uri);
  }
}

/**
 * Runs `run` after `ms`; returns its cancel. No debounce runs it once the messages already
 * read are handled: a 0 ms timer would wait 1 ms (Node's least delay) for nothing.
 */
function after(ms: number, run: () => void): () => void {
  if (ms > 0) {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  }
  const immediate = setImmediate(run);
  return () => clearImmediate(immediate);
}
