/**
 * Messages between the client and the server beyond standard LSP. The one place the
 * client imports from `server/`: plain wire shapes and constants, importing nothing (the
 * boundaries lint, `.dependency-cruiser.cjs`, holds it). The server's own types conform to
 * these shapes (checked where the server fills them in, `lsp/audit.ts`).
 */
export const AUDIT_WORKSPACE_REQUEST = 'kzt/auditWorkspace';

/** Parameters of `kzt/auditWorkspace`: the client's progress token, when it shows the audit's progress itself. */
export interface AuditWorkspaceParams {
  workDoneToken?: string;
}
export const RULE_DOCUMENTATION_REQUEST = 'kzt/ruleDocumentation';
export const LIST_RULES_REQUEST = 'kzt/listRules';
export const FIX_ALL_KIND = 'source.fixAll.kube-zero-trust';
export const SOURCE = 'kube-zero-trust';
/** Opens a rule's documentation offline: the diagnostic code's link and the hover's link. */
export const SHOW_RULE_DOCUMENTATION_COMMAND = 'kubeZeroTrust.showRuleDocumentation';

export type SeverityName = 'error' | 'warning' | 'info';

/** Counts of findings at each severity. */
export type SeverityCounts = Record<SeverityName, number>;

/** The posture at a glance: counts by severity, principle, namespace and rule. */
export interface PostureSummary {
  total: number;
  suppressed: number;
  files: number;
  bySeverity: SeverityCounts;
  /** Principle → severity → count, principles in a fixed order. */
  byPrinciple: Array<{ principle: string; counts: SeverityCounts }>;
  byNamespace: Array<{ namespace: string; count: number }>;
  topRules: Array<{ ruleId: string; title: string; count: number }>;
}

/** May pods of one workload open a connection to pods of another? `unknown`: a Cilium policy decides. */
export type Reach = 'allowed' | 'denied' | 'unknown';

/** Which workloads may talk to which under the workspace's NetworkPolicies. */
export interface ReachabilityMatrix {
  /**
   * `file`: the URI of its manifest (tells apart workloads of the same name). `openIngress`: any
   * source may connect to it; `openEgress`: it may connect anywhere.
   */
  workloads: Array<{ label: string; namespace: string; file: string; openIngress: boolean; openEgress: boolean }>;
  /** `reach[i][j]`: from workload i to workload j. */
  reach: Reach[][];
  /** For each pair that may connect, keyed `i>j`: the ports and the policies (or their absence) that decide. */
  why: Record<string, { ports: string; decidedBy: string[] }>;
}

export interface AuditItem {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  ruleId: string;
  severity: SeverityName;
  message: string;
  principle: string;
  resource?: { kind: string; name: string; namespace?: string };
  /** Set when an annotation, comment or exemption silenced the finding (not shown in Problems). */
  suppressed?: { by: string; reason?: string };
}

export interface AuditResult {
  files: number;
  findings: number;
  filesWithFindings: number;
  cancelled: boolean;
  /** Every finding, suppressed ones included, for the tree view and the posture report. */
  items: AuditItem[];
  /** Helm charts whose templates were skipped (one hint each). */
  skippedCharts: string[];
  /** Files the audit could not check (unreadable, too large, not UTF-8, a link out of the workspace), and why. */
  notChecked: Array<{ uri: string; reason: string }>;
  posture?: PostureSummary;
  /** Namespace of objects that do not name one. */
  defaultNamespace?: string;
  /** Which workloads may talk to which (the first 120 workloads), from the NetworkPolicy analysis. */
  network?: ReachabilityMatrix;
}

export const EXPORT_REPORT_REQUEST = 'kzt/exportReport';

/**
 * `kzt/exportAdmissionPolicies`: the server computes the admission policies of the rules under
 * the first folder's configuration (as `kzt export-policy` does); the client only saves them.
 */
export const EXPORT_POLICIES_REQUEST = 'kzt/exportAdmissionPolicies';
export type AdmissionPolicyFormat = 'validating-admission-policy' | 'kyverno';

export interface ExportPoliciesResult {
  /** Multi-document YAML. */
  yaml: string;
  /** Rules exported, one policy each. */
  exported: string[];
  /** Rules that run but are not exported (they need other resources, or have no admission check). */
  notExported: string[];
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
  peerAnnotations: boolean;
  /** Kinds besides the built-in ones whose objects hold a pod template (`podTemplates` of the config file). */
  podTemplates: Array<{ apiVersion: string; kind: string; path: string; resource?: string }>;
  /** Options of rules, by rule id (`ruleOptions` of the config file). */
  ruleOptions: Record<string, Record<string, unknown>>;
  /** Report namespaced objects without `metadata.namespace` (`kubeZeroTrust.requireNamespace`). */
  requireNamespace: boolean;
  /** Globs of files not to check: `kubeZeroTrust.exclude` plus the enabled `files.exclude` patterns. */
  exclude: string[];
  /** `kubeZeroTrust.kustomize.command`: `auto`, `off` or a command (user settings only: a repository never chooses a program). */
  kustomizeCommand: string;
}

export const DEFAULT_SETTINGS: Settings = {
  profile: 'restricted',
  rules: {},
  fixOnSave: [],
  debounceMs: 50,
  defaultNamespace: 'default',
  maxFileSizeMB: 5,
  peerAnnotations: true,
  podTemplates: [],
  ruleOptions: {},
  requireNamespace: false,
  exclude: [],
  kustomizeCommand: 'auto',
};

/**
 * `initializationOptions` of the client: whether the workspace is trusted (`vscode.workspace.isTrusted`).
 * Only a trusted workspace has its kustomizations rendered: rendering runs a program on it.
 */
export interface InitializationOptions {
  workspaceTrusted?: boolean;
}

/** Client → server when the user trusts the workspace (trust is never withdrawn without a reload). */
export const WORKSPACE_TRUSTED_NOTIFICATION = 'kzt/workspaceTrusted';

export const SUPPRESS_REQUEST = 'kzt/suppressEdit';
export const SUPPRESS_COMMAND = 'kubeZeroTrust.suppress';

/**
 * The argument of the one "Suppress…" entry of a quick-fix menu: the findings under the cursor.
 * The client asks which one, where (this line or the whole resource) and why, then sends a
 * `SuppressionRequest`.
 */
export interface SuppressionMenu {
  uri: string;
  version: number;
  choices: Array<{ ruleId: string; position: { line: number; character: number }; message: string }>;
}

/** What "Suppress…" sends back once the user chose a finding and a scope and typed a reason. */
export interface SuppressionRequest {
  uri: string;
  version: number;
  ruleId: string;
  position: { line: number; character: number };
  scope: 'resource' | 'line';
  reason?: string;
}
