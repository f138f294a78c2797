/**
 * Messages between the client and the server beyond standard LSP. The one place the
 * client imports from `server/`.
 */
export const AUDIT_WORKSPACE_REQUEST = 'kzt/auditWorkspace';
export const RULE_DOCUMENTATION_REQUEST = 'kzt/ruleDocumentation';
export const LIST_RULES_REQUEST = 'kzt/listRules';
export const FIX_ALL_KIND = 'source.fixAll.kube-zero-trust';
export const SOURCE = 'kube-zero-trust';

export interface AuditResult {
  files: number;
  findings: number;
  filesWithFindings: number;
  cancelled: boolean;
}

export interface RuleSummary {
  id: string;
  title: string;
  severity: string;
}

/** `data` carried by every diagnostic, read back by code actions (never the message text). */
export interface DiagnosticData {
  ruleId: string;
  docIndex: number;
  target?: string;
}

/** The extension's settings (`kubeZeroTrust.*`), as the server reads them. */
export interface Settings {
  profile: 'baseline' | 'restricted';
  rules: Record<string, 'off' | 'info' | 'warning' | 'error'>;
  fixOnSave: string[];
  debounceMs: number;
  defaultNamespace: string;
  maxFileSizeMB: number;
}

export const DEFAULT_SETTINGS: Settings = {
  profile: 'restricted',
  rules: {},
  fixOnSave: [],
  debounceMs: 50,
  defaultNamespace: 'default',
  maxFileSizeMB: 5,
};
