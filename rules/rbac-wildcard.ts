import { DANGEROUS, ESCALATION_VERBS, ESCALATIONS, joinWithAnd, RBAC_READS, ROLE_KINDS, roleRulesIn, ruleGrants, STANDARD_VERBS, type AccessRequest, type Permission, type RoleRule, type RuleItem } from '../server/src/analysis/rbac';
import { removeSeqItems, replaceSeqItem } from '../server/src/fixes';
import { defineRule, ROLE_OBJECT_KINDS, roleWildcardCheck, type FixSpec, type RuleCases, type WorkspaceView } from '../server/src/rule-api';

const READ_ONLY = ['get', 'list', 'watch'];
const FIELDS = ['verbs', 'resources', 'apiGroups'] as const;
type WildcardField = (typeof FIELDS)[number];
const MAX_LISTED = 4;
const FIELD_NAMES: Record<WildcardField, string> = { verbs: 'verbs', resources: 'resources', apiGroups: 'API groups' };
const LATER = 'anything added later';
const LIST = 'List only the verbs, resources and API groups it needs';

export default defineRule({
  meta: {
    id: 'rbac-wildcard',
    title: 'Wildcard in an RBAC rule',
    principle: 'least-privilege',
    severity: 'error',
    reads: RBAC_READS,
    kinds: ROLE_KINDS,
    messages: {
      wildcard: `{{where}} has a wildcard in its {{fields}}. It allows {{allowed}}, and ${LATER}. ${LIST}.`,
      wildcardGrants: `{{where}} has a wildcard in its {{fields}}. It allows {{allowed}}, which includes {{grants}}, and ${LATER}. ${LIST}.`,
      urls: '{{where}} has a wildcard in its {{fields}}. It allows every HTTP verb on {{urls}}, writes included. List only the verbs it needs, usually get.',
    },
    admission: {
      subject: 'object',
      kinds: ROLE_OBJECT_KINDS,
      validations: () => [roleWildcardCheck(`has a wildcard in the verbs, resources or API groups of a rule. It grants whatever matches now and ${LATER}. ${LIST}.`)],
    },
    docs: {
      what: 'A rule of a Role or ClusterRole uses `*` in `verbs`, `resources` or `apiGroups` (every rule is checked, not only the first; one finding per rule).',
      why: 'A wildcard grants everything that exists today and everything added later: `*` verbs include `escalate`, `bind` and `impersonate`, `*` resources include secrets and every subresource, `*` API groups include every custom resource installed later. Least privilege needs the list of what the workload actually uses.\n\nThe finding sits at the rule\'s first `*` and names what the wildcards grant that the rule does not name itself: reading Secrets, exec into pods, creating or changing workloads, and the escalation paths (escalate, bind, impersonate, writing roles and bindings, minting ServiceAccount tokens, approving certificates, registering admission webhooks). Those grants are reported here only, once: rbac-secrets-access, rbac-pod-exec, rbac-workload-creation and rbac-privilege-escalation report what a rule grants without its wildcards. The finding is an error when the wildcards grant an escalation path, a warning otherwise.',
      fix: 'List the verbs, resources and API groups the subject needs. The quick fixes replace a `*` verb with the read-only verbs or with the standard verbs spelt out, and a `*` resource with the resources the workspace shows for that API group (its CustomResourceDefinitions, else the resources the role names elsewhere); a rule with `*` in both gets both at once, and a `*` API group has no quick fix. Rules of an aggregated ClusterRole are not checked: the aggregation controller overwrites them.',
      peers: { kubeLinter: ['wildcard-in-rules'], trivy: ['KSV-0044', 'KSV-0045', 'KSV-0046', 'KSV-0112'], checkov: ['CKV_K8S_49'], kubescape: ['C-0187'] },
      links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#minimize-wildcard-permissions'],
    },
  },
  check(resource, { report, workspace }) {
    for (const roleRule of roleRulesIn(resource)) {
      const wildcards = FIELDS.flatMap((field) => roleRule.rule.items(field).filter(isWildcard).map((item) => ({ field, item })));
      if (wildcards.length === 0) continue;
      const first = wildcards.reduce((a, b) => (b.item.node.range![0] < a.item.node.range![0] ? b : a));
      const granted = grantedOnlyByWildcards(roleRule, workspace);
      const labels = granted.map(({ permission, requests }) => (permission === ESCALATION_VERBS ? [...new Set(requests.map((r) => r.verb))].join('/') : permission.label));
      const fields = joinWithAnd(FIELDS.filter((field) => wildcards.some((w) => w.field === field)).map((field) => FIELD_NAMES[field]));
      const data = { where: roleRule.where, fields };
      report({
        node: first.item.node,
        ...(isUrlRule(roleRule)
          ? { messageId: 'urls', data: { ...data, urls: listed(roleRule.rule.nonResourceURLs) } }
          : labels.length
            ? { messageId: 'wildcardGrants', data: { ...data, allowed: allowed(roleRule), grants: joinWithAnd(labels) } }
            : { messageId: 'wildcard', data: { ...data, allowed: allowed(roleRule) } }),
        severity: granted.some(({ permission }) => ESCALATIONS.includes(permission)) ? undefined : 'warning',
        fixes: () => wildcardFixes(roleRule, new Set(wildcards.map((w) => w.field)), workspace),
      });
    }
  },
});

function isWildcard(item: RuleItem): boolean {
  return item.value === '*';
}

function isUrlRule({ rule }: RoleRule): boolean {
  return rule.resources.length === 0 && rule.nonResourceURLs.length > 0;
}

/** The dangerous permissions the rule grants through its wildcards only, most dangerous first. */
function grantedOnlyByWildcards(roleRule: RoleRule, workspace: WorkspaceView): Array<{ permission: Permission; requests: AccessRequest[] }> {
  return DANGEROUS.map((permission) => {
    const explicit = new Set(ruleGrants(roleRule, permission, workspace, 'explicit'));
    return { permission, requests: ruleGrants(roleRule, permission, workspace, 'with-wildcards').filter((r) => !explicit.has(r)) };
  }).filter(({ requests }) => requests.length > 0);
}

/** "a, b, c, d, …": messages stay short. */
function listed(values: readonly string[]): string {
  return values.slice(0, MAX_LISTED).join(', ') + (values.length > MAX_LISTED ? ', …' : '');
}

/** "every verb on every resource of every API group", "get, list on every resource in API group example.com" */
function allowed({ rule }: RoleRule): string {
  const verbs = rule.verbs.includes('*') ? 'every verb' : listed(rule.verbs);
  const resources = rule.resources.includes('*') ? 'every resource' : listed(rule.resources);
  const groupNames = rule.apiGroups.map((g) => (g === '' ? 'core' : g));
  const groups = rule.apiGroups.includes('*') ? ' of every API group' : rule.resources.includes('*') ? ` in API group${groupNames.length > 1 ? 's' : ''} ${listed(groupNames)}` : '';
  return `${verbs} on ${resources}${groups}`;
}

/**
 * Fixes that leave the rule without any `*`, so they remove the finding: the `*` verb replaced
 * with read-only or standard verbs, the `*` resource with the resources meant, both at once
 * when both are `*`. None for a `*` API group, or when what `*` stands for is unknown.
 */
function wildcardFixes(roleRule: RoleRule, fields: ReadonlySet<WildcardField>, workspace: WorkspaceView): FixSpec[] {
  const { rule } = roleRule;
  if (fields.has('apiGroups') || [...fields].some((field) => rule.items(field).filter(isWildcard).length > 1)) return [];
  if (isUrlRule(roleRule)) return fix('Restrict verbs to get', [replaceWildcard(roleRule, 'verbs', ['get'])]);
  const resources = fields.has('resources') ? meantResources(roleRule, workspace) : [];
  if (fields.has('resources') && resources.length === 0) return [];
  const resourceEdit = fields.has('resources') ? replaceWildcard(roleRule, 'resources', resources) : undefined;
  if (!fields.has('verbs')) return fix(`Replace wildcard resources with ${resources.join(', ')}`, [resourceEdit]);
  const withResources = (title: string, resourcesTitle: string) => (resourceEdit ? `${title} and resources ${resourcesTitle} ${resources.join(', ')}` : title);
  const also = resourceEdit ? [resourceEdit] : [];
  return [
    ...fix(withResources('Restrict verbs to read-only (get, list, watch)', 'to'), [replaceWildcard(roleRule, 'verbs', READ_ONLY), ...also]),
    ...fix(withResources(`Replace * with the standard verbs: ${STANDARD_VERBS.join(', ')}`, 'with'), [replaceWildcard(roleRule, 'verbs', STANDARD_VERBS), ...also]),
  ];
}

type Edits = FixSpec['edits'];

function fix(title: string, parts: ReadonlyArray<Edits | undefined>): FixSpec[] {
  return parts.every((p): p is Edits => p !== undefined) ? [{ title, edits: parts.flat() }] : [];
}

/** Replaces the `*` item with the values not already listed (or drops it if all are). */
function replaceWildcard(roleRule: RoleRule, field: 'verbs' | 'resources', values: readonly string[]): Edits | undefined {
  const seq = roleRule.rule.seq(field)!;
  const items = roleRule.rule.items(field);
  const wildcard = items.find(isWildcard)!;
  const present = new Set(items.map((i) => i.value));
  const missing = values.filter((v) => !present.has(v));
  return missing.length ? [replaceSeqItem(seq, wildcard.index, missing)] : removeSeqItems(seq, [wildcard.index]);
}

/**
 * The resources a `*` most likely stands for: those of the rule's API groups that the
 * workspace defines (CustomResourceDefinitions), else those the same role names for the
 * same groups in its other rules. Nothing when the groups are themselves `*`.
 */
function meantResources(roleRule: RoleRule, workspace: WorkspaceView): string[] {
  const groups = roleRule.rule.apiGroups;
  if (groups.length === 0 || groups.includes('*')) return [];
  const defined = workspace.ofKind('CustomResourceDefinition')
    .filter((crd) => groups.includes(crd.root.map('spec')?.string('group') ?? '\0'))
    .map((crd) => crd.root.map('spec')?.map('names')?.string('plural'))
    .filter((plural): plural is string => !!plural);
  if (defined.length) return [...new Set(defined)];
  const named = roleRule.object.root
    .seq('rules')
    ?.maps()
    .filter((other) => other !== roleRule.rule.map && (other.seq('apiGroups')?.scalars() ?? []).some((g) => groups.includes(g.value)))
    .flatMap((other) => other.seq('resources')?.scalars().map((r) => r.value) ?? [])
    .filter((r) => !r.includes('*'));
  return [...new Set(named ?? [])];
}

export const cases: RuleCases = {
  valid: [
    {
      name: 'explicit verbs, resources and groups; `*/scale` names one subresource and resourceNames has no wildcard',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: autoscaler}
rules:
  - apiGroups: ["apps"]
    resources: ["*/scale"]
    verbs: ["get", "update"]
  - apiGroups: [""]
    resources: ["configmaps"]
    resourceNames: ["*"]
    verbs: ["get"]
`,
    },
    {
      name: 'an aggregated ClusterRole: its written rules are overwritten by the controller',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors:
    - matchLabels: {example.com/aggregate-to-monitoring: "true"}
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
`,
    },
    {
      name: 'nonResourceURLs may use a trailing wildcard',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: health}
rules:
  - nonResourceURLs: ["/healthz/*"]
    verbs: ["get"]
`,
    },
  ],
  invalid: [
    {
      name: 'a `*` verb in the second rule (checkers that read only the first rule miss it)',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: operator
  namespace: monitoring
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get"]
- apiGroups:
  - apps
  resources:
  - statefulsets
  verbs:
  - '*'   # the operator manages its StatefulSets
`,
      findings: [
        {
          line: 14, column: 4, endLine: 14, endColumn: 7, message: 'Role operator (rules[1]) has a wildcard in its verbs. It allows every verb on statefulsets, which includes creating or changing workloads, and anything added later. List only the verbs, resources and API groups it needs.', messageId: 'wildcardGrants',
          fixes: [
            {
              title: 'Restrict verbs to read-only (get, list, watch)',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: operator
  namespace: monitoring
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get"]
- apiGroups:
  - apps
  resources:
  - statefulsets
  verbs:
  - get
  - list
  - watch   # the operator manages its StatefulSets
`,
            },
            {
              title: 'Replace * with the standard verbs: get, list, watch, create, update, patch, delete, deletecollection',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: operator
  namespace: monitoring
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get"]
- apiGroups:
  - apps
  resources:
  - statefulsets
  verbs:
  - get
  - list
  - watch
  - create
  - update
  - patch
  - delete
  - deletecollection   # the operator manages its StatefulSets
`,
            },
          ],
        },
      ],
    },
    {
      name: 'every wildcard of a cluster-admin-like rule, in flow style: one finding, at the first `*`, naming what they grant',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
`,
      findings: [
        {
          line: 4, column: 17, endLine: 4, endColumn: 20,
          message: 'ClusterRole everything (rules[0]) has a wildcard in its verbs, resources and API groups. It allows every verb on every resource of every API group, which includes escalate/bind/impersonate, writing roles and bindings, minting ServiceAccount tokens, approving certificates, registering admission webhooks, exec into pods, creating or changing workloads and reading Secrets, and anything added later. List only the verbs, resources and API groups it needs.', messageId: 'wildcardGrants',
          fixes: [],
        },
      ],
    },
    {
      name: '`*` resources and verbs of the core group in a Role: one finding, the fixes replace both at once',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ops, namespace: shop}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get]
  - apiGroups: [""]
    resources: ["*"]
    verbs: ["*"]
`,
      findings: [
        {
          line: 8, column: 16, endLine: 8, endColumn: 19,
          message: 'Role ops (rules[1]) has a wildcard in its verbs and resources. It allows every verb on every resource in API group core, which includes impersonate, minting ServiceAccount tokens, exec into pods, creating or changing workloads and reading Secrets, and anything added later. List only the verbs, resources and API groups it needs.', messageId: 'wildcardGrants',
          fixes: [
            {
              title: 'Restrict verbs to read-only (get, list, watch) and resources to configmaps',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ops, namespace: shop}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get]
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list, watch]
`,
            },
            {
              title: 'Replace * with the standard verbs: get, list, watch, create, update, patch, delete, deletecollection and resources with configmaps',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ops, namespace: shop}
rules:
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get]
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get, list, watch, create, update, patch, delete, deletecollection]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'what the rule names itself is left to the specific rules: secrets listed beside `*` are not named again',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules:
  - apiGroups: [""]
    resources: [secrets, "*"]
    verbs: [list]
`,
      findings: [
        {
          line: 5, column: 25, endLine: 5, endColumn: 28,
          message: 'Role reader (rules[0]) has a wildcard in its resources. It allows list on every resource in API group core, and anything added later. List only the verbs, resources and API groups it needs.', messageId: 'wildcard',
          fixes: [
            {
              title: 'Replace wildcard resources with secrets',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules:
  - apiGroups: [""]
    resources: [secrets]
    verbs: [list]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'every HTTP verb on a non-resource URL: the fix keeps get',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics}
rules:
  - nonResourceURLs: ["/metrics"]
    verbs: ["*"]
`,
      findings: [
        {
          line: 5, column: 12, endLine: 5, endColumn: 15, message: 'ClusterRole metrics (rules[0]) has a wildcard in its verbs. It allows every HTTP verb on /metrics, writes included. List only the verbs it needs, usually get.', messageId: 'urls',
          fixes: [
            {
              title: 'Restrict verbs to get',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: metrics}
rules:
  - nonResourceURLs: ["/metrics"]
    verbs: [get]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'a `*` resource of a custom API group is replaced by the CRDs of the workspace',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: app-controller
rules:
  - apiGroups: ["example.com"]
    resources: ["*"]
    verbs: ["get", "list", "watch"]
`,
      workspace: {
        'file:///crds.yaml': `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
`,
      },
      findings: [
        {
          line: 6, column: 16, endLine: 6, endColumn: 19, message: 'ClusterRole app-controller (rules[0]) has a wildcard in its resources. It allows get, list, watch on every resource in API group example.com, and anything added later. List only the verbs, resources and API groups it needs.', messageId: 'wildcard',
          fixes: [
            {
              title: 'Replace wildcard resources with widgets, gadgets',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: app-controller
rules:
  - apiGroups: ["example.com"]
    resources: [widgets, gadgets]
    verbs: ["get", "list", "watch"]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'a Role inside a RoleList, CRLF line ends; the resources named elsewhere in the role replace `*`',
      yaml: 'apiVersion: rbac.authorization.k8s.io/v1\r\nkind: RoleList\r\nitems:\r\n- apiVersion: rbac.authorization.k8s.io/v1\r\n  kind: Role\r\n  metadata:\r\n    name: metrics\r\n  rules:\r\n  - apiGroups: [metrics.k8s.io]\r\n    resources: [pods]\r\n    verbs: [get]\r\n  - apiGroups: [metrics.k8s.io]\r\n    resources:\r\n    - "*"\r\n    verbs: [list]\r\n',
      findings: [
        {
          line: 13, column: 6, endLine: 13, endColumn: 9, message: 'Role metrics (rules[1]) has a wildcard in its resources. It allows list on every resource in API group metrics.k8s.io, and anything added later. List only the verbs, resources and API groups it needs.', messageId: 'wildcard',
          fixes: [
            {
              title: 'Replace wildcard resources with pods',
              output: 'apiVersion: rbac.authorization.k8s.io/v1\r\nkind: RoleList\r\nitems:\r\n- apiVersion: rbac.authorization.k8s.io/v1\r\n  kind: Role\r\n  metadata:\r\n    name: metrics\r\n  rules:\r\n  - apiGroups: [metrics.k8s.io]\r\n    resources: [pods]\r\n    verbs: [get]\r\n  - apiGroups: [metrics.k8s.io]\r\n    resources:\r\n    - pods\r\n    verbs: [list]\r\n',
            },
          ],
        },
      ],
    },
  ],
};
