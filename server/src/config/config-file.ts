import Ajv from 'ajv';
import { isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import type { Range } from 'vscode-languageserver-textdocument';
import type { Exemption, RuleSetting } from '../engine/config';
import type { PodTemplateKind } from '../model/pod-templates';
import type { Profile, RuleOptions } from '../engine/rule';
import schema from './kube-zero-trust.schema.json';

export const CONFIG_FILE_NAME = '.kube-zero-trust.yaml';

/** The contents of `.kube-zero-trust.yaml`, as written (every field optional). */
export interface FileConfig {
  profile?: Profile;
  rules?: Record<string, RuleSetting>;
  /** Options of rules, by rule id (validated against each rule's schema, which the JSON Schema holds). */
  ruleOptions?: Record<string, RuleOptions>;
  exclude?: string[];
  defaultNamespace?: string;
  strict?: string[];
  peerAnnotations?: boolean;
  /** Report namespaced objects without `metadata.namespace` (default-namespace). */
  requireNamespace?: boolean;
  exemptions?: Exemption[];
  /** Files larger than this are not checked (reported as not checked). */
  maxFileSizeMB?: number;
  /** Where ingress controllers and gateways run: generated NetworkPolicies admit their traffic to Ingress and route backends. */
  ingressControllerNamespaces?: string[];
  /** Kinds besides the built-in ones whose objects hold a pod template. */
  podTemplates?: PodTemplateKind[];
}

export interface ConfigError {
  range: Range;
  message: string;
}

/**
 * Bounds on patterns of the file, which comes with the workspace and so may be hostile.
 * `exclude` globs are matched segment by segment without a regular expression
 * (`path-globs.ts`), in time that grows with the glob's length and its `*`. Exemption patterns are matched by `wildcardMatch` in at most
 * (name length × pattern length) steps; a Kubernetes name has at most 253 characters, so a
 * longer pattern has no use.
 */
const MAX_GLOB_LENGTH = 1024;
const MAX_GLOB_STARS = 16;
const MAX_EXEMPTION_PATTERN_LENGTH = 256;

// `defaultSnippets`: editor completion (the YAML extension), nothing to validate.
const ajv = new Ajv({ allErrors: true }).addVocabulary(['defaultSnippets']);
const validate = ajv.compile<FileConfig>(schema);
const validatePodTemplates = ajv.compile<PodTemplateKind[]>(schema.properties.podTemplates);
const validateRuleOptions = ajv.compile<Record<string, RuleOptions>>(schema.properties.ruleOptions);

/** The `kubeZeroTrust.podTemplates` setting, when it is valid as the config file's `podTemplates` is; else none. */
export function podTemplatesSetting(value: unknown): PodTemplateKind[] {
  return validatePodTemplates(value) ? value : [];
}

/** The `kubeZeroTrust.ruleOptions` setting, when it is valid as the config file's `ruleOptions` is; else none. */
export function ruleOptionsSetting(value: unknown): Record<string, RuleOptions> {
  return validateRuleOptions(value) ? value : {};
}

/**
 * Parses and validates a config file. Errors point at the offending line; with any error
 * the caller keeps the previous config. Unknown rule ids are errors too (a typo would
 * otherwise silently do nothing).
 */
export function parseConfigFile(text: string, knownRules: ReadonlySet<string>): { config?: FileConfig; errors: ConfigError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const at = (offset: number, end = offset + 1): Range => {
    const s = lineCounter.linePos(offset);
    const e = lineCounter.linePos(end);
    return { start: { line: s.line - 1, character: s.col - 1 }, end: { line: e.line - 1, character: e.col - 1 } };
  };
  if (doc.errors.length) return { errors: doc.errors.map((e) => ({ range: at(e.pos[0], e.pos[1]), message: e.message.split('\n')[0] })) };
  const value = (doc.toJS({ maxAliasCount: 100 }) ?? {}) as unknown;
  const nodeAt = (path: string[]): Node | undefined => {
    for (let i = path.length; i >= 0; i--) {
      const node = doc.getIn(path.slice(0, i), true) as Node | undefined;
      if (node?.range) return node;
    }
    return undefined;
  };
  const errors: ConfigError[] = [];
  if (!validate(value)) {
    for (const error of validate.errors ?? []) {
      const path = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
      const extra = (error.params as { additionalProperty?: string }).additionalProperty;
      const node = extra ? keyNode(doc, [...path, extra]) : nodeAt(path);
      const where = error.instancePath ? `${error.instancePath.slice(1).replace(/\//g, '.')}: ` : '';
      const detail = extra ? `unknown property "${extra}"` : error.message;
      errors.push({ range: node?.range ? at(node.range[0], node.range[1]) : at(0), message: `${CONFIG_FILE_NAME}: ${where}${detail}` });
    }
    return { errors };
  }
  const config = value as FileConfig;
  for (const [where, ids] of [['rules', Object.keys(config.rules ?? {})], ['strict', config.strict ?? []]] as const) {
    for (const id of ids) {
      if (knownRules.has(id)) continue;
      const node = where === 'rules' ? keyNode(doc, ['rules', id]) : nodeAt(['strict', String(config.strict!.indexOf(id))]);
      errors.push({ range: node?.range ? at(node.range[0], node.range[1]) : at(0), message: `${CONFIG_FILE_NAME}: unknown rule "${id}" in ${where}` });
    }
  }
  config.exemptions?.forEach((exemption, i) => {
    for (const id of exemption.rules ?? []) {
      if (knownRules.has(id)) continue;
      const node = nodeAt(['exemptions', String(i), 'rules', String(exemption.rules!.indexOf(id))]);
      errors.push({ range: node?.range ? at(node.range[0], node.range[1]) : at(0), message: `${CONFIG_FILE_NAME}: unknown rule "${id}" in exemptions` });
    }
    for (const field of ['name', 'namespace', 'container'] as const) {
      const pattern = exemption[field];
      if (pattern === undefined || pattern.length <= MAX_EXEMPTION_PATTERN_LENGTH) continue;
      const node = nodeAt(['exemptions', String(i), field]);
      errors.push({
        range: node?.range ? at(node.range[0], node.range[1]) : at(0),
        message: `${CONFIG_FILE_NAME}: exemptions.${i}.${field}: pattern longer than ${MAX_EXEMPTION_PATTERN_LENGTH} characters (Kubernetes names have at most 253)`,
      });
    }
  });
  config.exclude?.forEach((glob, i) => {
    const stars = glob.split('*').length - 1;
    const problem =
      glob.length > MAX_GLOB_LENGTH ? `glob longer than ${MAX_GLOB_LENGTH} characters`
      : stars > MAX_GLOB_STARS ? `glob with ${stars} "*", more than ${MAX_GLOB_STARS}`
      : undefined;
    if (!problem) return;
    const node = nodeAt(['exclude', String(i)]);
    errors.push({ range: node?.range ? at(node.range[0], node.range[1]) : at(0), message: `${CONFIG_FILE_NAME}: exclude.${i}: ${problem}: too costly to match` });
  });
  return errors.length ? { errors } : { config, errors };
}

/** The key node of `path` in the document (for "unknown property" errors). */
function keyNode(doc: ReturnType<typeof parseDocument>, path: string[]): Node | undefined {
  const parent = doc.getIn(path.slice(0, -1), true) as { items?: Array<{ key: unknown }> } | undefined;
  const pair = parent?.items?.find((item) => isScalar(item.key) && String(item.key.value) === path[path.length - 1]);
  return pair?.key as Node | undefined;
}
