import { DiagnosticSeverity, type Connection } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { relative } from 'node:path';
import { CONFIG_FILE_NAME, parseConfigFile, type FileConfig } from '../config/config-file';
import { pathGlobMatcher } from '../config/path-globs';
import { resolveConfig, type ResolvedConfig } from '../config/resolve-config';
import { SOURCE, type Settings } from '../protocol/protocol';

/**
 * The configuration in force per workspace folder: the user's settings overlaid with the
 * folder's `.kube-zero-trust.yaml`. An invalid file is reported at the offending line and
 * the last valid one stays in force.
 */
export class ConfigStore {
  private readonly files = new Map<string, FileConfig | undefined>();
  /** Resolved configs by folder; one object per state, so caches keyed by config identity stay valid. */
  private readonly resolved = new Map<string, ResolvedConfig>();

  constructor(private readonly connection: Connection, private readonly knownRules: ReadonlySet<string>) {}

  static isConfigFile(uri: string): boolean {
    return uri.endsWith(`/${CONFIG_FILE_NAME}`);
  }

  /** Reads new text of a folder's config file (undefined when deleted); returns true if the config in force changed. */
  update(folder: string, uri: string, text: string | undefined): boolean {
    this.resolved.clear();
    if (text === undefined) {
      void this.connection.sendDiagnostics({ uri, diagnostics: [] });
      return this.files.delete(folder);
    }
    const { config, errors } = parseConfigFile(text, this.knownRules);
    void this.connection.sendDiagnostics({
      uri,
      diagnostics: errors.map((e) => ({ range: e.range, message: `${e.message}. The previous configuration stays in force.`, severity: DiagnosticSeverity.Error, source: SOURCE, code: 'config-invalid' })),
    });
    if (!config) return false;
    this.files.set(folder, config);
    return true;
  }

  /** The resolved config for the folder that holds `uri` (the first folder's for anything else). */
  resolvedFor(settings: Settings, folders: readonly string[], uri?: string): ResolvedConfig {
    const folder = this.folderOf(folders, uri) ?? '';
    let resolved = this.resolved.get(folder);
    if (!resolved) {
      resolved = resolveConfig(settings, this.files.get(folder), new Date().toISOString().slice(0, 10));
      this.resolved.set(folder, resolved);
    }
    return resolved;
  }

  /** Settings changed: every resolved config must be recomputed. */
  invalidate(): void {
    this.resolved.clear();
  }

  /** True if `path` is excluded by the settings' or its folder's config globs (relative to the folder). */
  isExcluded(settings: Settings, folders: readonly string[], path: string): boolean {
    const uri = URI.file(path).toString();
    const folder = this.folderOf(folders, uri);
    if (!folder) return false;
    const globs = this.resolvedFor(settings, folders, uri).exclude;
    if (globs.length === 0) return false;
    // A glob may name a directory (`**/node_modules`, `charts`): any ancestor matching excludes the file.
    const segments = relative(folder, path).split(/[\\/]/);
    const isMatch = pathGlobMatcher(globs);
    return segments.some((_, i) => isMatch(segments.slice(0, i + 1).join('/')));
  }

  private folderOf(folders: readonly string[], uri?: string): string | undefined {
    if (!uri) return folders[0];
    const path = URI.parse(uri).fsPath;
    return folders.filter((f) => path === f || path.startsWith(`${f}/`)).sort((a, b) => b.length - a.length)[0] ?? folders[0];
  }
}
