import type { PodTemplateKind } from '../model/pod-templates';
import { ruleProfiles, type Profile, type Rule, type RuleOptions, type Severity } from './rule';

export type RuleSetting = Severity | 'off';

/**
 * A config-file exemption: silences findings on matching resources, for teams that cannot
 * annotate what they deploy (third-party charts). Every field but `reason` narrows the match.
 */
export interface Exemption {
  kind?: string;
  /** Glob on `metadata.name`. */
  name?: string;
  /** Glob on the namespace the object lands in. */
  namespace?: string;
  /** Glob on the container name, for container-level findings. */
  container?: string;
  /** Rule ids; omitted means every rule. */
  rules?: string[];
  reason: string;
  /** `YYYY-MM-DD`; from that day on the exemption no longer applies. */
  expires?: string;
}

/** What the user chose: a profile and per-rule overrides (settings, config file, CLI flags). */
export interface EngineConfig {
  profile: Profile;
  rules: Readonly<Record<string, RuleSetting>>;
  exemptions?: readonly Exemption[];
  /** Rules that in-source suppressions (annotations, comments) cannot silence. */
  strict?: readonly string[];
  /** Honour kube-linter, Polaris, Checkov and kube-score ignore annotations for the mapped rules (default true). */
  peerAnnotations?: boolean;
  /**
   * Kinds besides the built-in ones whose objects hold a pod template (a team's own CRDs). For
   * the whole workspace: the engine's own configuration's, not a folder's (`Engine.configFor`).
   */
  podTemplates?: readonly PodTemplateKind[];
  /** Rule options by rule id (validated against each rule's `meta.options.schema` by whoever reads them from a file). */
  ruleOptions?: Readonly<Record<string, RuleOptions>>;
  /**
   * Report namespaced objects that name no namespace (default-namespace). Off by default: that is
   * how manifests for `kubectl apply -n`, Helm and Kustomize are written.
   */
  requireNamespace?: boolean;
  /** Today's date (`YYYY-MM-DD`) for exemption expiry; the engine itself reads no clock. */
  today?: string;
}

export const DEFAULT_CONFIG: EngineConfig = { profile: 'restricted', rules: {} };

/** The severity a rule reports at, or undefined when it does not run. An explicit severity enables a rule outside its profile. */
export function effectiveSeverity(rule: Rule, config: EngineConfig): Severity | undefined {
  const setting = config.rules[rule.meta.id];
  if (setting === 'off') return undefined;
  if (setting) return setting;
  return ruleProfiles(rule.meta).includes(config.profile) ? rule.meta.severity : undefined;
}

/** A rule's options under a configuration: its defaults, with the configured values over them key by key. */
export function ruleOptionsOf(rule: Rule, config: EngineConfig): RuleOptions {
  const defaults = rule.meta.options?.defaults ?? NO_OPTIONS;
  const configured = config.ruleOptions?.[rule.meta.id];
  return configured ? { ...defaults, ...configured } : defaults;
}

const NO_OPTIONS: RuleOptions = Object.freeze({});
