import type { Node } from 'yaml';
import type { Resource } from '../../model/resource';
import type { MapView, SeqView } from '../../model/yaml-view';

/**
 * An API server audit policy (`audit.k8s.io/v1` `Policy`) read as kube-apiserver reads it
 * (k8s.io/apiserver pkg/audit/policy/checker.go): rules are tried in order and the first one
 * that matches a request decides its level; a request no rule matches is not logged. A rule's
 * `omitStages` adds to the policy's.
 */

export type AuditLevel = 'None' | 'Metadata' | 'Request' | 'RequestResponse';
export const AUDIT_LEVELS: readonly AuditLevel[] = ['None', 'Metadata', 'Request', 'RequestResponse'];
export const AUDIT_STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;

export interface GroupResources {
  /** The API group; `""` (or omitted) is the core group, `*` every group. */
  group: string;
  /** Empty: every resource of the group. */
  resources: string[];
  /** Empty: every name. */
  resourceNames: string[];
}

export interface AuditRule {
  /** Position in `rules` (also for rules that are not maps or have no valid level). */
  index: number;
  map: MapView;
  /** Undefined when missing or not one of the four levels: the API server refuses such a policy. */
  level: AuditLevel | undefined;
  /** The `level` value, else the rule itself: where findings about the rule point. */
  node: Node;
  users: string[];
  userGroups: string[];
  verbs: string[];
  namespaces: string[];
  resources: GroupResources[];
  nonResourceURLs: string[];
  /** The rule's own `omitStages` and the policy's. */
  omitStages: ReadonlySet<string>;
}

export interface AuditPolicyModel {
  resource: Resource;
  /** The `rules` sequence, when it is one. */
  rulesSeq: SeqView | undefined;
  rules: AuditRule[];
  /** The policy-level `omitStages`. */
  omitStages: ReadonlySet<string>;
}

export function readAuditPolicy(resource: Resource): AuditPolicyModel {
  const root = resource.root;
  const omitStages = new Set(strings(root.seq('omitStages')));
  const rulesSeq = root.seq('rules');
  const rules: AuditRule[] = [];
  rulesSeq?.node.items.forEach((item, index) => {
    const map = rulesSeq.ctx.map(item);
    if (!map) return;
    const levelText = map.string('level');
    const level = AUDIT_LEVELS.find((l) => l === levelText);
    rules.push({
      index,
      map,
      level,
      node: map.scalar('level') ?? map.node,
      users: strings(map.seq('users')),
      userGroups: strings(map.seq('userGroups')),
      verbs: strings(map.seq('verbs')),
      namespaces: strings(map.seq('namespaces')),
      resources: (map.seq('resources')?.maps() ?? []).map((gr) => ({
        group: gr.string('group') ?? '',
        resources: strings(gr.seq('resources')),
        resourceNames: strings(gr.seq('resourceNames')),
      })),
      nonResourceURLs: strings(map.seq('nonResourceURLs')),
      omitStages: new Set([...omitStages, ...strings(map.seq('omitStages'))]),
    });
  });
  return { resource, rulesSeq, rules, omitStages };
}

function strings(seq: SeqView | undefined): string[] {
  return seq?.scalars().map((s) => s.value) ?? [];
}

/** True when the rule (with the policy's stages) writes no event at all, at any stage. */
export function omitsEveryStage(stages: ReadonlySet<string>): boolean {
  return AUDIT_STAGES.every((stage) => stages.has(stage));
}

/**
 * True when a request that completes is written at some stage: every request passes
 * `RequestReceived` and `ResponseComplete`; long-running ones (watches, exec, attach,
 * port-forward) also `ResponseStarted`. `Panic` only happens when the server crashes.
 */
export function recordsCompletedRequest(stages: ReadonlySet<string>, longRunning: boolean): boolean {
  return !stages.has('RequestReceived') || !stages.has('ResponseComplete') || (longRunning && !stages.has('ResponseStarted'));
}

/** Where a rule is, for messages: `rules[3]` (0-based, like the RBAC rules' messages). */
export function ruleLabel(rule: AuditRule): string {
  return `rules[${rule.index}]`;
}
