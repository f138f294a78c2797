import type { Range } from 'vscode-languageserver-textdocument';
import type { OffsetEdit } from '../edits/offset-edit';
import type { BehaviourChange, Severity } from './rule';

/** Rule id of YAML syntax errors: not a rule, never suppressed, never fixed. */
export const SYNTAX_ERROR_ID = 'yaml-syntax';

export interface FindingFix {
  title: string;
  /** Edits in file offsets. */
  edits: OffsetEdit[];
  /** Files to create (absolute URIs). */
  newFiles?: Array<{ uri: string; text: string }>;
  /** Never applied by fix-all or fix-on-save. */
  manual?: boolean;
  /** What it takes away or creates: editors ask before applying it. */
  changesBehaviour?: BehaviourChange;
}

/** One problem in one file, ready for any output (diagnostic, text, JSON, SARIF). */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Which of the rule's `meta.messages` it is, for rules that have them. */
  messageId?: string;
  uri: string;
  /** File offsets and the matching LSP range (0-based, UTF-16). */
  start: number;
  end: number;
  range: Range;
  docIndex: number;
  /** The resource's index in the `items` of its List document (`Resource.item`). */
  item?: number;
  resource?: { kind: string; name: string; namespace?: string };
  /** Sub-part of the resource the finding is about, e.g. `containers[0]`. */
  target?: string;
  /** The rule's admission policy does not judge it (`Report.outsideAdmission`). */
  outsideAdmission?: true;
  /** Other places the finding concerns, in any file of the workspace. */
  related?: RelatedLocation[];
  /**
   * The fixes, built when first read (rules may build them lazily: `ReportDescriptor.fixes`), then kept.
   * Read them while the file is the text the finding was linted from. On findings of the linter
   * this is a non-enumerable accessor: a copy (spread, `structuredClone`, a worker message,
   * JSON) leaves the fixes out and never builds them; copy with `withFields` to keep them.
   */
  readonly fixes: readonly FindingFix[];
  /** Set on findings an annotation, comment or exemption silenced. */
  suppressed?: Suppression;
  /**
   * The Kustomize overlays it holds in, when several overlays build the file and it holds in
   * only some of them (the message names them too).
   */
  overlays?: readonly string[];
}

/** A copy of `finding` with other fields, keeping its fixes (still unbuilt if they were). */
export function withFields(finding: Finding, fields: Partial<Omit<Finding, 'fixes'>>): Finding {
  const copy = { ...finding, ...fields };
  const fixes = Object.getOwnPropertyDescriptor(finding, 'fixes');
  return fixes ? Object.defineProperty(copy, 'fixes', fixes) : copy;
}

export interface RelatedLocation {
  uri: string;
  /** 0-based, UTF-16; the start of the file when the file is known only by its resources (compact or another thread's). */
  range: Range;
  message: string;
}

export interface Suppression {
  by: 'annotation' | 'comment' | 'exemption' | 'peer-annotation';
  reason?: string;
}
