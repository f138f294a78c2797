import type { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, type Settings } from '../protocol/protocol';
import type { EngineConfig } from '../engine/config';

/** Reads `kubeZeroTrust.*` from the client; unknown or malformed values fall back to defaults. */
export async function fetchSettings(connection: Connection): Promise<Settings> {
  const raw = (await connection.workspace.getConfiguration({ section: 'kubeZeroTrust' }).catch(() => undefined)) as Partial<Settings> | undefined;
  const value = raw ?? {};
  return {
    profile: value.profile === 'baseline' ? 'baseline' : 'restricted',
    rules: typeof value.rules === 'object' && value.rules ? value.rules : {},
    fixOnSave: Array.isArray(value.fixOnSave) ? value.fixOnSave.map(String) : [],
    debounceMs: typeof value.debounceMs === 'number' ? Math.max(0, Math.min(value.debounceMs, 2000)) : DEFAULT_SETTINGS.debounceMs,
    defaultNamespace: typeof value.defaultNamespace === 'string' && value.defaultNamespace ? value.defaultNamespace : DEFAULT_SETTINGS.defaultNamespace,
    maxFileSizeMB: typeof value.maxFileSizeMB === 'number' && value.maxFileSizeMB > 0 ? value.maxFileSizeMB : DEFAULT_SETTINGS.maxFileSizeMB,
  };
}

export function engineConfig(settings: Settings): EngineConfig {
  return { profile: settings.profile, rules: settings.rules };
}
