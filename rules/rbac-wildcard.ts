import { removeSeqItems, replaceSeqItem, ROLE_KINDS, type RoleRule, roleRulesIn, type RuleItem, RBAC_READS } from '../server/src/analysis/rbac';
import { defineRule, ROLE_OBJECT_KINDS, roleWildcardCheck, type FixSpec, type RuleCases, type WorkspaceView } from '../server/src/rule-api';

const READ_ONLY = ['get', 'list', 'watch'];
/** The verbs of the standard API (what `*` means to a reader, minus the special verbs). */
const STANDARD_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];

export default defineRule({
  meta: {
    id: 'rbac-wildcard',
    title: 'Wildcard in an RBAC rule',
    principle: 'least-privilege',
    severity: 'warning',
    reads: RBAC_READS,
    kinds: ROLE_KINDS,
    admission: {
      subject: 'object',
      kinds: ROLE_OBJECT_KINDS,
      validations: () => [roleWildcardCheck('has a wildcard (`*`) in the verbs, resources or API groups of a rule: it grants whatever matches now and anything added later. List only what it needs.')],
    },
    docs: {
      what: 'A rule of a Role or ClusterRole uses `*` in `verbs`, `resources` or `apiGroups` (every rule is checked, not only the first).',
      why: 'A wildcard grants everything that exists today and everything added later: `*` verbs include `escalate`, `bind` and `impersonate`, `*` resources include secrets and every subresource, `*` API groups include every custom resource installed later. Least privilege needs the list of what the workload actually uses.',
      fix: 'List the verbs, resources and API groups the subject needs. The quick fixes replace a `*` verb with the read-only verbs or with the standard verbs spelt out, and a `*` resource with the resources the workspace shows for that API group (its CustomResourceDefinitions, else the resources the role names elsewhere). Rules of an aggregated ClusterRole are not checked: the aggregation controller overwrites them.',
      peers: { kubeLinter: ['wildcard-in-rules'], trivy: ['KSV-0044', 'KSV-0045', 'KSV-0046', 'KSV-0112'], checkov: ['CKV_K8S_49'], kubescape: ['C-0187'] },
      links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#minimize-wildcard-permissions'],
    },
  },
  check(resource, { report, workspace }) {
    for (const roleRule of roleRulesIn(resource)) {
      const { rule, where } = roleRule;
      const urls = rule.resources.length === 0 && rule.nonResourceURLs.length > 0;
      for (const item of rule.items('verbs').filter(isWildcard)) {
        report({
          node: item.node,
          message: urls
            ? `${where} allows every HTTP verb (\`*\`) on ${rule.nonResourceURLs.map((u) => `\`${u}\``).join(', ')}, writes included. List only the verbs it needs, usually get.`
            : `${where} allows every verb (\`*\`), including delete, escalate, bind, impersonate and any verb added later. List only the verbs it needs.`,
          fixes: () => (urls ? replaceWith(roleRule, item, 'verbs', ['get'], 'Restrict verbs to get') : verbFixes(roleRule, item)),
        });
      }
      for (const item of rule.items('resources').filter(isWildcard)) {
        const secrets = rule.apiGroups.some((g) => g === '' || g === '*') ? ', secrets included' : '';
        report({
          node: item.node,
          message: `${where} allows every resource (\`*\`) of its API groups${secrets}, with their subresources and any resource added later. List only the resources it needs.`,
          fixes: () => resourceFixes(roleRule, item, workspace),
        });
      }
      for (const item of rule.items('apiGroups').filter(isWildcard)) {
        report({
          node: item.node,
          message: `${where} matches every API group (\`*\`), including custom resources installed later. List only the API groups it needs.`,
        });
      }
    }
  },
});

function isWildcard(item: RuleItem): boolean {
  return item.value === '*';
}

/** Replaces the `*` item with the verbs not already listed (or drops it if all are). */
function replaceWith(roleRule: RoleRule, item: RuleItem, field: 'verbs' | 'resources', values: readonly string[], title: string): FixSpec[] {
  const seq = roleRule.rule.seq(field)!;
  const present = new Set(roleRule.rule.items(field).map((i) => i.value));
  const missing = values.filter((v) => !present.has(v));
  const edits = missing.length ? [replaceSeqItem(seq, item.index, missing)] : removeSeqItems(seq, [item.index]);
  return edits ? [{ title, edits }] : [];
}

function verbFixes(roleRule: RoleRule, item: RuleItem): FixSpec[] {
  return [
    ...replaceWith(roleRule, item, 'verbs', READ_ONLY, 'Restrict verbs to read-only (get, list, watch)'),
    ...replaceWith(roleRule, item, 'verbs', STANDARD_VERBS, `Replace \`*\` with the verbs: ${STANDARD_VERBS.join(', ')}`),
  ];
}

function resourceFixes(roleRule: RoleRule, item: RuleItem, workspace: WorkspaceView): FixSpec[] {
  const meant = meantResources(roleRule, workspace);
  return meant.length ? replaceWith(roleRule, item, 'resources', meant, `Replace wildcard resources with ${meant.join(', ')}`) : [];
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
          line: 14, column: 4, endLine: 14, endColumn: 7, message: 'Role operator (rules[1]) allows every verb',
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
              title: 'Replace `*` with the verbs: get, list, watch, create, update, patch, delete, deletecollection',
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
      name: 'every wildcard of a cluster-admin-like rule, in flow style',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
`,
      findings: [
        { line: 4, column: 17, endLine: 4, endColumn: 20, message: 'matches every API group', fixes: [] },
        { line: 4, column: 35, endLine: 4, endColumn: 38, message: 'allows every resource (`*`) of its API groups, secrets included', fixes: [] },
        {
          line: 4, column: 49, endLine: 4, endColumn: 52, message: 'allows every verb',
          fixes: [
            {
              title: 'Restrict verbs to read-only (get, list, watch)',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - {apiGroups: ["*"], resources: ["*"], verbs: [get, list, watch]}
`,
            },
            {
              title: 'Replace `*` with the verbs: get, list, watch, create, update, patch, delete, deletecollection',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - {apiGroups: ["*"], resources: ["*"], verbs: [get, list, watch, create, update, patch, delete, deletecollection]}
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
          line: 5, column: 12, endLine: 5, endColumn: 15, message: 'allows every HTTP verb (`*`) on `/metrics`',
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
          line: 6, column: 16, endLine: 6, endColumn: 19, message: 'allows every resource',
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
          line: 13, column: 6, endLine: 13, endColumn: 9, message: 'Role metrics (rules[1]) allows every resource',
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
