import { detectNamedValue, isPlaceholder } from '../server/src/analysis/credentials';
import { defineRule, type MapView, type RuleCases } from '../server/src/rule-api';

/** What a typed Secret holds, for the message. Service-account tokens are the RBAC rules' concern. */
const TYPE_CONTENT: Record<string, string> = {
  'kubernetes.io/tls': 'a TLS private key',
  'kubernetes.io/ssh-auth': 'an SSH private key',
  'kubernetes.io/basic-auth': 'a password',
  'kubernetes.io/dockerconfigjson': 'registry credentials',
  'kubernetes.io/dockercfg': 'registry credentials',
  'bootstrap.kubernetes.io/token': 'a cluster bootstrap token',
};

const READABLE = 'Anyone who can read the repository can read them: base64 is not encryption';
const FIX = 'Generate the Secret from an external secret manager (External Secrets, Sealed Secrets, Vault, SOPS) instead.';
const MAX_KEYS = 3;
const AND = new Intl.ListFormat('en', { type: 'conjunction' });

export default defineRule({
  meta: {
    id: 'plaintext-secret-manifest',
    title: 'Secret values committed in a manifest',
    principle: 'credential-protection',
    severity: 'error',
    kinds: ['Secret'],
    messages: {
      typed: `Secret "{{secret}}" commits values in {{field}}: {{keys}}. They include {{content}}. ${READABLE}. ${FIX}`,
      credential: `Secret "{{secret}}" commits values in {{field}}: {{keys}}. ${READABLE}. ${FIX}`,
      noCredential: `Secret "{{secret}}" commits values in {{field}}: {{keys}}. ${READABLE}, though none of the values looks like a credential. ${FIX}`,
    },
    notExported: 'what it finds is the Secret\'s value written in a manifest, in the repository; every Secret the API server admits holds its values, so the cluster cannot tell one from the other.',
    docs: {
      what: 'A Secret manifest carries its values in `data` or `stringData` (base64 is an encoding, not encryption). Service-account-token Secrets, SOPS-encrypted files and templated or empty values are left alone. Severity: error when a value looks like a credential (a typed TLS, SSH, basic-auth, registry or bootstrap-token Secret; key material, a token or a password by its shape or its key\'s name), info when none does (a timezone, a public DH parameter). Values are never printed.',
      why: 'Zero trust assumes the repository may be read by an attacker. Values committed in a Secret manifest are in every clone, fork and CI log, and stay in the history after they are rotated. No peer tool flags this: they inspect consumers of Secrets, not the committed Secret itself.',
      fix: 'Keep the values out of the repository: generate the Secret from an external secret manager (External Secrets Operator, Vault agent or CSI driver, a cloud secret manager), commit it encrypted (Sealed Secrets, SOPS), or create it out of band. Rotate any value that was committed.',
      peers: {},
      links: ['https://kubernetes.io/docs/concepts/security/secrets-good-practices/', 'https://external-secrets.io/', 'https://github.com/bitnami-labs/sealed-secrets', 'https://github.com/getsops/sops'],
    },
  },
  check(resource, { report }) {
    const type = resource.root.string('type') ?? 'Opaque';
    // SOPS keeps its metadata at the top level of the encrypted file; the values are ciphertext.
    if (type === 'kubernetes.io/service-account-token' || resource.root.has('sops')) return;
    for (const field of ['data', 'stringData'] as const) {
      const map = resource.root.map(field);
      const values = map ? committedValues(map, field === 'data') : [];
      if (!map || values.length === 0) continue;
      const content = TYPE_CONTENT[type];
      const credential = content !== undefined || values.some(([key, value]) => detectNamedValue(key, value) !== undefined);
      const data = { secret: resource.name, field, keys: listKeys(values.map(([key]) => key)) };
      report({
        node: resource.root.keyNode(field) ?? map.node,
        severity: credential ? undefined : 'info',
        ...(content ? { messageId: 'typed', data: { ...data, content } } : { messageId: credential ? 'credential' : 'noCredential', data }),
      });
    }
  },
});

/** "tls.crt and tls.key", "a, b, c, and 2 more": the keys, never their values. */
function listKeys(keys: readonly string[]): string {
  return AND.format(keys.length <= MAX_KEYS + 1 ? keys : [...keys.slice(0, MAX_KEYS), `${keys.length - MAX_KEYS} more`]);
}

/** Keys with a real value, and the value (decoded for base64 `data`): not empty, not a template or reference. */
function committedValues(map: MapView, base64: boolean): Array<[string, string]> {
  return map
    .entries()
    .filter(([, value]) => value !== null)
    .map(([key, value]): [string, string] => [key, base64 ? decodeBase64(String(value)) : String(value)])
    .filter(([, value]) => !isPlaceholder(value));
}

function decodeBase64(text: string): string {
  try {
    return atob(text.replace(/\s+/g, ''));
  } catch {
    return text;
  }
}

/** Built at load time: no credential-shaped literal in the sources (vsce's secret scan). */
const PASSWORD = ['k9', 'Lm', '2x', 'Qv', '7w'].join('');

export const cases: RuleCases = {
  valid: [
    {
      name: 'a Secret without values, a templated one, a SOPS-encrypted one and a service-account token',
      yaml: `apiVersion: v1
kind: Secret
metadata: {name: argocd-secret}
type: Opaque
---
apiVersion: v1
kind: Secret
metadata: {name: db}
stringData:
  password: "{{ .Values.db.password }}"
  user: ""
---
apiVersion: v1
kind: Secret
metadata: {name: api}
data:
  token: ENC[AES256_GCM,data:c2VjcmV0,iv:aXY=,tag:dGFn,type:str]
sops:
  version: 3.8.1
---
apiVersion: v1
kind: Secret
metadata:
  name: build-robot-token
  annotations: {kubernetes.io/service-account.name: build-robot}
type: kubernetes.io/service-account-token
data:
  token: ZXlKaGJHY2lPaUpTVXpJMU5pSjkuZXhhbXBsZQ==
`,
    },
    {
      name: 'an empty data map and base64 of an empty string',
      yaml: `apiVersion: v1
kind: Secret
metadata: {name: placeholder}
data: {}
stringData:
  note: "<set by the deploy pipeline>"
`,
    },
  ],
  invalid: [
    {
      name: 'an Opaque Secret whose key says password is an error; one holding a timezone is information',
      yaml: `apiVersion: v1
kind: Secret
metadata: {name: db}
stringData:
  DB_PASSWORD: ${PASSWORD}
---
apiVersion: v1
kind: Secret
metadata: {name: locale}
stringData:
  TZ: Europe/Berlin
`,
      findings: [
        { line: 3, column: 0, endLine: 3, endColumn: 10, message: 'Secret "db" commits values in stringData: DB_PASSWORD. Anyone who can read the repository can read them: base64 is not encryption. Generate the Secret from an external secret manager (External Secrets, Sealed Secrets, Vault, SOPS) instead.', messageId: 'credential', severity: 'error', fixes: [] },
        { line: 9, column: 0, endLine: 9, endColumn: 10, message: 'Secret "locale" commits values in stringData: TZ. Anyone who can read the repository can read them: base64 is not encryption, though none of the values looks like a credential. Generate the Secret from an external secret manager (External Secrets, Sealed Secrets, Vault, SOPS) instead.', messageId: 'noCredential', severity: 'info', fixes: [] },
      ],
    },
    {
      name: 'stringData with values and a TLS Secret with data',
      yaml: `apiVersion: v1
kind: Secret
metadata:
  name: grafana-config
  namespace: monitoring
stringData:
  grafana.ini: |
    [date_formats]
    default_timezone = UTC
type: Opaque
---
apiVersion: v1
kind: Secret
metadata: {name: web-tls}
type: kubernetes.io/tls
data:
  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t
  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0t
`,
      findings: [
        { line: 5, column: 0, endLine: 5, endColumn: 10, message: 'Secret "grafana-config" commits values in stringData: grafana.ini. Anyone who can read the repository can read them: base64 is not encryption, though none of the values looks like a credential. Generate the Secret from an external secret manager (External Secrets, Sealed Secrets, Vault, SOPS) instead.', messageId: 'noCredential', severity: 'info', fixes: [] },
        { line: 15, column: 0, endLine: 15, endColumn: 4, message: 'Secret "web-tls" commits values in data: tls.crt and tls.key. They include a TLS private key. Anyone who can read the repository can read them: base64 is not encryption. Generate the Secret from an external secret manager (External Secrets, Sealed Secrets, Vault, SOPS) instead.', messageId: 'typed', severity: 'error', fixes: [] },
      ],
    },
    {
      name: 'flow style, both fields (CRLF)',
      yaml: ['apiVersion: v1', 'kind: Secret', 'metadata: {name: registry}', 'type: kubernetes.io/dockerconfigjson', 'data: {.dockerconfigjson: eyJhdXRocyI6e319}', 'stringData: {extra: value}', ''].join('\r\n'),
      findings: [
        { line: 4, column: 0, endLine: 4, endColumn: 4, message: 'Secret "registry" commits values in data: .dockerconfigjson. They include registry credentials. Anyone who can read the repository can read them: base64 is not encryption. Generate the Secret from an external secret manager (External Secrets, Sealed Secrets, Vault, SOPS) instead.', messageId: 'typed', fixes: [] },
        { line: 5, column: 0, endLine: 5, endColumn: 10, message: 'Secret "registry" commits values in stringData: extra. They include registry credentials. Anyone who can read the repository can read them: base64 is not encryption. Generate the Secret from an external secret manager (External Secrets, Sealed Secrets, Vault, SOPS) instead.', messageId: 'typed', severity: 'error', fixes: [] },
      ],
    },
  ],
};
