import type { Node } from 'yaml';
import { kindsInclude } from '../model/pod-templates';
import type { Resource } from '../model/resource';
import type { OffsetEdit } from '../edits/offset-edit';
import type { ProjectionName } from '../workspace/projections';
import type { WorkspaceView } from '../workspace/snapshot';

export type Severity = 'error' | 'warning' | 'info';
export type Profile = 'baseline' | 'restricted';
export const PROFILES: readonly Profile[] = ['baseline', 'restricted'];

/** The zero-trust principle a rule defends; reports group findings by it. */
export type Principle =
  | 'least-privilege'
  | 'micro-segmentation'
  | 'credential-protection'
  | 'encryption-in-transit'
  | 'automated-enforcement'
  | 'supply-chain'
  | 'monitoring';

/**
 * Every principle, in the order reports list them. `monitoring` is continuous monitoring: the
 * cluster keeps a record of who did what through its API (audit logging).
 */
export const PRINCIPLES: readonly Principle[] = [
  'least-privilege',
  'micro-segmentation',
  'credential-protection',
  'encryption-in-transit',
  'automated-enforcement',
  'supply-chain',
  'monitoring',
];

export type RuleGroup = 'restricted-security-context';

/** Equivalent check ids in other tools, for users who come from them. */
export interface PeerIds {
  kubeLinter?: string[];
  polaris?: string[];
  checkov?: string[];
  trivy?: string[];
  kubescape?: string[];
}

export interface RuleDocs {
  /** What the rule finds, one sentence (hover title, tables, SARIF short description). */
  what: string;
  /** Why it matters for zero trust (Markdown). */
  why: string;
  /** How to fix it (Markdown). */
  fix: string;
  peers: PeerIds;
  /** Upstream documentation. */
  links?: string[];
}

export interface RuleMeta<O extends RuleOptions = RuleOptions, M extends string = string> {
  /** Public, stable, kebab-case; equals the file name in `rules/`. */
  id: string;
  title: string;
  principle: Principle;
  severity: Severity;
  /**
   * Pod Security Standards level of the control the rule implements. `baseline` rules run in
   * both profiles; every other rule (restricted or non-PSS) runs in the `restricted` profile.
   */
  pss?: 'baseline' | 'restricted';
  /**
   * Rules whose fixes make up one larger fix: `restricted-security-context` rules together
   * give a container the restricted profile's security context (one quick fix applies them all).
   */
  groups?: readonly RuleGroup[];
  /**
   * Kinds the rule looks at; omitted means every kind. `WORKLOAD_KINDS` stands for every kind
   * with a pod template, built-in or configured (`model/pod-templates.ts`).
   */
  kinds?: readonly string[];
  /**
   * What the rule reads of resources other than the one it checks (NetworkPolicies, bindings,
   * namespaces…), as named projections (`workspace/projections.ts`); omitted: it reads only
   * its own resource, and a workspace query is an error. What is not declared is not kept of
   * other files, and a test fails when a rule reads it.
   */
  reads?: readonly ProjectionName[];
  /**
   * The rule as an admission check (`kzt export-policy`), for rules decided by the one object
   * the API server admits; omitted for rules that need other resources or have no check yet.
   */
  admission?: AdmissionCheck<O>;
  /**
   * What a team may tune (ESLint's rule options): a JSON Schema of an object and the defaults.
   * The configuration's `ruleOptions.<id>` is validated against the schema and merged over the
   * defaults key by key; the rule reads the result as `context.options`.
   */
  options?: RuleOptionsMeta<O>;
  /**
   * The rule's messages by id (ESLint's `meta.messages`): templates with `{{name}}` placeholders
   * that a report fills from its `data`. One place to read, review and test every message a rule
   * can give; a report names one with `messageId`.
   */
  messages?: Readonly<Record<M, string>>;
  /** Why the rule has no admission check (the rule documentation says it; without it, a rule that `reads` others says that). */
  notExported?: string;
  docs: RuleDocs;
}

/** The options of a rule, as a JSON object. */
export type RuleOptions = Readonly<Record<string, unknown>>;

/** JSON Schema (draft 7) of a rule's options object; each property has a `description` (rule docs, editor completion). */
export interface RuleOptionsSchema {
  type: 'object';
  properties: Record<string, { description: string } & Record<string, unknown>>;
  additionalProperties: false;
}

export interface RuleOptionsMeta<O extends RuleOptions> {
  schema: RuleOptionsSchema;
  defaults: O;
}

/**
 * What a fix changes in how a workload runs, beyond hardening a setting nobody relied on:
 * what it takes away (a privilege, a capability, a host namespace, a volume, a port) and what
 * it creates that filters traffic (a NetworkPolicy). Editors ask before applying such a fix
 * (LSP change annotations with `needsConfirmation`: VS Code shows its refactor preview), and its
 * title says what it removes.
 */
export interface BehaviourChange {
  /** What the fix takes away, as the manifest spells it: `privileged: true`, `NET_ADMIN`, `hostNetwork: true`. */
  removes?: string[];
  /** What the fix creates that changes which traffic flows: `NetworkPolicy web-least-privilege`. */
  creates?: string[];
}

/**
 * A rule said in CEL, for the API server's admission control (ValidatingAdmissionPolicy,
 * Kyverno). An object is admitted when every validation is true; it is denied exactly when
 * the rule reports it (a parity test evaluates each check on the rule's cases). Standard CEL
 * only (no Kubernetes library functions, no optional fields), so the checks run on every
 * Kubernetes version and outside a cluster.
 */
export interface AdmissionCheck<O extends RuleOptions = RuleOptions> {
  /**
   * `pod`: the check judges a pod spec, of a Pod or of a workload's pod template, through the
   * variables `pod`, `spec`, `podSecurityContext`, `podAnnotations`, `allContainers` and
   * `containers` (without the containers a config exemption names; export-policy/pod-variables.ts). `object`: it judges `object`, of the rule's `kinds`.
   */
  subject: 'pod' | 'object';
  /**
   * The kinds the check judges when they are fewer than the rule's: what the rule finds in the
   * other kinds needs other resources and stays in the editor and `kzt audit`.
   */
  kinds?: readonly string[];
  /** The validations under a profile (the profile's allow-lists may differ) and the rule's options. */
  validations(profile: Profile, options: O): AdmissionValidation[];
  /** Variables the validations share (after the pod variables), so a long expression is written once. */
  variables?: ReadonlyArray<{ name: string; expression: string }>;
  /**
   * What of the rule the check leaves to the editor and the CLI, for the rule's documentation,
   * when it cannot be said in standard CEL (the findings it leaves carry `Report.outsideAdmission`).
   */
  partial?: string;
}

export interface AdmissionValidation {
  /** CEL, true when the object is admitted. */
  expression: string;
  /** CEL giving the message of a denial: which container or field, and what to do. */
  messageExpression: string;
}

/**
 * A one-click fix: edits in the offsets of the document's source slice (a negative offset
 * or one past its end reaches another document of the same file, e.g. the ServiceAccount a
 * workload runs as).
 */
export interface FixSpec {
  title: string;
  edits: OffsetEdit[];
  /** Files to create (absolute URIs, beside the current file), e.g. a generated NetworkPolicy. */
  newFiles?: Array<{ uri: string; text: string }>;
  /**
   * Offered only on request: fix-all and fix-on-save skip it, because it changes how the
   * workload reads its configuration and chaining it with other fixes could break it.
   */
  manual?: boolean;
  /** Set when the fix changes how the workload runs: the editor asks first (see `BehaviourChange`). */
  changesBehaviour?: BehaviourChange;
}

/**
 * What a rule says about a resource through `context.report` (ESLint's report descriptor); the
 * engine makes it a `Finding` (engine/finding.ts). Reports in the sense of output formats live in `report/`.
 */
export interface ReportDescriptor<M extends string = string> {
  /** The node the finding is about: the offending value, else the nearest present parent key. */
  node: Node;
  /** The message, for a rule without `meta.messages`; otherwise give `messageId` and `data`. */
  message?: string;
  /** Which of `meta.messages` this is. */
  messageId?: M;
  /** The values of the message's placeholders (names, paths: never a secret's value). */
  data?: Readonly<Record<string, string | number>>;
  /**
   * The fixes, or a function that builds them. A function runs only when a fix is asked for
   * (a code action, fix-all, fix-on-save, a test), never for diagnostics or audits: give one
   * for fixes that cost more than an edit or two (generated NetworkPolicies, ServiceAccounts,
   * RBAC edits). It may run after `check` has returned, once, while the file is unchanged: it
   * reads only what `check` could (through values `check` computed, such as an index), reports
   * nothing, and its result is kept. A function that throws gives no fixes.
   */
  fixes?: FixSpec[] | (() => FixSpec[]);
  /** A lower severity than the rule's default for this case (a user-set severity still wins). */
  severity?: Severity;
  /**
   * Other documents of the same file whose text the fixes edit (the ServiceAccount beside a
   * workload): their offsets depend on that text, which no cross-resource signature covers, so
   * the result is reused only while those documents are unchanged.
   */
  fixesReach?: readonly Resource[];
  /**
   * Set when the rule's admission check (`RuleMeta.admission`) does not judge what this finding
   * is about: the check covers part of the rule (`AdmissionCheck.partial` says which), and only
   * the editor and the CLI report the rest. The parity test expects no denial for it.
   */
  outsideAdmission?: true;
  /**
   * Other resources the finding concerns (the workloads a namespace leaves open): LSP
   * `relatedInformation`, SARIF `relatedLocations`. Each points at the resource's name.
   */
  related?: readonly RelatedResource[];
  /**
   * What the finding is about inside the resource (e.g. `containers[0]`): lets "apply the
   * restricted security context to this container" gather the findings of one container.
   */
  target?: string;
}

export interface RelatedResource {
  resource: Resource;
  /** Why it is related, one short sentence. */
  message: string;
}

/** A report as the engine keeps it: its message resolved from `meta.messages` when it named one. */
export type ResolvedReport = ReportDescriptor & { message: string };

export interface RuleContext<O extends RuleOptions = RuleOptions, M extends string = string> {
  readonly profile: Profile;
  /** The rule's options: its defaults with the configuration's `ruleOptions` over them. */
  readonly options: O;
  /** The team asks for `metadata.namespace` on every namespaced object (`requireNamespace`). */
  readonly requireNamespace: boolean;
  readonly workspace: WorkspaceView;
  report(report: ReportDescriptor<M>): void;
}

export interface Rule<O extends RuleOptions = RuleOptions, M extends string = string> {
  meta: RuleMeta<O, M>;
  check(resource: Resource, context: RuleContext<O, M>): void;
}

/** Inline test cases of a rule: documents that must not, and must, produce findings. */
export interface RuleCases {
  valid: ValidCase[];
  invalid: InvalidCase[];
}

export interface ValidCase {
  name: string;
  yaml: string;
  profile?: Profile;
  /** The rule's options (`ruleOptions` of the configuration); validated against its schema. */
  options?: RuleOptions;
  /** Lint with `requireNamespace: true` (the team asks for a namespace on every object). */
  requireNamespace?: boolean;
  /** Other files of the workspace, for cross-resource rules. */
  workspace?: Record<string, string>;
}

export interface InvalidCase extends ValidCase {
  /** Every finding of this rule, in order (by position, then rule id), and no other. */
  findings: ExpectedFinding[];
}

/**
 * One expected finding, exactly (ESLint's RuleTester `errors`): its whole range and every fix.
 * Positions are 0-based, in UTF-16 code units, as in LSP ranges.
 */
export interface ExpectedFinding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Text of the message (a substring of it). */
  message: string;
  /** The message's id, for a rule with `meta.messages` (required there). */
  messageId?: string;
  /** The severity, for rules whose findings lower it case by case (`Report.severity`); omitted: not checked. */
  severity?: Severity;
  /** Every fix of the finding, in order; `[]` when it has none. */
  fixes: ExpectedFix[];
}

/** One fix, applied alone to the case's text. */
export interface ExpectedFix {
  title: string;
  /** The whole text of the case after this fix. */
  output: string;
  /** The files it creates (URI to text); omitted when it creates none. */
  newFiles?: Record<string, string>;
  /** Offered only on request (`FixSpec.manual`): fix-all and fix-on-save skip it. */
  manual?: true;
  /** What the fix takes away or creates (`FixSpec.changesBehaviour`); omitted for a fix that changes no behaviour. */
  changesBehaviour?: BehaviourChange;
}

/** Typed identity: keeps rule files short and their metadata checked. */
export function defineRule<O extends RuleOptions = RuleOptions, M extends string = string>(rule: Rule<O, M>): Rule {
  return rule as unknown as Rule;
}

/**
 * The report with its message: given, or `meta.messages[messageId]` with `{{name}}` filled from
 * `data` in one pass (a value that looks like a placeholder stays as it is). A report that names
 * no message, an unknown id or a placeholder without data is the rule's bug: it throws.
 */
export function resolveReport(meta: RuleMeta, report: ReportDescriptor): ResolvedReport {
  if (report.messageId === undefined) {
    if (report.message === undefined) throw new Error(`rule ${meta.id} reported neither message nor messageId`);
    return report as ResolvedReport;
  }
  const template = meta.messages?.[report.messageId];
  if (template === undefined) throw new Error(`rule ${meta.id} reported the unknown messageId "${report.messageId}"`);
  const data = report.data ?? {};
  const message = template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    if (!Object.hasOwn(data, name)) throw new Error(`rule ${meta.id}, message ${report.messageId}: no data for {{${name}}}`);
    return String(data[name]);
  });
  return { ...report, message };
}

/** Whether the rule looks at this resource (`RuleMeta.kinds`). */
export function appliesTo(meta: RuleMeta, resource: Resource): boolean {
  return !meta.kinds || kindsInclude(meta.kinds, resource.kind, resource.podTemplate);
}

/** Whether the rule reads other resources (its results depend on the workspace, not only its document). */
export function isCrossResource(meta: RuleMeta): boolean {
  return meta.reads !== undefined && meta.reads.length > 0;
}

export function ruleProfiles(meta: RuleMeta): Profile[] {
  return meta.pss === 'baseline' ? ['baseline', 'restricted'] : ['restricted'];
}
