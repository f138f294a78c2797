import type { EngineConfig } from '../engine/config';
import type { Settings } from '../protocol/protocol';
import type { FileConfig } from './config-file';

export interface ResolvedConfig {
  engine: EngineConfig;
  defaultNamespace: string;
  exclude: string[];
  maxFileSizeMB: number;
  /** Undefined: the usual namespace of each ingress controller. */
  ingressControllerNamespaces?: string[];
}

/**
 * Precedence: built-in defaults < the user's VS Code settings < the workspace's
 * `.kube-zero-trust.yaml` (the team's policy wins where both speak).
 */
export function resolveConfig(settings: Settings, file: FileConfig | undefined, today: string): ResolvedConfig {
  return {
    engine: {
      profile: file?.profile ?? settings.profile,
      rules: { ...settings.rules, ...file?.rules },
      // A rule's options come whole from the file when it gives them (the team's policy), else from the settings.
      ruleOptions: { ...settings.ruleOptions, ...file?.ruleOptions },
      exemptions: file?.exemptions ?? [],
      strict: file?.strict ?? [],
      peerAnnotations: file?.peerAnnotations ?? settings.peerAnnotations,
      // The team's kinds and the user's own: the file's come first and win for the same kind.
      podTemplates: [...(file?.podTemplates ?? []), ...settings.podTemplates],
      requireNamespace: file?.requireNamespace ?? settings.requireNamespace,
      today,
    },
    defaultNamespace: file?.defaultNamespace ?? settings.defaultNamespace,
    exclude: [...settings.exclude, ...(file?.exclude ?? [])],
    maxFileSizeMB: file?.maxFileSizeMB ?? settings.maxFileSizeMB,
    ...(file?.ingressControllerNamespaces ? { ingressControllerNamespaces: file.ingressControllerNamespaces } : {}),
  };
}
