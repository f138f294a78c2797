import { relative } from 'node:path';
import { URI } from 'vscode-uri';
import type { EngineConfig } from '../engine/config';
import { Engine } from '../engine/engine';
import { Workspace } from '../workspace/workspace';
import { readLintable } from '../workspace/file-scan';

/** What every thread of an audit needs to load and lint files (plain data: it is sent to workers). */
export interface LintOptions {
  config: EngineConfig;
  defaultNamespace: string;
  maxBytes: number;
  cwd: string;
  /**
   * Folders (URIs) that are analysis units of their own: the folders audited and those holding a
   * `.kube-zero-trust.yaml`.
   */
  unitRoots?: readonly string[];
  /**
   * Folders (file system paths) with a configuration of their own (the editor's workspace folders
   * and their `.kube-zero-trust.yaml`): a file gets its deepest folder's, else `config`.
   */
  folderConfigs?: ReadonlyArray<{ folder: string; config: EngineConfig }>;
  /** `ingressControllerNamespaces` of the configuration (undefined: each controller's usual ones). */
  ingressControllerNamespaces?: readonly string[];
}

/** A text linted as a file without reading the disk: standard input, a document open in the editor. */
export interface InMemoryFile {
  uri: string;
  text: string;
}

/** One file read for an audit: its manifest text, or why it is not linted. */
export type LoadedFile =
  | { path: string; uri: string; displayPath: string; text: string }
  | { path: string; problem: string }
  | { path: string; chart: string };

export function loadFile(path: string, options: LintOptions): LoadedFile {
  const read = readLintable(path, options.maxBytes);
  if (!('text' in read)) return { path, ...read };
  return { path, uri: URI.file(path).toString(), displayPath: displayPath(path, options.cwd), text: read.text };
}

/** Relative to the working directory, as reports name files. */
export function displayPath(path: string, cwd: string): string {
  return relative(cwd, path) || path;
}

/** An engine configured as `options` say, over an empty workspace (every thread of an audit starts from one). */
export function auditEngine(options: LintOptions): Engine {
  const engine = new Engine(new Workspace(options.defaultNamespace), options.config);
  engine.workspace.setUnitRoots(options.unitRoots ?? []);
  engine.workspace.setIngressControllerNamespaces(options.ingressControllerNamespaces);
  const folders = [...(options.folderConfigs ?? [])].sort((a, b) => b.folder.length - a.folder.length);
  if (folders.length) {
    // The deepest folder holding the file, as the language server's configuration store decides.
    engine.configFor = (uri) => {
      const path = URI.parse(uri).fsPath;
      return folders.find(({ folder }) => path === folder || path.startsWith(`${folder}/`))?.config ?? options.config;
    };
  }
  return engine;
}
