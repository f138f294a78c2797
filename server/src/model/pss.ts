import type { ContainerView, PodSpecView } from './pod-spec';
import type { MapView } from './yaml-view';
import { isWindowsPod } from './security-context';

/**
 * The Pod Security Standards' allow-lists and value tests, as the pod-security-admission
 * reference implementation (k8s.io/pod-security-admission/policy) defines them. PSA compares
 * names and values exactly, so these do too; `canonicalCapability` exists only to explain a
 * near miss (`CAP_CHOWN`, `chown`) that the container runtime would accept but PSA rejects.
 */

/** A Pod Security Standards level (the engine's `Profile` is the same union, named in its own layer). */
export type PssLevel = 'baseline' | 'restricted';

/** `capabilities_baseline`: what `capabilities.add` may hold in the baseline profile (NET_RAW is not in it). */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** `capabilities_restricted`: the only capability `capabilities.add` may hold in the restricted profile. */
export const RESTRICTED_CAPABILITIES: ReadonlySet<string> = new Set(['NET_BIND_SERVICE']);

/**
 * The capabilities a container may add under `profile`. PSA exempts Windows pods from the
 * restricted capabilities check (since 1.25) but not from the baseline one.
 */
export function addableCapabilities(profile: PssLevel, pod: PodSpecView): ReadonlySet<string> {
  return profile === 'restricted' && !isWindowsPod(pod) ? RESTRICTED_CAPABILITIES : BASELINE_CAPABILITIES;
}

/**
 * The capability a runtime grants for a name: containerd and CRI-O upper-case it and add the
 * `CAP_` prefix, so `cap_sys_admin`, `CAP_SYS_ADMIN` and `SYS_ADMIN` are the same capability.
 * Returned without the prefix, as Kubernetes manifests and PSA spell capabilities.
 */
export function canonicalCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice(4) : upper;
}

/** `capabilities_restricted` requires the exact entry `ALL` in `capabilities.drop`. */
export const DROP_ALL = 'ALL';

/**
 * `sysctls`: the namespaced sysctls isolated from other pods, with the PSA policy version
 * that first allows each. The union up to the newest PSA list is used.
 */
export const SAFE_SYSCTLS: ReadonlyMap<string, string> = new Map([
  ['kernel.shm_rmid_forced', '1.0'],
  ['net.ipv4.ip_local_port_range', '1.0'],
  ['net.ipv4.tcp_syncookies', '1.0'],
  ['net.ipv4.ping_group_range', '1.0'],
  ['net.ipv4.ip_unprivileged_port_start', '1.0'],
  ['net.ipv4.ip_local_reserved_ports', '1.27'],
  ['net.ipv4.tcp_keepalive_time', '1.29'],
  ['net.ipv4.tcp_fin_timeout', '1.29'],
  ['net.ipv4.tcp_keepalive_intvl', '1.29'],
  ['net.ipv4.tcp_keepalive_probes', '1.29'],
  ['net.ipv4.tcp_rmem', '1.32'],
  ['net.ipv4.tcp_wmem', '1.32'],
  ['net.ipv4.tcp_slow_start_after_idle', '1.37'],
  ['net.ipv4.tcp_notsent_lowat', '1.37'],
]);

/** `seLinuxOptions`: the types a pod or container may set (`container_engine_t` since 1.31); `user` and `role` must stay empty. */
export const SELINUX_TYPES: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

/** `seccompProfile_*` and `appArmorProfile`: the profile types that keep the container confined. */
export const CONFINED_PROFILE_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

/**
 * Deprecated seccomp annotations. When the field is unset, the API server still derives it from
 * them on pod creation (seccomp version skew), so PSA and the kubelet see their value.
 */
export const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
export const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

/** The `seccompProfile.type` the API server derives from an annotation value; undefined when it derives none. */
export function seccompTypeFromAnnotation(value: string): string | undefined {
  if (value === 'runtime/default' || value === 'docker/default') return 'RuntimeDefault';
  if (value === 'unconfined') return 'Unconfined';
  if (value.startsWith('localhost/')) return 'Localhost';
  return undefined;
}

/** The deprecated per-container AppArmor annotation (`…/<container name>`), still checked by PSA. */
export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** PSA `appArmorProfile`: the annotation may be empty, `runtime/default` or `localhost/<profile>`. */
export function isAllowedAppArmorAnnotation(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

/** `restrictedVolumes`: the inline volume sources the restricted profile allows. */
export const RESTRICTED_ALLOWED_VOLUMES: ReadonlySet<string> = new Set([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
]);

/**
 * The inline volume sources PSA names as forbidden in the restricted profile. A key outside
 * both lists is not a volume source (the API server drops it), so it is no finding.
 */
export const RESTRICTED_FORBIDDEN_VOLUMES: ReadonlySet<string> = new Set([
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd',
  'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk',
  'portworxVolume', 'photonPersistentDisk', 'scaleIO', 'storageos',
]);

/** `spec.hostUsers: false` runs the pod in a user namespace; PSA relaxes some baseline checks for it (1.35). */
export function usesUserNamespace(pod: PodSpecView): boolean {
  return pod.spec.bool('hostUsers') === false;
}

/** A securityContext of the pod or of one of its containers, for checks that apply to both levels alike. */
export interface SecurityContextSite {
  context: MapView;
  /** Undefined for the pod-level securityContext. */
  container?: ContainerView;
}

/** The pod-level securityContext (when present) and every container's, in document order of the lists. */
export function securityContextSites(pod: PodSpecView): SecurityContextSite[] {
  const sites: SecurityContextSite[] = pod.securityContext ? [{ context: pod.securityContext }] : [];
  for (const container of pod.containers) {
    if (container.securityContext) sites.push({ context: container.securityContext, container });
  }
  return sites;
}
