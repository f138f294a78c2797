import { RULES } from '../../../rules';
import type { OffsetEdit } from '../edits/offset-edit';
import type { LeanPolicy } from '../parsing/lean-parse';
import { PodTemplates } from '../model/pod-templates';
import { Workspace } from '../workspace/workspace';
import { DEFAULT_CONFIG, type EngineConfig } from './config';
import type { Finding, FindingFix } from './finding';
import { fixAll } from './fix-all';
import { leanPolicy } from './lean-kinds';
import { lintFile, type FileResult } from './lint';
import type { Rule } from './rule';
import { RuleCache } from './rule-cache';

/**
 * The one engine behind the language server, the CLI and the tests: a workspace of
 * manifests (text in), the rules, and the user's configuration; findings and edits out.
 */
export class Engine {
  private current: EngineConfig = DEFAULT_CONFIG;

  constructor(
    readonly workspace: Workspace = new Workspace(),
    config: EngineConfig = DEFAULT_CONFIG,
    readonly rules: readonly Rule[] = RULES,
  ) {
    this.config = config;
  }

  /**
   * The configuration. Its `podTemplates` apply to the whole workspace (which fields of which
   * kinds are pod specs is what every file's cross-resource analyses read of the others).
   */
  get config(): EngineConfig {
    return this.current;
  }

  set config(config: EngineConfig) {
    this.current = config;
    this.workspace.setPodTemplates(PodTemplates.of(config.podTemplates));
  }

  /** Rule results by document: this engine's own, keyed by everything they depend on. */
  readonly cache = new RuleCache();

  private leanFor: { key: string; policy: LeanPolicy } | undefined;

  /**
   * What this engine's rules read of each kind: for files whose trees serve linting alone
   * (`SetFileOptions.lean`: an audit's, a compact file's), never for a document open in the editor.
   */
  get lean(): LeanPolicy {
    const podTemplates = this.workspace.podTemplates;
    if (this.leanFor?.key !== podTemplates.key) this.leanFor = { key: podTemplates.key, policy: leanPolicy(this.rules, podTemplates) };
    return this.leanFor.policy;
  }

  /** The configuration for a file; multi-root servers replace it to give each folder its own. */
  configFor: (uri: string) => EngineConfig = () => this.config;

  lint(uri: string): FileResult {
    this.workspace.expand(uri, this.lean);
    return lintFile(this.workspace.snapshot, uri, this.rules, this.configFor(uri), this.cache);
  }

  /** One edit that applies every selected fix to the file, re-linting between passes; `applied` sees each fix that went in. */
  fixAll(uri: string, select: (finding: Finding) => boolean, applied?: (fix: FindingFix) => void): OffsetEdit | undefined {
    const file = this.workspace.getFile(uri);
    if (!file) return undefined;
    const scratch = this.workspace.fork();
    return fixAll(file.parsed.text, (text) => {
      scratch.setFile(uri, text);
      return lintFile(scratch.snapshot, uri, this.rules, this.configFor(uri), this.cache).findings;
    }, select, applied);
  }
}

/** Lints one text on its own (plus optional other files for cross-resource rules). */
export function lintText(
  text: string,
  options: { uri?: string; config?: EngineConfig; rules?: readonly Rule[]; files?: Record<string, string> } = {},
): FileResult {
  const uri = options.uri ?? 'file:///manifest.yaml';
  const engine = new Engine(new Workspace(), options.config ?? DEFAULT_CONFIG, options.rules ?? RULES);
  for (const [other, content] of Object.entries(options.files ?? {})) engine.workspace.setFile(other, content);
  engine.workspace.setFile(uri, text);
  return engine.lint(uri);
}
