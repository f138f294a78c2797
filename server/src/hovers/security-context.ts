import type { HoverProvider } from '../engine/hover';

interface FieldDoc {
  text: string;
  /** Also settable on the pod: the pod-level value applies to every container that does not set its own. */
  inherited?: boolean;
  pss?: string;
}

/** What each securityContext field does and which Pod Security Standards level constrains it. */
const FIELDS: Record<string, FieldDoc> = {
  privileged: { text: 'Runs the container with every capability and the host\'s devices.', pss: 'Baseline: must be unset or `false`.' },
  allowPrivilegeEscalation: { text: 'Whether a process can gain more privileges than its parent (setuid binaries, file capabilities). Set `false`.', pss: 'Restricted: must be `false`.' },
  runAsNonRoot: { text: 'The kubelet refuses to start the container if its user would be UID 0.', inherited: true, pss: 'Restricted: must be `true` (container or pod level).' },
  runAsUser: { text: 'The UID the entrypoint runs as, overriding the image.', inherited: true, pss: 'Restricted: must not be `0`.' },
  runAsGroup: { text: 'The primary GID of the container process.', inherited: true },
  readOnlyRootFilesystem: { text: 'Mounts the container\'s root filesystem read-only, so an intruder cannot drop tools or modify binaries. Use `emptyDir` volumes for scratch space.' },
  capabilities: { text: 'Linux capabilities to `add` or `drop`. Drop `ALL` and add back only what the workload needs.', pss: 'Baseline: `add` only from the default set. Restricted: `drop` must include `ALL`; `add` only `NET_BIND_SERVICE`.' },
  seccompProfile: { text: 'The seccomp filter that limits which system calls the container can make. `RuntimeDefault` blocks the dangerous ones.', pss: 'Baseline: not `Unconfined`. Restricted: `RuntimeDefault` or `Localhost`.' },
  appArmorProfile: { text: 'The AppArmor profile that confines the container.', pss: 'Baseline: not `Unconfined`.' },
  seLinuxOptions: { text: 'SELinux labels for the container.', pss: 'Baseline: `type` only a container type; `user` and `role` unset.' },
  procMount: { text: 'How /proc is mounted. `Unmasked` exposes kernel interfaces that are normally hidden.', pss: 'Baseline: `Default` only.' },
  sysctls: { text: 'Kernel parameters set for the pod. Only namespaced, safe sysctls are isolated from other pods.', pss: 'Baseline: only the safe set.' },
  windowsOptions: { text: 'Windows-specific settings; `hostProcess: true` runs the container as a process on the host.', pss: 'Baseline: `hostProcess` must not be `true`.' },
  fsGroup: { text: 'A supplementary group applied to mounted volumes, so a non-root user can write to them.' },
  supplementalGroups: { text: 'Extra groups for the container processes.' },
};

/** Hover on a field under a `securityContext`: what it does and its Pod Security Standards level. */
export const securityContextHover: HoverProvider = ({ at }) => {
  const index = at.path.lastIndexOf('securityContext');
  if (index < 0 || index !== at.path.length - 2 || !at.onKey) return undefined;
  const field = String(at.path[at.path.length - 1]);
  const doc = Object.hasOwn(FIELDS, field) ? FIELDS[field] : undefined;
  if (!doc) return undefined;
  // `spec.securityContext` of a pod (or a pod template) is pod level; a container's is under its list.
  const podLevel = index < 2 || at.path[index - 1] === 'spec';
  const scope = !doc.inherited ? '' : podLevel ? ' Set here, on the pod, it applies to every container that does not set its own.' : ' Overrides the pod-level value for this container; unset, the pod-level value applies.';
  return `**${podLevel ? 'pod ' : ''}securityContext.${field}**\n\n${doc.text}${scope}${doc.pss ? `\n\n*Pod Security Standards:* ${doc.pss}` : ''}`;
};
