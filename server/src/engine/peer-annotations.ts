import type { Resource } from '../model/resource';
import type { RuleMeta } from './rule';

/** kube-score check ids for our rules (kube-score is not among the peers rule metadata lists). */
const KUBE_SCORE: Record<string, string[]> = {
  'container-security-context-privileged': ['privileged-container'],
  'container-security-context-readonlyrootfilesystem': ['writable-root-filesystem'],
  'container-security-context-user-group-id': ['run-as-root'],
  'container-seccomp-profile': ['seccomp-not-enforced'],
  'container-image-tag': ['image-tag-mutable'],
  'container-resources': ['resource-limits-missing'],
  'pod-networkpolicy': ['workload-not-isolated'],
  'service-type': ['service-exposed-externally'],
};

/**
 * The annotation that silences `meta` in another tool, if the resource carries one:
 * `ignore-check.kube-linter.io/<check>`, `kube-linter.io/ignore-all`, `polaris.fairwinds.com/<check>-exempt`,
 * `polaris.fairwinds.com/exempt`, `checkov.io/skip<N>: CKV_K8S_<n>[=comment]`, `kube-score/ignore: a,b`.
 */
export function peerAnnotation(resource: Resource, meta: RuleMeta): string | undefined {
  const annotations = resource.annotations;
  for (const check of meta.docs.peers.kubeLinter ?? []) {
    const key = `ignore-check.kube-linter.io/${check}`;
    if (key in annotations) return key;
  }
  if (meta.docs.peers.kubeLinter?.length && 'kube-linter.io/ignore-all' in annotations) return 'kube-linter.io/ignore-all';
  for (const check of meta.docs.peers.polaris ?? []) {
    const key = `polaris.fairwinds.com/${check}-exempt`;
    if (annotations[key] === 'true') return key;
  }
  if (meta.docs.peers.polaris?.length && annotations['polaris.fairwinds.com/exempt'] === 'true') return 'polaris.fairwinds.com/exempt';
  const checkov = new Set(meta.docs.peers.checkov ?? []);
  for (const [key, value] of Object.entries(annotations)) {
    if (/^(checkov\.io|bridgecrew\.io)\/skip\d+$/.test(key) && checkov.has(value.split('=')[0].trim())) return key;
  }
  const kubeScore = (annotations['kube-score/ignore'] ?? '').split(',').map((s) => s.trim());
  if (kubeScore.some((check) => KUBE_SCORE[check]?.includes(meta.id))) return 'kube-score/ignore';
  return undefined;
}
