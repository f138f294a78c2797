import { permissionHits, ROLE_AND_BINDING_KINDS, SECRETS_READ, RBAC_READS } from '../server/src/analysis/rbac';
import { defineRule, ROLE_OBJECT_KINDS, roleGrantsCheck, type RuleCases } from '../server/src/rule-api';

const GRANT_NAMED = 'Grant get on the named Secrets it needs (resourceNames), or mount them instead';

export default defineRule({
  meta: {
    id: 'rbac-secrets-access',
    title: 'RBAC grants read access to Secrets',
    principle: 'least-privilege',
    severity: 'warning',
    kinds: ROLE_AND_BINDING_KINDS,
    reads: RBAC_READS,
    messages: {
      bulkRead: `{{where}} can {{requests}}. Listing or watching Secrets returns the content of every Secret in scope. ${GRANT_NAMED}.`,
      anyRead: `{{where}} can {{requests}}. Get without resourceNames reads any Secret by name. ${GRANT_NAMED}.`,
      binding: '{{binding}} lets its subjects read Secrets. Through {{role}}, {{subjects}} can {{requests}}, and so read the content of any Secret in scope. Bind a role that reads only the named Secrets the subjects need.',
    },
    admission: {
      subject: 'object',
      kinds: ROLE_OBJECT_KINDS,
      validations: () => [roleGrantsCheck([SECRETS_READ], `reads Secrets without naming them (get, list or watch without resourceNames): it reads the content of every Secret in scope. ${GRANT_NAMED}.`)],
    },
    docs: {
      what: 'A Role or ClusterRole rule allows `get`, `list` or `watch` on `secrets` for any secret, or a binding grants a built-in role that does (`edit`, `admin`).',
      why: '`list` and `watch` return the full content of every Secret in scope, not just names, and `get` without `resourceNames` reads any Secret, including the tokens of other ServiceAccounts and the credentials of other applications. Whoever steals the subject\'s token inherits all of them.',
      fix: 'Grant `get` on the Secrets the workload needs by name (`resourceNames`), or mount them into the pod instead of reading them through the API. Rules limited by `resourceNames` are not reported. A grant that only a `*` gives is reported by rbac-wildcard instead (one finding for the rule, naming it), and a binding of a role equivalent to `cluster-admin` by rbac-cluster-admin-binding.',
      peers: { kubeLinter: ['access-to-secrets'], trivy: ['KSV-0041', 'KSV-0113'], checkov: ['CKV2_K8S_5'], kubescape: ['C-0015', 'C-0186'] },
      links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets'],
    },
  },
  check(resource, { report, workspace }) {
    for (const hit of permissionHits(resource, workspace, SECRETS_READ)) {
      const bulk = hit.granted.some((p) => p.verb !== 'get');
      report({ node: hit.node, messageId: hit.roleRule ? (bulk ? 'bulkRead' : 'anyRead') : 'binding', data: hit.data });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'get on named secrets only, and list on configmaps',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: app, namespace: shop}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: ["app-tls"]
    verbs: ["get", "list", "watch"]
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get", "list", "watch"]
`,
    },
    {
      name: 'secrets of another API group, create-only access, and a binding to the built-in view role',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: writer}
rules:
  - apiGroups: ["external-secrets.io"]
    resources: ["secrets"]
    verbs: ["list"]
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: readers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}
`,
    },
    {
      name: 'what only a wildcard grants is rbac-wildcard\'s finding: `*` resources, a `*` API group, `*` verbs',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: broad, namespace: shop}
rules:
  - {apiGroups: [""], resources: ["*"], verbs: ["get"]}
  - {apiGroups: ["*"], resources: ["secrets"], verbs: ["list"]}
  - {apiGroups: [""], resources: ["secrets"], verbs: ["*"]}
`,
    },
  ],
  invalid: [
    {
      name: 'list and watch on secrets in the second rule, pointed at the resource',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: argocd-dex-server
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get"]
- apiGroups:
  - ""
  resources:
  - configmaps
  - secrets   # dex reads its connectors' credentials
  verbs:
  - get
  - list
  - watch
`,
      findings: [{ line: 12, column: 4, endLine: 12, endColumn: 11, message: 'Role argocd-dex-server (rules[1]) can get, list, watch secrets. Listing or watching Secrets returns the content of every Secret in scope. Grant get on the named Secrets it needs (resourceNames), or mount them instead.', messageId: 'bulkRead', fixes: [] }],
    },
    {
      name: 'get on secrets, and a ClusterRoleBinding of the built-in edit role (second document)',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules:
  - {apiGroups: [""], resources: ["secrets"], verbs: ["get"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ci-edit}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
  - {kind: ServiceAccount, name: ci, namespace: build}
`,
      findings: [
        { line: 4, column: 34, endLine: 4, endColumn: 43, message: 'ClusterRole reader (rules[0]) can get secrets. Get without resourceNames reads any Secret by name. Grant get on the named Secrets it needs (resourceNames), or mount them instead.', messageId: 'anyRead', fixes: [] },
        { line: 9, column: 72, endLine: 9, endColumn: 76, message: 'ClusterRoleBinding ci-edit lets its subjects read Secrets. Through ClusterRole edit (built-in), ServiceAccount build/ci can get, list, watch secrets, and so read the content of any Secret in scope. Bind a role that reads only the named Secrets the subjects need.', messageId: 'binding', fixes: [] },
      ],
    },
  ],
};
