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

/** Another tool's exemption annotation on a resource, and the reason it gives, if any. */
export interface PeerExemption {
  key: string;
  /** kube-linter's annotation value, Checkov's comment after `=`: what the author wrote as the reason. */
  reason?: string;
}

/**
 * What silences `meta` in other tools, as data (the engine tests it here, the admission export
 * in CEL): annotations whose presence silences it, annotations set to `"true"`, Checkov check
 * ids under `checkov.io/skip<N>` / `bridgecrew.io/skip<N>` (`CKV_K8S_<n>[=comment]`), and
 * kube-score checks listed in `kube-score/ignore: a,b`.
 */
export interface PeerAnnotationTests {
  present: string[];
  isTrue: string[];
  checkov: string[];
  kubeScore: string[];
}

export const CHECKOV_SKIP_KEY = /^(checkov\.io|bridgecrew\.io)\/skip\d+$/;

export function peerAnnotationTests(meta: RuleMeta): PeerAnnotationTests {
  const { kubeLinter = [], polaris = [], checkov = [] } = meta.docs.peers;
  return {
    present: [...kubeLinter.map((check) => `ignore-check.kube-linter.io/${check}`), ...(kubeLinter.length ? ['kube-linter.io/ignore-all'] : [])],
    isTrue: [...polaris.map((check) => `polaris.fairwinds.com/${check}-exempt`), ...(polaris.length ? ['polaris.fairwinds.com/exempt'] : [])],
    checkov,
    kubeScore: Object.keys(KUBE_SCORE).filter((check) => KUBE_SCORE[check].includes(meta.id)),
  };
}

/**
 * The annotation that silences `meta` in another tool, if the resource carries one:
 * `ignore-check.kube-linter.io/<check>`, `kube-linter.io/ignore-all`, `polaris.fairwinds.com/<check>-exempt`,
 * `polaris.fairwinds.com/exempt`, `checkov.io/skip<N>: CKV_K8S_<n>[=comment]`, `kube-score/ignore: a,b`.
 */
export function peerAnnotation(resource: Resource, meta: RuleMeta): PeerExemption | undefined {
  const annotations = resource.annotations;
  const tests = peerAnnotationTests(meta);
  const withReason = (key: string, reason: string | undefined): PeerExemption => (reason?.trim() ? { key, reason: reason.trim() } : { key });
  const present = tests.present.find((key) => key in annotations);
  if (present) return withReason(present, annotations[present]);
  const isTrue = tests.isTrue.find((key) => annotations[key] === 'true');
  if (isTrue) return { key: isTrue };
  for (const [key, value] of Object.entries(annotations)) {
    if (!CHECKOV_SKIP_KEY.test(key)) continue;
    const [check, ...comment] = value.split('=');
    if (tests.checkov.includes(check.trim())) return withReason(key, comment.join('='));
  }
  const kubeScore = (annotations['kube-score/ignore'] ?? '').split(',').map((s) => s.trim());
  if (kubeScore.some((check) => tests.kubeScore.includes(check))) return { key: 'kube-score/ignore' };
  return undefined;
}
