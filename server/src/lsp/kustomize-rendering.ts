import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { FileResult } from '../engine/lint';
import { resolveKustomizeCommand, type KustomizeCommand } from '../kustomize-runner/command';
import { renderTargets } from '../kustomize-runner/render-targets';
import { SOURCE } from '../protocol/protocol';
import { renderContexts, type RenderNote } from '../rendering/render-contexts';
import { renderTargetsOf } from '../rendering/targets';
import type { Linting } from './linting';

/** Diagnostic codes of kustomizations that were not rendered. */
export const RENDER_FAILED_CODE = 'kustomize-render-failed';
export const NOT_RENDERED_CODE = 'kustomize-not-rendered';

/**
 * Kustomizations rendered by kustomize in the editor: on open and save of a file some
 * top-level kustomization deploys (never per keystroke), and for Audit Workspace; only in a
 * trusted workspace (rendering runs a program on it). The files' rendered results replace
 * their own while their text is the text that was rendered; an edit brings back the file's
 * own findings until the next save.
 */
export class KustomizeRendering {
  /** Set from the client's `initializationOptions` and its trust notification; never from the workspace. */
  trusted = false;
  /** By file URI: its result over the rendered contexts, and the text it holds for. */
  private readonly results = new Map<string, { text: string; result: FileResult }>();
  /** By kustomization URI. */
  private readonly notes = new Map<string, RenderNote[]>();
  /** Renders run one after another: a later one sees what an earlier one stored. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly linting: Linting) {}

  /** The command to render with: none in an untrusted workspace, when off, or when none is found. */
  command(): KustomizeCommand | undefined {
    return this.trusted ? resolveKustomizeCommand(this.linting.settings.kustomizeCommand) : undefined;
  }

  /** Renders the top-level kustomizations that deploy one of `uris` (every one for `all`). */
  render(uris: readonly string[] | 'all', onProgress?: (done: number, total: number) => void): Promise<void> {
    const run = this.queue.then(() => this.renderNow(uris, onProgress));
    this.queue = run.catch((error: unknown) => this.linting.log(`Rendering kustomizations failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
    return this.queue;
  }

  /** Whether a file has a rendered result (for some text of it). */
  covers(uri: string): boolean {
    return this.results.has(uri);
  }

  /** A file's rendered result, while it holds the text that was rendered. */
  resultFor(uri: string, text: string): FileResult | undefined {
    const stored = this.results.get(uri);
    return stored && stored.text === text ? stored.result : undefined;
  }

  /** Diagnostics of a kustomization that was not rendered (kustomize's error, remote resources). */
  diagnosticsFor(uri: string): Diagnostic[] {
    const file = this.linting.engine.workspace.getFile(uri);
    return (this.notes.get(uri) ?? []).map((note) => ({
      range: file ? { start: file.parsed.lines.positionAt(note.start), end: file.parsed.lines.positionAt(note.end) } : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: note.level === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
      source: SOURCE,
      code: note.level === 'warning' ? RENDER_FAILED_CODE : NOT_RENDERED_CODE,
      message: note.message,
    }));
  }

  /** The kustomizations not rendered, for an audit's "Not checked" list. */
  notRendered(): Array<{ uri: string; reason: string; level: RenderNote['level'] }> {
    return [...this.notes.values()].flat().map((note) => ({ uri: note.uri, reason: note.message, level: note.level }));
  }

  private async renderNow(uris: readonly string[] | 'all', onProgress?: (done: number, total: number) => void): Promise<void> {
    const workspace = this.linting.engine.workspace;
    const command = this.command();
    if (!command) {
      if (this.results.size || this.notes.size) {
        this.results.clear();
        this.notes.clear();
        this.linting.invalidate();
      }
      return;
    }
    const all = renderTargetsOf(workspace.kustomize(), (uri) => workspace.getFile(uri));
    const targets = uris === 'all' ? all : all.filter((target) => uris.some((uri) => target.uri === uri || target.members.includes(uri)));
    if (targets.length === 0) return;
    const members = [...new Set(targets.flatMap((target) => target.members))];
    // The rendered findings are placed on the files' trees: files kept compact are parsed again.
    for (const uri of members) workspace.expand(uri);
    const texts = new Map(members.flatMap((uri) => {
      const text = workspace.getFile(uri)?.parsed.text;
      return text === undefined ? [] : [[uri, text] as const];
    }));
    const rendered = await renderTargets(targets, command, { onProgress });
    // A file edited while kustomize ran is not what was rendered: its findings wait for the next save.
    const unchanged = (uri: string) => workspace.getFile(uri)?.parsed.text === texts.get(uri);
    const { results, notes } = renderContexts({
      targets,
      results: rendered,
      own: (uri) => (unchanged(uri) ? this.linting.engine.lint(uri) : undefined),
      sources: (uri) => workspace.getFile(uri),
      rules: this.linting.engine.rules,
      config: (uri) => this.linting.engine.configFor(uri),
      defaultNamespace: workspace.defaultNamespace,
    });
    // A full render replaces everything: kustomizations removed since leave nothing behind.
    if (uris === 'all') {
      this.results.clear();
      this.notes.clear();
    }
    for (const uri of members) this.results.delete(uri);
    for (const [uri, result] of results) this.results.set(uri, { text: texts.get(uri) ?? '', result });
    for (const target of targets) this.notes.delete(target.uri);
    for (const note of notes) this.notes.set(note.uri, [...(this.notes.get(note.uri) ?? []), note]);
    this.linting.invalidate();
  }
}

