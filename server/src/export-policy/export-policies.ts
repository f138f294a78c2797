import { Document } from 'yaml';
import type { EngineConfig } from '../engine/config';
import type { Rule } from '../engine/rule';
import type { PodTemplateKind } from '../model/pod-templates';
import { kyvernoClusterPolicy } from './kyverno';
import { podKinds } from './pod-variables';
import { exportedRules, policyParts, rulesNotExported, type ValidationAction } from './policy-parts';
import { validatingAdmissionPolicy } from './validating-admission-policy';

export const POLICY_FORMATS = ['validating-admission-policy', 'kyverno'] as const;
export type PolicyFormat = (typeof POLICY_FORMATS)[number];

export interface PolicyExportOptions {
  format: PolicyFormat;
  rules: readonly Rule[];
  config: EngineConfig;
  /** Every policy's actions instead of its rule's severity (e.g. `[Warn, Audit]` to roll out without refusing anything). */
  actions?: readonly ValidationAction[];
}

export interface PolicyExport {
  /** Multi-document YAML. */
  yaml: string;
  /** Ids of the rules exported, one policy each. */
  exported: string[];
  /** Ids of rules that run under the configuration but are not exported (they need other resources, or have no admission check). */
  notExported: string[];
  /** Configured pod-template kinds (`podTemplates`) the policies cannot judge: their plural resource is not known (give `resource`). */
  unknownPodTemplates: PodTemplateKind[];
}

/** How the export names a configured pod-template kind. */
export function podTemplateName({ apiVersion, kind }: PodTemplateKind): string {
  return `${kind} (${apiVersion})`;
}

/**
 * The admission policies of the rules that run under a configuration: pure (configuration in,
 * YAML out), so the CLI, the editor and `npm run generate` give the same text.
 */
export function exportPolicies(options: PolicyExportOptions): PolicyExport {
  const rules = exportedRules(options.rules, options.config);
  const build = options.format === 'kyverno' ? kyvernoClusterPolicy : validatingAdmissionPolicy;
  const documents = rules.flatMap((rule) => build(policyParts(rule, options.config, options.actions)));
  const notExported = rulesNotExported(options.rules, options.config).map((r) => r.meta.id);
  const unknownPodTemplates = rules.some((rule) => rule.meta.admission!.subject === 'pod') ? podKinds(options.config.podTemplates).unknown : [];
  const header = [
    ` Admission policies exported by kube-zero-trust (kzt export-policy --format ${options.format}) from the rules`,
    ` of profile ${options.config.profile} and the configuration: the cluster refuses what the editor reports.`,
    ...(notExported.length ? [` Rules of the profile not exported (each rule's documentation says why, under "Admission export"): ${notExported.join(', ')}.`] : []),
    ...(unknownPodTemplates.length
      ? [` Not judged here (podTemplates without the plural \`resource\` their policies match): ${unknownPodTemplates.map(podTemplateName).join(', ')}.`]
      : []),
  ].join('\n');
  const texts = documents.map((content) => new Document(content).toString({ lineWidth: 0 }));
  const yaml = `${header.replace(/^/gm, '#')}\n\n${texts.join('---\n')}`;
  return { yaml, exported: rules.map((r) => r.meta.id), notExported, unknownPodTemplates };
}
