import type { Connection } from 'vscode-languageserver';
import { podTemplatesSetting, ruleOptionsSetting } from '../config/config-file';
import { DEFAULT_SETTINGS, type Settings } from '../protocol/protocol';

/** `kubeZeroTrust.kustomize.command` (a nested section: `{ kustomize: { command } }`). */
function kustomizeCommandOf(value: Partial<Settings> & { kustomize?: unknown }): string {
  const command = typeof value.kustomize === 'object' && value.kustomize ? (value.kustomize as { command?: unknown }).command : undefined;
  return typeof command === 'string' && command.trim() ? command.trim() : DEFAULT_SETTINGS.kustomizeCommand;
}

/** Reads `kubeZeroTrust.*` and `files.exclude` from the client; malformed values fall back to defaults. */
export async function fetchSettings(connection: Connection): Promise<Settings> {
  const [raw, filesExclude] = ((await connection.workspace
    .getConfiguration([{ section: 'kubeZeroTrust' }, { section: 'files.exclude' }])
    .catch(() => [])) ?? []) as [Partial<Settings> | undefined, Record<string, unknown> | undefined];
  const value = raw ?? {};
  const exclude = [
    ...(Array.isArray(value.exclude) ? value.exclude.map(String) : []),
    ...Object.entries(filesExclude ?? {}).filter(([, on]) => on === true).map(([glob]) => glob),
  ];
  return {
    profile: value.profile === 'baseline' ? 'baseline' : 'restricted',
    rules: typeof value.rules === 'object' && value.rules ? value.rules : {},
    fixOnSave: Array.isArray(value.fixOnSave) ? value.fixOnSave.map(String) : [],
    debounceMs: typeof value.debounceMs === 'number' ? Math.max(0, Math.min(value.debounceMs, 2000)) : DEFAULT_SETTINGS.debounceMs,
    defaultNamespace: typeof value.defaultNamespace === 'string' && value.defaultNamespace ? value.defaultNamespace : DEFAULT_SETTINGS.defaultNamespace,
    maxFileSizeMB: typeof value.maxFileSizeMB === 'number' && value.maxFileSizeMB > 0 ? value.maxFileSizeMB : DEFAULT_SETTINGS.maxFileSizeMB,
    peerAnnotations: typeof value.peerAnnotations === 'boolean' ? value.peerAnnotations : DEFAULT_SETTINGS.peerAnnotations,
    podTemplates: podTemplatesSetting(value.podTemplates),
    ruleOptions: ruleOptionsSetting(value.ruleOptions),
    requireNamespace: typeof value.requireNamespace === 'boolean' ? value.requireNamespace : DEFAULT_SETTINGS.requireNamespace,
    exclude,
    kustomizeCommand: kustomizeCommandOf(value),
  };
}
