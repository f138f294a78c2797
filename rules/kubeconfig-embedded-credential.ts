import type { Scalar } from 'yaml';
import { isPlaceholder, MASK } from '../server/src/analysis/credentials';
import { defineRule, isKubeconfig, type MapView, type RuleCases } from '../server/src/rule-api';

/** Fields of a kubeconfig user that hold a credential, and what it is (`client-key-data`, a client key, has its own message). */
const EMBEDDED: ReadonlyArray<[field: string, what: string]> = [
  ['token', 'a bearer token'],
  ['password', 'a password'],
];
/** Fields that name a file holding a credential. */
const FILES: ReadonlyArray<[field: string, what: string]> = [
  ['client-key', 'its client private key'],
  ['tokenFile', 'its bearer token'],
];
/** Tokens and secrets that the legacy `auth-provider` plugins (oidc, gcp, azure) cache in the kubeconfig itself. */
const PROVIDER_SECRETS: ReadonlyArray<[field: string, what: string]> = [
  ['id-token', 'an ID token'],
  ['refresh-token', 'a refresh token'],
  ['access-token', 'an access token'],
  ['client-secret', 'an OAuth client secret'],
];

const SSO = 'Authenticate with an exec credential plugin instead (kubelogin for OIDC, aws eks get-token, gke-gcloud-auth-plugin, kubelogin for Azure): it fetches a short-lived token at run time and keeps no secret in the file';

export default defineRule({
  meta: {
    id: 'kubeconfig-embedded-credential',
    title: 'Kubeconfig embeds a cluster credential',
    principle: 'credential-protection',
    severity: 'error',
    kinds: ['Config'],
    notExported: 'a kubeconfig is a client file, not an object the API server admits.',
    // Credentials are always shown as the mask, never quoted.
    messages: {
      embedded: `Kubeconfig user "{{user}}" embeds {{what}} ({{field}}: ${MASK}). Anyone who can read the repository can call the API server as this user. ${SSO}. Then revoke the credential.`,
      embeddedClientKey: `Kubeconfig user "{{user}}" embeds a client private key (client-key-data: ${MASK}). Anyone who can read the repository can call the API server as this user, and a client certificate cannot be revoked, only expire. ${SSO}. Then revoke the credential.`,
      relativeFile: `Kubeconfig user "{{user}}" reads {{what}} from a relative path ({{field}}). The file lives beside the kubeconfig, in the repository, readable by anyone who can clone it. ${SSO}.`,
      providerSecret: `Kubeconfig user "{{user}}" stores {{what}} of auth provider {{provider}} ({{field}}: ${MASK}). Anyone who can read the repository can use it. ${SSO}.`,
    },
    docs: {
      what: 'A user entry of a kubeconfig (`apiVersion: v1`, `kind: Config`, whatever the file is called) holds a credential: `token`, `password` or `client-key-data`, a secret cached by a legacy `auth-provider` (`id-token`, `refresh-token`, `access-token`, `client-secret`), or `client-key` / `tokenFile` naming a relative path, a file that lives beside the kubeconfig in the repository. Placeholders (`${TOKEN}`, `<token>`) are not reported. The value is never quoted in messages or reports.',
      why: 'A kubeconfig committed with a credential hands the cluster to everyone who can read the repository, its forks, CI logs and backups, for as long as the credential lives: static tokens usually never expire, and a client certificate cannot be revoked at all (Kubernetes has no revocation list; only rotating the CA or removing the user\'s RBAC bindings helps). Zero trust keeps no long-lived secret where it can be copied and authenticates people through single sign-on. No peer tool among kube-linter, Polaris, Checkov, Trivy and Kubescape reads kubeconfig files.',
      fix: 'Replace the user entry\'s credential with an `exec` credential plugin, which fetches a short-lived token when it is needed (kubelogin for OIDC single sign-on, `aws eks get-token`, `gke-gcloud-auth-plugin`, kubelogin for Azure); in CI, use the platform\'s workload identity federation. Keep the kubeconfig free of secrets, or generate it in the pipeline and never commit it. Then revoke or rotate the committed credential: it is in the repository\'s history.',
      peers: {},
      links: ['https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins', 'https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/#AuthInfo'],
    },
  },
  check(resource, { report }) {
    if (!isKubeconfig(resource)) return;
    resource.root.seq('users')?.maps().forEach((entry, index) => {
      const user = entry.map('user');
      if (!user) return;
      const name = entry.string('name') ?? `users[${index}]`;
      for (const [field, what] of EMBEDDED) {
        const node = secretValue(user, field);
        if (node) report({ node, messageId: 'embedded', data: { user: name, what, field } });
      }
      const key = secretValue(user, 'client-key-data');
      if (key) report({ node: key, messageId: 'embeddedClientKey', data: { user: name } });
      for (const [field, what] of FILES) {
        const node = user.scalar(field);
        const path = typeof node?.value === 'string' ? node.value.trim() : '';
        if (!node || !isRelativePath(path)) continue;
        report({ node, messageId: 'relativeFile', data: { user: name, what, field } });
      }
      const provider = user.map('auth-provider');
      const providerName = provider?.string('name') ?? 'auth-provider';
      for (const [field, what] of PROVIDER_SECRETS) {
        const node = provider?.map('config') && secretValue(provider.map('config')!, field);
        if (!node) continue;
        report({ node, messageId: 'providerSecret', data: { user: name, what, provider: providerName, field } });
      }
    });
  },
});

/** The scalar holding a literal credential under `field`, or undefined (absent, empty, a placeholder or a reference). */
function secretValue(map: MapView, field: string): Scalar | undefined {
  const node = map.scalar(field);
  if (!node || node.value === null || node.value === undefined) return undefined;
  const text = String(node.value);
  return isPlaceholder(text) ? undefined : node;
}

/** A path that resolves beside the kubeconfig: not absolute, not in a home directory, not a placeholder. */
function isRelativePath(path: string): boolean {
  if (!path || isPlaceholder(path)) return false;
  return !/^(\/|~|\$|%|[A-Za-z]:[\\/]|\\\\)/.test(path);
}

// Credential-shaped test values are assembled at load time so that secret scanners running on
// this repository do not mistake the test data for leaked credentials.
const TOKEN = ['kzt', 'fake', 'token', '0123456789abcdef'].join('-');
const KEY_DATA = Buffer.from(['-----BEGIN ', 'EC PRIVATE', ' KEY-----\nnot-a-real-key\n-----END ', 'EC PRIVATE', ' KEY-----\n'].join('')).toString('base64');

export const cases: RuleCases = {
  valid: [
    {
      name: 'single sign-on through exec plugins, files outside the repository, placeholders and certificates',
      yaml: `apiVersion: v1
kind: Config
users:
  - name: oidc
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: kubectl
        args: [oidc-login, get-token, --oidc-issuer-url=https://login.example.com, --oidc-client-id=kubernetes]
        interactiveMode: IfAvailable
  - name: eks
    user:
      exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token, --cluster-name, prod]}
  - name: admin
    user:
      client-certificate: /etc/kubernetes/pki/admin.crt
      client-key: /etc/kubernetes/pki/admin.key
      tokenFile: ~/.kube/token
  - name: templated
    user:
      token: \${KUBE_TOKEN}
      password: "<password>"
      client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
  - name: empty
    user: {token: ""}
`,
    },
  ],
  invalid: [
    {
      name: 'a bearer token, basic auth and an embedded client key: never quoted',
      yaml: `apiVersion: v1
kind: Config
users:
  - name: ci
    user:
      token: ${TOKEN}
  - name: legacy
    user: {username: admin, password: "correct horse battery staple"}
  - name: admin
    user:
      client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
      client-key-data: ${KEY_DATA}
`,
      findings: [
        { line: 5, column: 13, endLine: 5, endColumn: 44, message: 'Kubeconfig user "ci" embeds a bearer token (token: ****). Anyone who can read the repository can call the API server as this user. Authenticate with an exec credential plugin', messageId: 'embedded', fixes: [] },
        { line: 7, column: 38, endLine: 7, endColumn: 68, message: 'embeds a password (password: ****)', messageId: 'embedded', fixes: [] },
        { line: 11, column: 23, endLine: 11, endColumn: 123, message: 'embeds a client private key (client-key-data: ****). Anyone who can read the repository can call the API server as this user, and a client certificate cannot be revoked, only expire.', messageId: 'embeddedClientKey', fixes: [] },
      ],
    },
    {
      name: 'key and token files in the repository, and tokens cached by the oidc auth provider',
      yaml: `apiVersion: v1
kind: Config
users:
  - name: deployer
    user:
      client-certificate: certs/deployer.crt
      client-key: certs/deployer.key
      tokenFile: ./secrets/token
  - name: dev
    user:
      auth-provider:
        name: oidc
        config:
          idp-issuer-url: https://login.example.com
          client-id: kubernetes
          client-secret: ${TOKEN}-secret
          refresh-token: ${TOKEN}-refresh
`,
      findings: [
        { line: 6, column: 18, endLine: 6, endColumn: 36, message: 'reads its client private key from a relative path (client-key). The file lives beside the kubeconfig', messageId: 'relativeFile', fixes: [] },
        { line: 7, column: 17, endLine: 7, endColumn: 32, message: 'reads its bearer token from a relative path (tokenFile)', messageId: 'relativeFile', fixes: [] },
        { line: 15, column: 25, endLine: 15, endColumn: 63, message: 'stores an OAuth client secret of auth provider oidc (client-secret: ****)', messageId: 'providerSecret', fixes: [] },
        { line: 16, column: 25, endLine: 16, endColumn: 64, message: 'stores a refresh token of auth provider oidc', messageId: 'providerSecret', fixes: [] },
      ],
    },
  ],
};
