import { effectiveGrants, grantsData, rbacGraph, serviceAccountIdentity, RBAC_READS } from '../server/src/analysis/rbac';
import { celString, celTemplate, defineRule, type RuleCases } from '../server/src/rule-api';

const TOKEN_TYPE = 'kubernetes.io/service-account-token';
const ACCOUNT_ANNOTATION = 'kubernetes.io/service-account.name';
const CONSEQUENCE = 'The token never expires and is bound to no pod, so whoever reads it keeps the account\'s access until the Secret is deleted. Use short-lived tokens (projected volume, TokenRequest, kubectl create token).';

const MESSAGES = {
  grantedAccount: `Secret {{name}} holds a long-lived token for ServiceAccount {{account}}. The account is bound by {{bindings}}, which {{access}}. ${CONSEQUENCE}`,
  account: `Secret {{name}} holds a long-lived token for ServiceAccount {{account}}. ${CONSEQUENCE}`,
  unnamedAccount: `Secret {{name}} holds a long-lived token for a ServiceAccount (no annotation names it). ${CONSEQUENCE}`,
};
/** CEL: the Secret's annotations, and the account they name. */
const ANNOTATIONS = 'object.metadata.annotations';
const NAMES_ACCOUNT = `has(${ANNOTATIONS}) && ${celString(ACCOUNT_ANNOTATION)} in ${ANNOTATIONS}`;
const SECRET_NAME = '(has(object.metadata.name) ? object.metadata.name : "")';

export default defineRule({
  meta: {
    id: 'legacy-service-account-token-secret',
    title: 'Long-lived ServiceAccount token Secret',
    principle: 'credential-protection',
    severity: 'warning',
    kinds: ['Secret'],
    reads: RBAC_READS,
    messages: MESSAGES,
    admission: {
      // The ServiceAccount's grants only shape the message: the Secret alone decides.
      subject: 'object',
      validations: () => [
        {
          expression: `!(object.kind == "Secret" && has(object.type) && object.type == ${celString(TOKEN_TYPE)})`,
          messageExpression: `${NAMES_ACCOUNT} ? ${celTemplate(MESSAGES.account, { name: SECRET_NAME, account: `${ANNOTATIONS}[${celString(ACCOUNT_ANNOTATION)}]` })} : ${celTemplate(MESSAGES.unnamedAccount, { name: SECRET_NAME })}`,
        },
      ],
    },
    docs: {
      what: `A Secret of type \`${TOKEN_TYPE}\`, which makes the control plane store a non-expiring token for the ServiceAccount named in its \`${ACCOUNT_ANNOTATION}\` annotation.`,
      why: 'Such a token never expires and is bound to no pod: whoever reads the Secret (anyone who can get Secrets in the namespace, a backup, a leaked manifest dump) keeps the account\'s permissions until someone deletes the Secret. Kubernetes stopped creating them automatically in 1.24 and cleans up unused ones.',
      fix: 'Delete the Secret and use short-lived tokens: the projected token the kubelet mounts and rotates, the TokenRequest API, or `kubectl create token` for external clients. No peer tool checks these Secrets (Kubescape C-0282 is about RBAC permission to create ServiceAccount tokens, which rbac-privilege-escalation reports).',
      peers: {},
      links: ['https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token', 'https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#auto-generated-legacy-serviceaccount-token-clean-up'],
    },
  },
  check(secret, { report, workspace }) {
    const type = secret.root.scalar('type');
    if (type?.value !== TOKEN_TYPE) return;
    const account = secret.annotations[ACCOUNT_ANNOTATION];
    const grants = account ? effectiveGrants(rbacGraph(workspace).grantsTo(serviceAccountIdentity(secret.effectiveNamespace(workspace.defaultNamespace), account))) : [];
    if (!account) report({ node: type, messageId: 'unnamedAccount', data: { name: secret.name } });
    else if (grants.length === 0) report({ node: type, messageId: 'account', data: { name: secret.name, account } });
    else report({ node: type, messageId: 'grantedAccount', data: { name: secret.name, account, ...grantsData(grants) } });
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'opaque and TLS secrets',
      yaml: `apiVersion: v1
kind: Secret
metadata: {name: app}
type: Opaque
stringData: {password: example}
---
apiVersion: v1
kind: Secret
metadata: {name: tls}
type: kubernetes.io/tls
data: {tls.crt: "", tls.key: ""}
`,
    },
    {
      name: 'a Secret without a type, and a ConfigMap that mentions the type',
      yaml: `apiVersion: v1
kind: Secret
metadata: {name: plain}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: notes}
data: {type: kubernetes.io/service-account-token}
`,
    },
  ],
  invalid: [
    {
      name: 'a token Secret for an account bound to a role: the chain is in the message',
      yaml: `apiVersion: v1
kind: Secret
metadata:
  name: ci-token
  namespace: build
  annotations:
    kubernetes.io/service-account.name: ci   # used by the external CI server
type: kubernetes.io/service-account-token
`,
      workspace: {
        'file:///rbac.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci, namespace: build}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
subjects: [{kind: ServiceAccount, name: ci}]
`,
      },
      findings: [{ line: 7, column: 6, endLine: 7, endColumn: 41, message: 'Secret ci-token holds a long-lived token for ServiceAccount ci. The account is bound by RoleBinding ci to ClusterRole admin (built-in), which can impersonate serviceaccounts; create, update, patch roles, rolebindings; create serviceaccounts/token and more. The token never expires and is bound to no pod, so whoever reads it keeps the account\'s access until the Secret is deleted. Use short-lived tokens (projected volume, TokenRequest, kubectl create token).', messageId: 'grantedAccount', fixes: [] }],
    },
    {
      name: 'inside a SecretList, flow style, without the annotation',
      yaml: `apiVersion: v1
kind: SecretList
items:
  - {apiVersion: v1, kind: Secret, metadata: {name: old-token}, type: kubernetes.io/service-account-token}
`,
      findings: [{ line: 3, column: 70, endLine: 3, endColumn: 105, message: 'Secret old-token holds a long-lived token for a ServiceAccount (no annotation names it)', messageId: 'unnamedAccount', fixes: [] }],
    },
    {
      name: 'a token Secret for an account nothing grants anything',
      yaml: `apiVersion: v1
kind: Secret
metadata: {name: deploy-token, annotations: {kubernetes.io/service-account.name: deployer}}
type: kubernetes.io/service-account-token
`,
      findings: [{ line: 3, column: 6, endLine: 3, endColumn: 41, message: 'Secret deploy-token holds a long-lived token for ServiceAccount deployer. The token never expires and is bound to no pod, so whoever reads it keeps the account\'s access until the Secret is deleted. Use short-lived tokens (projected volume, TokenRequest, kubectl create token).', messageId: 'account', fixes: [] }],
    },
  ],
};
