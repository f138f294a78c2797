import { accessSummary, BINDING_KINDS, bindingLabel, bindingRuleSet, bindingsIn, describeRole, DISCOVERY_ROLES, rbacGraph, type SubjectRef, RBAC_READS } from '../server/src/analysis/rbac';
import { removeSeqItems } from '../server/src/fixes';
import { defineRule, type FixSpec, type RuleCases, type SeqView } from '../server/src/rule-api';

/** The broad subjects, with the message saying who they are. */
const BROAD: Record<string, { kind: string; messageId: 'unauthenticated' | 'authenticated' }> = {
  'system:anonymous': { kind: 'User', messageId: 'unauthenticated' },
  'system:unauthenticated': { kind: 'Group', messageId: 'unauthenticated' },
  'system:authenticated': { kind: 'Group', messageId: 'authenticated' },
};
const BIND_NAMED = 'Bind named users, groups or ServiceAccounts instead';

export default defineRule({
  meta: {
    id: 'rbac-binding-to-anonymous',
    title: 'Binding to anonymous, all authenticated users or system:masters',
    principle: 'least-privilege',
    severity: 'error',
    kinds: BINDING_KINDS,
    reads: RBAC_READS,
    messages: {
      unauthenticated: `{{binding}} grants {{role}} to {{subject}}. That is every request without credentials, and the role {{access}}. ${BIND_NAMED}.`,
      authenticated: `{{binding}} grants {{role}} to {{subject}}. That is every authenticated user and every ServiceAccount of the cluster, and the role {{access}}. ${BIND_NAMED}.`,
      masters: '{{binding}} grants {{role}} to group system:masters. Its members bypass RBAC entirely and their certificates cannot be revoked. Bind a named group to a scoped role instead.',
    },
    docs: {
      what: 'A RoleBinding or ClusterRoleBinding names the user `system:anonymous`, the group `system:unauthenticated` or `system:authenticated`, or the group `system:masters`. Bindings of the built-in discovery roles (`system:basic-user`, `system:discovery`, `system:public-info-viewer`), which Kubernetes itself grants to these groups, are not reported.',
      why: 'Anonymous and unauthenticated subjects are anyone who can reach the API server; `system:authenticated` is every user and every ServiceAccount token of the cluster, so one compromised pod anywhere gets the role. `system:masters` members bypass RBAC altogether and a client certificate carrying that group cannot be revoked; nothing should be bound to, or rely on, it.',
      fix: 'Remove the subject and bind named users, groups or ServiceAccounts instead (the quick fix removes it).',
      peers: { trivy: ['KSV-0122', 'KSV-0123', 'KSV-01011'], kubescape: ['C-0262'] },
      links: ['https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles', 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/#avoid-using-the-system-masters-group'],
    },
  },
  check(resource, { report, workspace }) {
    const graph = rbacGraph(workspace);
    for (const binding of bindingsIn(resource, workspace)) {
      const role = graph.roleOf(binding);
      const discovery = role !== undefined && role.objects.length === 0 && DISCOVERY_ROLES.has(role.name);
      for (const subject of binding.subjects) {
        const broad = BROAD[subject.name];
        const masters = subject.kind === 'Group' && subject.name === 'system:masters';
        if (!masters && (broad?.kind !== subject.kind || discovery)) continue;
        const grant = { binding: bindingLabel(binding), role: describeRole(role, binding.roleRef) };
        report({
          node: subject.node,
          ...(masters
            ? { messageId: 'masters', data: grant }
            : { messageId: broad.messageId, data: { ...grant, subject: `${subject.kind.toLowerCase()} ${subject.name}`, access: accessSummary([bindingRuleSet(graph, binding)]) } }),
          fixes: () => removeSubjectFix(binding.object.root.seq('subjects'), subject),
        });
      }
    }
  },
});

function removeSubjectFix(subjects: SeqView | undefined, subject: SubjectRef): FixSpec[] {
  const edits = subjects && removeSeqItems(subjects, [subject.index]);
  return edits ? [{ title: `Remove subject ${subject.name}`, edits }] : [];
}

export const cases: RuleCases = {
  valid: [
    {
      name: 'Kubernetes\' own discovery bindings for all authenticated and unauthenticated callers',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: system:public-info-viewer}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:public-info-viewer}
subjects:
  - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:authenticated}
  - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:unauthenticated}
`,
    },
    {
      name: 'a ServiceAccount that happens to be called like a group, and a named group',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: readers, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - {kind: ServiceAccount, name: system:authenticated}
  - {apiGroup: rbac.authorization.k8s.io, kind: Group, name: shop-devs}
`,
    },
  ],
  invalid: [
    {
      name: 'the built-in view role for every authenticated identity: the fix removes that subject only',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: everyone-views
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  # the dashboard team
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: dashboard
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: system:authenticated
`,
      findings: [
        {
          line: 15, column: 10, endLine: 15, endColumn: 30, message: 'ClusterRoleBinding everyone-views grants ClusterRole view (built-in) to group system:authenticated. That is every authenticated user and every ServiceAccount of the cluster, and the role can get, list, watch', messageId: 'authenticated',
          fixes: [
            {
              title: 'Remove subject system:authenticated',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: everyone-views
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  # the dashboard team
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: dashboard
`,
            },
          ],
        },
      ],
    },
    {
      name: 'anonymous user and system:masters in flow style, with a workspace role that reads secrets',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: open, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
subjects: [{kind: User, name: system:anonymous}, {kind: Group, name: system:masters}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: shop}
rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
`,
      findings: [
        {
          line: 4, column: 30, endLine: 4, endColumn: 46, message: 'RoleBinding open grants Role secret-reader to user system:anonymous. That is every request without credentials, and the role can list secrets.', messageId: 'unauthenticated',
          fixes: [
            {
              title: 'Remove subject system:anonymous',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: open, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
subjects: [{kind: Group, name: system:masters}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: shop}
rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
`,
            },
          ],
        },
        {
          line: 4, column: 69, endLine: 4, endColumn: 83, message: 'RoleBinding open grants Role secret-reader to group system:masters. Its members bypass RBAC entirely', messageId: 'masters',
          fixes: [
            {
              title: 'Remove subject system:masters',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: open, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
subjects: [{kind: User, name: system:anonymous}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: shop}
rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
`,
            },
          ],
        },
      ],
    },
  ],
};
