import { credentialData, detectNamedValue, recognisedAtAdmission } from '../server/src/analysis/credentials';
import { celNamedCredential, celTemplate, defineRule, type RuleCases } from '../server/src/rule-api';
import { isScalar } from 'yaml';

const WHY = 'ConfigMaps are neither encrypted nor access-restricted like Secrets, and this one is committed with the manifest. Move it to a Secret.';

const MESSAGES = {
  name: `{{configMap}} key "{{key}}" holds {{credential}}. ${WHY}`,
  assignment: `{{configMap}} key "{{key}}" sets {{name}} to {{credential}}. ${WHY}`,
  shape: `{{configMap}} key "{{key}}" contains {{credential}}. ${WHY}`,
};

export default defineRule({
  meta: {
    id: 'credential-in-configmap',
    title: 'Credential in a ConfigMap',
    principle: 'credential-protection',
    severity: 'error',
    kinds: ['ConfigMap'],
    messages: MESSAGES,
    admission: {
      subject: 'object',
      variables: [{ name: 'credentialKeys', expression: `has(object.data) ? object.data.filter(k, ${celNamedCredential('k', 'string(object.data[k])')}) : []` }],
      validations: () => [
        {
          expression: 'size(variables.credentialKeys) == 0',
          messageExpression: celTemplate(MESSAGES.name, {
            configMap: '"ConfigMap \\"" + (has(object.metadata.name) ? object.metadata.name : "") + "\\""',
            key: 'variables.credentialKeys[0]',
            credential: '"a literal credential"',
          }),
        },
      ],
      partial:
        'a password in a URL (`scheme://user:password@…`: telling a real password from a percent-encoded placeholder needs decoding) and a credential assigned inside a value, such as a config file\'s `admin_password = …`: the name test would have to run on a part of the text, which standard CEL cannot cut out. The cluster reads a value whole; the editor and the CLI read its first MiB.',
    },
    docs: {
      what: 'A ConfigMap `data` entry holds a literal credential: under a credential key (`password`, `api-key`, `clientSecret`…), shaped like one whatever the key is called (PEM private key, AWS access key id, JWT, `user:password@` URL, GitHub/GitLab/Slack token, an Authorization header value: `Bearer <token>`, `Basic <base64 of user:password>`), or assigned inside a config file it carries (`admin_password = …`).',
      why: 'ConfigMaps are meant for non-confidential data: they are stored unencrypted, shown by `kubectl describe`, readable by every role that may read configuration, and committed with the manifest. A credential in one is exposed to everyone who can read the repository or the namespace\'s configuration.',
      fix: 'Move the credential into a Secret (fed by an external secret manager: External Secrets, Sealed Secrets, Vault, SOPS) and mount or reference it; keep only non-secret settings in the ConfigMap. Many config formats can read a file or an environment variable instead of a literal (Grafana `$__file{…}`, `${ENV}` expansion). Rotate the credential: it is in the history.',
      peers: { polaris: ['sensitiveConfigmapContent'], kubescape: ['C-0012'], trivy: ['KSV-0109', 'KSV-01010'] },
      links: ['https://kubernetes.io/docs/concepts/configuration/configmap/', 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/'],
    },
  },
  check(resource, { report }) {
    for (const [key, , pair] of resource.root.map('data')?.entries() ?? []) {
      const valueNode = resource.root.ctx.deref(pair.value);
      if (!isScalar(valueNode) || valueNode.value === null) continue;
      const value = String(valueNode.value);
      const credential = detectNamedValue(key, value);
      if (!credential) continue;
      // A multi-line file is better pointed at by its key than by its first line.
      const multiline = value.includes('\n');
      report({
        node: multiline ? pair.key : valueNode,
        ...(recognisedAtAdmission(value, key) ? {} : { outsideAdmission: true }),
        messageId: credential.via,
        data: { configMap: resource.name ? `ConfigMap "${resource.name}"` : 'A ConfigMap', key, ...credentialData(credential) },
      });
    }
  },
});

const SLACK_WEBHOOK = ['https://hooks.slack.com/services/', 'T0000TEST/B0000TEST/', 'bm90QVJlYWxXZWJob29rVG9rZW4'].join('');
const BEARER = ['Bea', 'rer ', 'dGVzdC1vcGFxdWUt', 'dG9rZW4tMjAyNg'].join('');
const BASIC = ['Ba', 'sic ', btoa(['deploy', 'pa55-w0rd'].join(':'))].join('');
const DATABASE_URL = ['postgres://app', ':4pp-s3cr3t@', 'db.internal:5432/app'].join('');

export const cases: RuleCases = {
  valid: [
    {
      name: 'settings, references and credential paths are not credentials',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: app-settings}
data:
  LOG_LEVEL: info
  PASSWORD_FILE: /etc/app/secrets/password
  TOKEN_TTL: "15m"
  oidc.config: |
    name: Okta
    issuer: https://example.okta.com
    clientID: argo-cd
    clientSecret: $oidc.okta.clientSecret
  grafana.ini: |
    [security]
    admin_user = admin
    admin_password = $__file{/etc/secrets/admin_password}
    secret_key = \${GF_SECRET_KEY}
  www-authenticate: Basic realm="internal"
  auth-help: Send Bearer authentication, or Basic auth to the realm above
  resource.customizations.health.example.com_Widget: |
    local token = obj.spec.token
    hs.message = "waiting for token"
    return hs
`,
    },
    {
      name: 'a public SSH known-hosts list and a certificate bundle',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: ssh-known-hosts}
data:
  ssh_known_hosts: |
    github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl
  ca.crt: |
    -----BEGIN CERTIFICATE-----
    MIIBszCCAVmgAwIBAgIUQ2VydGlmaWNhdGVGb3JUZXN0aW5nMAoGCCqGSM49BAMCMBAxDjAMBgNVBAMMBXRl
    -----END CERTIFICATE-----
`,
    },
  ],
  invalid: [
    {
      name: 'credential keys, a config file with an inline password and a webhook URL',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  DB_PASSWORD: "s3cr3t!"
  settings.ini: |
    [database]
    host = db.internal
    password = s3cr3t!
  alertmanager.yml: |
    receivers:
      - name: team
        slack_configs:
          - api_url: ${SLACK_WEBHOOK}
`,
      findings: [
        { line: 5, column: 15, endLine: 5, endColumn: 24, message: 'ConfigMap "app-config" key "DB_PASSWORD" holds a literal password.', messageId: 'name', fixes: [] },
        { line: 6, column: 2, endLine: 6, endColumn: 14, message: 'ConfigMap "app-config" key "settings.ini" sets password to a literal password.', messageId: 'assignment', fixes: [] },
        { line: 10, column: 2, endLine: 10, endColumn: 18, message: 'ConfigMap "app-config" key "alertmanager.yml" contains a Slack webhook URL.', messageId: 'shape', fixes: [] },
      ],
    },
    {
      name: 'flow style JSON in the second document (CRLF)',
      yaml: ['apiVersion: v1', 'kind: Namespace', 'metadata: {name: shop}', '---', 'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: payment, namespace: shop}', `data: {"config.json": '{"endpoint":"https://pay.example.com","apiKey":"pk_live_0123456789"}'}`, ''].join('\r\n'),
      findings: [{ line: 7, column: 22, endLine: 7, endColumn: 92, message: 'ConfigMap "payment" key "config.json" sets apiKey to a literal API key.', messageId: 'assignment', fixes: [] }],
    },
    {
      name: 'a password in a URL and one assigned in a properties file: reported here, left to the editor by the admission policy',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: legacy}
data:
  DATABASE_URL: ${DATABASE_URL}
  app.properties: |
    spring.datasource.username=app
    spring.datasource.password=s3cr3t-pr0ps
`,
      findings: [
        { line: 4, column: 16, endLine: 4, endColumn: 62, message: 'ConfigMap "legacy" key "DATABASE_URL" contains a password in a URL.', messageId: 'shape', fixes: [] },
        { line: 5, column: 2, endLine: 5, endColumn: 16, message: 'ConfigMap "legacy" key "app.properties" sets spring.datasource.password to a literal password.', messageId: 'assignment', fixes: [] },
      ],
    },
    {
      name: 'Authorization header values are credentials whatever the key is called',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: relay}
data:
  upstream: "${BEARER}"
  nginx.conf: |
    location / {
      proxy_set_header Authorization "${BASIC}";
    }
`,
      findings: [
        { line: 4, column: 12, endLine: 4, endColumn: 51, message: 'ConfigMap "relay" key "upstream" contains a bearer token.', messageId: 'shape', fixes: [] },
        { line: 5, column: 2, endLine: 5, endColumn: 12, message: 'ConfigMap "relay" key "nginx.conf" contains Basic authentication credentials.', messageId: 'shape', fixes: [] },
      ],
    },
  ],
};
