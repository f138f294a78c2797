import type { EngineConfig } from '../engine/config';
import type { Profile, Rule } from '../engine/rule';
import type { FileConfig } from '../config/config-file';
import { exportPolicies, podTemplateName, POLICY_FORMATS, type PolicyFormat } from '../export-policy/export-policies';
import { VALIDATION_ACTIONS, type ValidationAction } from '../export-policy/policy-parts';
import { writeReportFile } from './write-report';

export const EXPORT_POLICY_USAGE = `Usage: kzt export-policy [options]

Writes the admission policies of the rules (multi-document YAML), so the cluster refuses what
the editor reports: one policy per rule that can be decided from the object admitted, with the
configuration's severities, exemptions and strict rules.

Options:
  --format validating-admission-policy|kyverno
                                        ValidatingAdmissionPolicy and binding
                                        (admissionregistration.k8s.io/v1, default), or
                                        Kyverno ClusterPolicy with CEL validation
  --profile baseline|restricted         rule profile (default: restricted, or the config file's)
  --config <file>                       config file (default: ./.kube-zero-trust.yaml if present)
  --actions <list>                      every policy's actions, e.g. Warn,Audit to roll out
                                        without refusing anything (default: by severity:
                                        error Deny, warning Warn,Audit, info Audit)
  --output <file>                       write the policies to a file instead of stdout

Exit codes: 0 written, 2 usage or configuration error.`;

export interface ExportPolicyArguments {
  format?: string;
  profile?: Profile;
  actions?: string;
  output?: string;
}

export interface ExportPolicyContext {
  rules: readonly Rule[];
  file: FileConfig;
  today: string;
  /** Reports a usage error and exits 2. */
  fail(message: string | readonly string[]): never;
}

/** `--actions Warn,Audit`: ValidationActions, case-insensitive; Deny and Warn together say the same thing twice, as the API server rejects. */
function parseActions(text: string, fail: ExportPolicyContext['fail']): ValidationAction[] {
  const actions = text.split(',').map((word) => VALIDATION_ACTIONS.find((action) => action.toLowerCase() === word.trim().toLowerCase()));
  if (actions.length === 0 || actions.some((action) => action === undefined)) fail(`--actions must be a comma-separated list of ${VALIDATION_ACTIONS.join(', ')}`);
  const unique = [...new Set(actions as ValidationAction[])];
  if (unique.includes('Deny') && unique.includes('Warn')) fail('--actions cannot hold both Deny and Warn (a denial already tells the client)');
  return unique;
}

/** `kzt export-policy`: the policies on stdout or in --output; a summary on stderr. Returns the exit code. */
export function runExportPolicy(args: ExportPolicyArguments, context: ExportPolicyContext): number {
  const { fail, file } = context;
  if (args.format !== undefined && !POLICY_FORMATS.includes(args.format as PolicyFormat)) fail(`--format must be one of ${POLICY_FORMATS.join(', ')}`);
  const format = (args.format ?? 'validating-admission-policy') as PolicyFormat;
  const actions = args.actions === undefined ? undefined : parseActions(args.actions, fail);
  const config: EngineConfig = {
    profile: args.profile ?? file.profile ?? 'restricted',
    rules: file.rules ?? {},
    ruleOptions: file.ruleOptions ?? {},
    exemptions: file.exemptions ?? [],
    strict: file.strict ?? [],
    peerAnnotations: file.peerAnnotations ?? true,
    podTemplates: file.podTemplates ?? [],
    today: context.today,
  };
  const { yaml, exported, notExported, unknownPodTemplates } = exportPolicies({ format, rules: context.rules, config, actions });
  if (args.output) {
    const refusal = writeReportFile(args.output, yaml);
    if (refusal) fail(refusal);
  } else process.stdout.write(yaml);
  process.stderr.write(
    `kzt: ${exported.length} ${exported.length === 1 ? 'policy' : 'policies'} exported (profile ${config.profile})` +
      `${notExported.length ? `; not exported (see the rules' documentation): ${notExported.join(', ')}` : ''}\n`,
  );
  for (const template of unknownPodTemplates) {
    process.stderr.write(`kzt: podTemplates ${podTemplateName(template)} is not judged by the policies: give its plural API resource as \`resource\` (its CRD's spec.names.plural)\n`);
  }
  return 0;
}
