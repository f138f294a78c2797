import type { Node } from 'yaml';
import type { ContainerView, PodSpecView } from './pod-spec';
import type { MapView } from './yaml-view';

/** Fields a container inherits from the pod-level `securityContext` when it does not set them. */
export type InheritedField = 'runAsNonRoot' | 'runAsUser' | 'runAsGroup' | 'seccompProfile' | 'seLinuxOptions' | 'appArmorProfile' | 'windowsOptions';

export interface EffectiveValue {
  /** Where the value comes from, or undefined when neither level sets it. */
  level: 'container' | 'pod' | undefined;
  node: Node | undefined;
  /** The securityContext map that holds the value. */
  context: MapView | undefined;
}

/**
 * The value a container runs with, as the kubelet and pod-security-admission resolve it:
 * the container-level field wins, else the pod-level one.
 */
export function effectiveField(pod: PodSpecView, container: ContainerView, field: InheritedField): EffectiveValue {
  if (container.securityContext?.has(field)) {
    return { level: 'container', node: container.securityContext.get(field), context: container.securityContext };
  }
  if (pod.securityContext?.has(field)) {
    return { level: 'pod', node: pod.securityContext.get(field), context: pod.securityContext };
  }
  return { level: undefined, node: undefined, context: undefined };
}

/** `container "app"`, `init container "setup"`, `ephemeral container "debug"` for messages. */
export function describeContainer(container: ContainerView): string {
  const prefix = container.list === 'initContainers' ? 'Init container' : container.list === 'ephemeralContainers' ? 'Ephemeral container' : 'Container';
  return `${prefix} "${container.name}"`;
}

/** The finding target of a container: gathers its findings for the combined fix. */
export function containerTarget(container: ContainerView): string {
  return `${container.list}[${container.index}]`;
}

/** Where to point for a missing container-level field: its securityContext key, else the container's name. */
export function containerAnchor(container: ContainerView): Node {
  return container.map.keyNode('securityContext') ?? container.anchor;
}

/**
 * `privileged: true`: the container already has every capability, no seccomp, AppArmor or /proc
 * masking, and may escalate; privileged-container reports it once, so the rules for those
 * single controls skip it.
 */
export function isPrivileged(container: ContainerView): boolean {
  return container.securityContext?.scalar('privileged')?.value === true;
}

/** A pod-level setting that only privileged containers would inherit changes nothing: they ignore it. */
export function onlyPrivilegedContainers(pod: PodSpecView): boolean {
  return pod.containers.length > 0 && pod.containers.every(isPrivileged);
}

/** Windows pods are exempt from the Linux-only restricted controls (PSS since 1.25). */
export function isWindowsPod(pod: PodSpecView): boolean {
  return pod.spec.map('os')?.string('name') === 'windows';
}
