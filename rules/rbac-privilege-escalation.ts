import { permissionHits, CSR_APPROVAL, ESCALATION_VERBS, ESCALATIONS, RBAC_WRITES, ROLE_AND_BINDING_KINDS, TOKEN_CREATION, WEBHOOK_CONFIGURATION, type Permission, type AccessRequest, type RoleRule, RBAC_READS } from '../server/src/analysis/rbac';
import { removeSeqItems } from '../server/src/fixes';
import { defineRule, ROLE_OBJECT_KINDS, roleGrantsCheck, type FixSpec, type RuleCases } from '../server/src/rule-api';

const ESCALATION_VERB_NAMES = new Set(['escalate', 'bind', 'impersonate']);

const ESCALATE_BIND = 'Escalate and bind let it write roles and bindings with permissions it does not hold';
const IMPERSONATE = 'impersonate lets it act as other users, groups or ServiceAccounts';
const REMOVE = 'Remove it unless this subject exists to do that';

type MessageId = 'escalateBind' | 'impersonate' | 'escalateBindImpersonate' | 'rbacWrites' | 'tokenCreation' | 'csrApproval' | 'webhookConfiguration';

const MESSAGE_OF = new Map<Permission, MessageId>([
  [RBAC_WRITES, 'rbacWrites'],
  [TOKEN_CREATION, 'tokenCreation'],
  [CSR_APPROVAL, 'csrApproval'],
  [WEBHOOK_CONFIGURATION, 'webhookConfiguration'],
]);

/** The message of a written rule that grants the permission: escalation verbs say which of them. */
function roleMessage(permission: Permission, granted: readonly AccessRequest[]): MessageId {
  if (permission !== ESCALATION_VERBS) return MESSAGE_OF.get(permission)!;
  if (granted.every((p) => p.verb === 'impersonate')) return 'impersonate';
  return granted.some((p) => p.verb === 'impersonate') ? 'escalateBindImpersonate' : 'escalateBind';
}

export default defineRule({
  meta: {
    id: 'rbac-privilege-escalation',
    title: 'RBAC allows privilege escalation',
    principle: 'least-privilege',
    severity: 'error',
    kinds: ROLE_AND_BINDING_KINDS,
    reads: RBAC_READS,
    messages: {
      escalateBind: `{{where}} can {{requests}}. ${ESCALATE_BIND}. ${REMOVE}.`,
      impersonate: `{{where}} can {{requests}}. I${IMPERSONATE.slice(1)}. ${REMOVE}.`,
      escalateBindImpersonate: `{{where}} can {{requests}}. ${ESCALATE_BIND}; ${IMPERSONATE}. ${REMOVE}.`,
      rbacWrites: `{{where}} can {{requests}}. Writing roles and bindings lets it hand out every permission it holds, and any permission at all together with bind or escalate. ${REMOVE}.`,
      tokenCreation: `{{where}} can {{requests}}. It can mint API tokens for every ServiceAccount in scope and act as any of them. ${REMOVE}.`,
      csrApproval: `{{where}} can {{requests}}. Approving certificate signing requests issues client certificates for any user or group, system:masters included. ${REMOVE}.`,
      webhookConfiguration: `{{where}} can {{requests}}. An admission webhook receives, and can change, every object sent to the API server, Secrets included. ${REMOVE}.`,
      binding: '{{binding}} lets its subjects escalate their privileges. Through {{role}}, {{subjects}} can {{requests}}, and so gain permissions never granted to them. Bind a narrower role unless the subjects exist to do that.',
    },
    admission: {
      subject: 'object',
      kinds: ROLE_OBJECT_KINDS,
      validations: () => [roleGrantsCheck(ESCALATIONS, `can escalate its privileges (escalate, bind or impersonate, write roles or bindings, create ServiceAccount tokens, approve certificates or configure admission webhooks). ${REMOVE}.`)],
    },
    docs: {
      what: 'A Role or ClusterRole rule grants `escalate`, `bind` or `impersonate`; create/update/patch on roles, rolebindings, clusterroles or clusterrolebindings; `create` on `serviceaccounts/token`; approval of certificate signing requests; or writes to mutating/validating webhook configurations. A binding of a built-in role that does (such as `edit`, which can impersonate ServiceAccounts and create their tokens) is reported on the binding.',
      why: 'Each of these lets the subject obtain permissions it was not given: write a binding to a stronger role, become another identity, mint a token for a more privileged ServiceAccount, issue itself a certificate, or intercept every API request with a webhook. One compromised pod with such a grant is a cluster compromise.',
      fix: 'Remove the verb or resource from the rule; give RBAC management, token minting, certificate approval and webhook registration only to the few controllers built for it, limited with `resourceNames` where possible. The quick fix removes `escalate`, `bind` and `impersonate` from a rule.\n\n`bind` limited by `resourceNames` to roles that grant nothing dangerous (no escalation path, exec, workload creation, Secrets reading or everything), the delegation pattern of the RBAC documentation, is not reported, nor is `escalate` limited that way unless the same role can also update or patch those roles (it could then write any permission into them). Naming `cluster-admin`, `admin`, `edit`, another dangerous role or a role the workspace does not define is reported. A grant that only a `*` gives is reported by rbac-wildcard instead (one finding for the rule, naming it).',
      peers: { trivy: ['KSV-0043', 'KSV-0050', 'KSV-0051', 'KSV-0052', 'KSV-0055', 'KSV-0114'], checkov: ['CKV_K8S_155', 'CKV_K8S_156', 'CKV_K8S_157', 'CKV_K8S_158', 'CKV2_K8S_1', 'CKV2_K8S_3'], kubescape: ['C-0065', 'C-0191', 'C-0280', 'C-0281', 'C-0282'] },
      links: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks', 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping'],
    },
  },
  check(resource, { report, workspace }) {
    for (const permission of ESCALATIONS) {
      for (const hit of permissionHits(resource, workspace, permission)) {
        const { roleRule } = hit;
        report({
          node: hit.node,
          messageId: roleRule ? roleMessage(permission, hit.granted) : 'binding',
          data: hit.data,
          fixes: permission === ESCALATION_VERBS && roleRule ? () => removeVerbsFix(roleRule) : [],
        });
      }
    }
  },
});

/** "Remove escalate/bind/impersonate": the verbs as written; the whole rule if nothing else is left. */
function removeVerbsFix({ object, rule }: RoleRule): FixSpec[] {
  const verbs = rule.items('verbs');
  const removed = verbs.filter((v) => ESCALATION_VERB_NAMES.has(v.value));
  if (removed.length === 0) return [];
  const rules = object.root.seq('rules')!;
  const edits =
    removed.length < verbs.length
      ? removeSeqItems(rule.seq('verbs')!, removed.map((v) => v.index))
      : removeSeqItems(rules, [rules.node.items.findIndex((item) => rules.ctx.deref(item) === rule.map.node)]);
  return edits ? [{ title: 'Remove escalate/bind/impersonate', edits }] : [];
}

export const cases: RuleCases = {
  valid: [
    {
      name: 'reading RBAC objects, a Role naming cluster-scoped resources (which a Role cannot grant)',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: rbac-reader}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["roles", "rolebindings", "clusterroles", "clusterrolebindings"]
    verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ns-only, namespace: apps}
rules:
  - apiGroups: ["admissionregistration.k8s.io"]
    resources: ["validatingwebhookconfigurations"]
    verbs: ["create", "update"]
`,
    },
    {
      name: 'creating ServiceAccounts is not creating their tokens; approving needs the approval subresource',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: provisioner}
rules:
  - apiGroups: [""]
    resources: ["serviceaccounts"]
    verbs: ["create", "get"]
  - apiGroups: ["certificates.k8s.io"]
    resources: ["certificatesigningrequests"]
    verbs: ["create", "get", "list", "watch"]
`,
    },
    {
      name: 'bind and escalate limited to roles that grant nothing dangerous: the delegation pattern of the RBAC docs',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: view-delegator}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["bind"]
    resourceNames: ["view"]   # hand out the built-in view role only
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: team-delegator, namespace: shop}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["bind", "escalate"]   # escalate without update or patch on it changes nothing
    resourceNames: ["view"]
`,
    },
    {
      name: 'escalation granted only through a `*` is rbac-wildcard\'s finding',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: broad}
rules:
  - {apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: ["*"]}
  - {apiGroups: ["admissionregistration.k8s.io"], resources: ["*"], verbs: ["create"]}
  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
`,
    },
  ],
  invalid: [
    {
      name: 'escalate and bind among other verbs: the fix removes just those',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: role-manager
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]   # the roles it hands out
    verbs:
      - get
      - escalate
      - bind
      - list
`,
      findings: [
        {
          line: 9, column: 8, endLine: 9, endColumn: 16, message: 'ClusterRole role-manager (rules[0]) can escalate, bind clusterroles. Escalate and bind let it write roles', messageId: 'escalateBind',
          fixes: [
            {
              title: 'Remove escalate/bind/impersonate',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: role-manager
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]   # the roles it hands out
    verbs:
      - get
      - list
`,
            },
          ],
        },
      ],
    },
    {
      name: 'escalate and impersonate in one rule of a Role: one finding saying what each does; the fix removes both',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: shapeshifter, namespace: shop}
rules:
  - apiGroups: ["", "rbac.authorization.k8s.io"]
    resources: ["serviceaccounts", "roles"]
    verbs: ["get", "escalate", "impersonate"]
`,
      findings: [
        {
          line: 6, column: 19, endLine: 6, endColumn: 29, message: 'Role shapeshifter (rules[0]) can escalate roles and impersonate serviceaccounts. Escalate and bind let it write roles and bindings with permissions it does not hold; impersonate lets it act as other users, groups or ServiceAccounts. Remove it unless this subject exists to do that.', messageId: 'escalateBindImpersonate',
          fixes: [
            {
              title: 'Remove escalate/bind/impersonate',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: shapeshifter, namespace: shop}
rules:
  - apiGroups: ["", "rbac.authorization.k8s.io"]
    resources: ["serviceaccounts", "roles"]
    verbs: ["get"]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'impersonate alone in flow style removes the rule; RBAC writes, token minting, CSR approval and webhooks each reported',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: too-powerful}
rules:
  - {apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"]}
  - {apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: ["create"]}
  - {apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"]}
  - {apiGroups: ["certificates.k8s.io"], resources: ["certificatesigningrequests/approval"], verbs: ["update"]}
  - {apiGroups: ["admissionregistration.k8s.io"], resources: ["mutatingwebhookconfigurations"], verbs: ["create", "patch"]}
`,
      findings: [
        {
          line: 4, column: 62, endLine: 4, endColumn: 75, message: 'ClusterRole too-powerful (rules[0]) can impersonate users, groups. Impersonate lets it act as other users', messageId: 'impersonate',
          fixes: [
            {
              title: 'Remove escalate/bind/impersonate',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: too-powerful}
rules:
  - {apiGroups: ["rbac.authorization.k8s.io"], resources: ["rolebindings"], verbs: ["create"]}
  - {apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"]}
  - {apiGroups: ["certificates.k8s.io"], resources: ["certificatesigningrequests/approval"], verbs: ["update"]}
  - {apiGroups: ["admissionregistration.k8s.io"], resources: ["mutatingwebhookconfigurations"], verbs: ["create", "patch"]}
`,
            },
          ],
        },
        { line: 5, column: 59, endLine: 5, endColumn: 73, message: 'can create rolebindings. Writing roles and bindings', messageId: 'rbacWrites', fixes: [] },
        { line: 6, column: 34, endLine: 6, endColumn: 57, message: 'can create serviceaccounts/token. It can mint API tokens', messageId: 'tokenCreation', fixes: [] },
        { line: 7, column: 53, endLine: 7, endColumn: 90, message: 'can update certificatesigningrequests/approval', messageId: 'csrApproval', fixes: [] },
        { line: 8, column: 62, endLine: 8, endColumn: 93, message: 'can create, patch mutatingwebhookconfigurations. An admission webhook receives', messageId: 'webhookConfiguration', fixes: [] },
      ],
    },
    {
      name: 'bind limited to admin, to a role defined nowhere, and escalate on view with update on it: each an escalation',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: delegator}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["get", "bind"]
    resourceNames: ["view", "admin"]
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["bind"]
    resourceNames: ["deployer"]   # defined nowhere
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["escalate", "update"]
    resourceNames: ["view"]
`,
      findings: [
        {
          line: 6, column: 19, endLine: 6, endColumn: 25, message: 'ClusterRole delegator (rules[0]) can bind clusterroles. Escalate and bind let it write roles and bindings with permissions it does not hold.', messageId: 'escalateBind',
          fixes: [
            {
              title: 'Remove escalate/bind/impersonate',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: delegator}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["get"]
    resourceNames: ["view", "admin"]
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["bind"]
    resourceNames: ["deployer"]   # defined nowhere
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["escalate", "update"]
    resourceNames: ["view"]
`,
            },
          ],
        },
        {
          line: 10, column: 12, endLine: 10, endColumn: 18, message: 'ClusterRole delegator (rules[1]) can bind clusterroles. Escalate and bind let it write roles and bindings with permissions it does not hold. Remove it unless this subject exists to do that.', messageId: 'escalateBind',
          fixes: [
            {
              title: 'Remove escalate/bind/impersonate',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: delegator}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["get", "bind"]
    resourceNames: ["view", "admin"]
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["escalate", "update"]
    resourceNames: ["view"]
`,
            },
          ],
        },
        {
          line: 14, column: 12, endLine: 14, endColumn: 22, message: 'ClusterRole delegator (rules[2]) can escalate clusterroles. Escalate and bind let it write roles and bindings with permissions it does not hold. Remove it unless this subject exists to do that.', messageId: 'escalateBind',
          fixes: [
            {
              title: 'Remove escalate/bind/impersonate',
              output: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: delegator}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["get", "bind"]
    resourceNames: ["view", "admin"]
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["bind"]
    resourceNames: ["deployer"]   # defined nowhere
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["update"]
    resourceNames: ["view"]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'a RoleBinding of the built-in edit role: ServiceAccount impersonation and token minting in that namespace',
      yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployer, namespace: shop}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - kind: ServiceAccount
    name: deployer
`,
      findings: [
        { line: 6, column: 8, endLine: 6, endColumn: 12, message: 'RoleBinding deployer lets its subjects escalate their privileges. Through ClusterRole edit (built-in), ServiceAccount shop/deployer can impersonate serviceaccounts, and so gain permissions never granted to them. Bind a narrower role unless the subjects exist to do that.', messageId: 'binding', fixes: [] },
        { line: 6, column: 8, endLine: 6, endColumn: 12, message: 'RoleBinding deployer lets its subjects escalate their privileges. Through ClusterRole edit (built-in), ServiceAccount shop/deployer can create serviceaccounts/token, and so gain permissions never granted to them. Bind a narrower role unless the subjects exist to do that.', messageId: 'binding', fixes: [] },
      ],
    },
  ],
};
