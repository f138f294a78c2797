import { SHOW_RULE_DOCUMENTATION_COMMAND } from '../protocol/protocol';
import { ruleProfiles, type PeerIds, type RuleMeta } from './rule';

const REPOSITORY = 'https://github.com/kube-zero-trust/kube-zero-trust';

const PEER_NAMES: Record<keyof PeerIds, string> = {
  kubeLinter: 'kube-linter',
  polaris: 'Polaris',
  checkov: 'Checkov',
  trivy: 'Trivy',
  kubescape: 'Kubescape',
};

export function ruleAnchor(id: string): string {
  return id;
}

/** Where a rule's documentation lives online (diagnostic links, SARIF `helpUri`). */
export function ruleDocsUrl(id: string): string {
  return `${REPOSITORY}/blob/main/rules/README.md#${ruleAnchor(id)}`;
}

/**
 * A rule for a hover, under the finding's message and rule id the editor shows: its title as a
 * link that opens its whole documentation offline (short, so five findings stay readable).
 */
export function ruleSummaryMarkdown(meta: RuleMeta): string {
  const link = `command:${SHOW_RULE_DOCUMENTATION_COMMAND}?${encodeURIComponent(JSON.stringify([meta.id]))}`;
  return `[${meta.title}](${link} "${meta.id}: documentation")`;
}

/** Whether `kzt export-policy` makes the rule an admission policy, and if not, why. */
function admissionExport(meta: RuleMeta): string {
  if (meta.admission) {
    const exported = `Exported by \`kzt export-policy\` as the ValidatingAdmissionPolicy (or Kyverno ClusterPolicy) \`kube-zero-trust-${meta.id}\`: the cluster judges ${meta.admission.kinds ? `${meta.admission.kinds.join(', ')} objects` : meta.admission.subject === 'pod' ? 'Pods and the pod templates of workloads (custom resources and the configuration\'s `podTemplates` included)' : 'the object'} as this rule does${meta.admission.kinds ? ' (what it finds in other kinds needs other resources)' : ''}.`;
    return meta.admission.partial ? `${exported} Editor and CLI only: ${meta.admission.partial}` : exported;
  }
  if (meta.notExported) return `Not exported: ${meta.notExported}`;
  if (meta.reads?.length) return `Not exported: the rule reads other resources (${meta.reads.join(', ')}) than the object the API server admits.`;
  return 'Not exported: the rule has no admission check yet.';
}

/** What a team may tune, with the defaults, and where: `ruleOptions.<id>` of the config file. */
function optionsMarkdown(meta: RuleMeta): string[] {
  if (!meta.options) return [];
  const { schema, defaults } = meta.options;
  const each = Object.entries(schema.properties).map(([key, property]) => `\`${key}\` (default \`${JSON.stringify(defaults[key])}\`): ${property.description}`);
  return ['', `**Options** (\`ruleOptions: {${meta.id}: {…}}\` in \`.kube-zero-trust.yaml\`, or the \`kubeZeroTrust.ruleOptions\` setting). ${each.join(' ')}`];
}

/** The rule's documentation as Markdown: what, why for zero trust, how to fix, peers. */
export function ruleDocsMarkdown(meta: RuleMeta, headingLevel = 2): string {
  const h = '#'.repeat(headingLevel);
  const peers = (Object.keys(PEER_NAMES) as Array<keyof PeerIds>)
    .map((key) => `${PEER_NAMES[key]}: ${meta.docs.peers[key]?.map((id) => `\`${id}\``).join(', ') || '—'}`)
    .join(' · ');
  return [
    `${h} ${meta.id}`,
    '',
    `**${meta.title}** · ${meta.principle} · default severity ${meta.severity} · profiles: ${ruleProfiles(meta).join(', ')}${meta.pss ? ` · Pod Security Standards: ${meta.pss}` : ''}`,
    '',
    `**What it finds.** ${meta.docs.what}`,
    '',
    `**Why it matters for zero trust.** ${meta.docs.why}`,
    '',
    `**How to fix.** ${meta.docs.fix}`,
    ...optionsMarkdown(meta),
    '',
    `**Equivalent checks.** ${peers}`,
    ...(meta.docs.links?.length ? ['', `**References.** ${meta.docs.links.map((l) => `<${l}>`).join(' · ')}`] : []),
    '',
    `**Admission export.** ${admissionExport(meta)}`,
    '',
    `Silence it for one resource with the annotation \`kube-zero-trust.io/ignore: "${meta.id}"\`, or for one line with \`# kzt-ignore ${meta.id} -- reason\` on the line above.`,
  ].join('\n');
}
