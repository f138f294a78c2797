import { credentialData, detectInText, detectNamedValue, recognisedAtAdmission } from '../server/src/analysis/credentials';
import {
  celCredentialShape, celNamedCredential, celTemplate, containerTarget, defineRule, describeContainer, replaceNode, WORKLOAD_KINDS, type FixSpec, type MapView, type Resource, type RuleCases, type SeqView,
} from '../server/src/rule-api';
import { isScalar, type Scalar } from 'yaml';

const EXPOSURE = 'Anyone who can read the manifest (the repository, CI logs, kubectl get -o yaml) can use it';
const ENV_FIX = `${EXPOSURE}. Move it to a Secret and reference it with valueFrom.secretKeyRef.`;
const ARG_FIX = `${EXPOSURE}. Read it from a Secret instead: an env var with valueFrom.secretKeyRef, referenced as $(VAR).`;

const MESSAGES = {
  envName: `{{container}} sets env {{env}} to {{credential}}. ${ENV_FIX}`,
  envShape: `{{container}} sets env {{env}} to a value with {{credential}}. ${ENV_FIX}`,
  envAssignment: `{{container}} sets env {{env}} to a value that sets {{name}} to {{credential}}. ${ENV_FIX}`,
  argShape: `{{container}} passes {{credential}} in {{field}}. ${ARG_FIX}`,
  argAssignment: `{{container}} sets {{name}} to {{credential}} in {{field}}. ${ARG_FIX}`,
};
const ENV_MESSAGE = { name: 'envName', shape: 'envShape', assignment: 'envAssignment' } as const;

/** The env var `v` (CEL) holds a literal credential the admission check recognises, as the rule reads env vars. */
const ENV_CREDENTIAL = (v: string) => `has(${v}.name) && string(${v}.name) != "" && has(${v}.value) && !has(${v}.valueFrom) && ${celNamedCredential(`string(${v}.name)`, `string(${v}.value)`)}`;

/** The command lines of the container entry `e` (CEL), as `commandLines` lists them. */
const COMMAND_LINES = [['command'], ['args'], ...['livenessProbe', 'readinessProbe', 'startupProbe'].map((probe) => [probe, 'exec', 'command']), ...['postStart', 'preStop'].map((hook) => ['lifecycle', hook, 'exec', 'command'])]
  .map((path) => `(${path.map((_, i) => `has(e.container.${path.slice(0, i + 1).join('.')})`).join(' && ')} ? e.container.${path.join('.')} : [])`)
  .join(' + ');

export default defineRule({
  meta: {
    id: 'hardcoded-credential',
    title: 'Hard-coded credential in a container',
    principle: 'credential-protection',
    severity: 'error',
    kinds: WORKLOAD_KINDS,
    messages: MESSAGES,
    admission: {
      subject: 'pod',
      variables: [
        {
          name: 'credentialEnv',
          expression: `variables.containers.map(e, {"label": e.label, "names": (has(e.container.env) ? e.container.env : []).filter(v, ${ENV_CREDENTIAL('v')}).map(v, string(v.name))}).filter(x, size(x.names) > 0)`,
        },
        { name: 'credentialCommandLines', expression: `variables.containers.filter(e, (${COMMAND_LINES}).exists(s, type(s) == string && ${celCredentialShape('s')})).map(e, e.label)` },
      ],
      validations: () => [
        {
          expression: 'size(variables.credentialEnv) == 0',
          messageExpression: celTemplate(MESSAGES.envName, { container: 'variables.credentialEnv[0].label', env: 'variables.credentialEnv[0].names[0]', credential: '"a literal credential"' }),
        },
        {
          expression: 'size(variables.credentialCommandLines) == 0',
          messageExpression: celTemplate(MESSAGES.argShape, { container: 'variables.credentialCommandLines[0]', credential: '"a literal credential"', field: '"its command line (command, args, or a probe or hook exec command)"' }),
        },
      ],
      partial:
        'a password in a URL (`scheme://user:password@…`: telling a real password from a percent-encoded placeholder needs decoding) and a credential assigned inside a value (`--db-password=…`, `export API_TOKEN=…` in `args`, `password=…` in an env value): the name test would have to run on a part of the text, which standard CEL cannot cut out. The cluster reads a value whole; the editor and the CLI read its first MiB.',
    },
    docs: {
      what: 'A container\'s `env` value, `command`, `args` or probe/hook `exec` command holds a literal credential: a password, token, API key, private key or access key named as such, or a value shaped like one whatever the variable is called (PEM private key, AWS access key id, JWT, `user:password@` in a URL, GitHub/GitLab/Slack token, an Authorization header value: `Bearer <token>`, `Basic <base64 of user:password>`).',
      why: 'Zero trust assumes the repository itself may be read by an attacker. A credential written into a manifest is copied into every clone, fork, CI log and backup, is readable by anyone who can `get` the workload, and cannot be rotated without a commit. Secrets belong in a Secret (ideally fed by an external secret manager), referenced by name.',
      fix: 'Create the Secret out of band (`kubectl create secret generic <workload>-credentials --from-literal=<key>=…`, or through External Secrets, Sealed Secrets, Vault or SOPS) and reference it: `valueFrom.secretKeyRef` for an env var, `$(VAR)` in `args` for an argument. Then rotate the credential: it is in the history. The quick fix "Move to a Secret reference" rewrites the env var and never writes the value anywhere.',
      peers: { kubeLinter: ['env-var-secret'], polaris: ['sensitiveContainerEnvVar'], kubescape: ['C-0012'] },
      links: ['https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables', 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/'],
    },
  },
  check(resource, { report }) {
    for (const container of resource.podSpec?.containers ?? []) {
      const who = describeContainer(container);
      for (const env of container.map.seq('env')?.maps() ?? []) {
        const name = env.string('name');
        const valueNode = env.scalar('value');
        if (!name || !valueNode || env.has('valueFrom')) continue;
        const credential = detectNamedValue(name, String(valueNode.value ?? ''));
        if (!credential) continue;
        const fix = credential.via === 'assignment' ? undefined : moveToSecretRef(resource, env, name, valueNode);
        report({
          node: valueNode,
          target: containerTarget(container),
          ...(recognisedAtAdmission(String(valueNode.value ?? ''), name) ? {} : { outsideAdmission: true }),
          messageId: ENV_MESSAGE[credential.via],
          data: { container: who, env: name, ...credentialData(credential) },
          fixes: fix ? [{ ...fix, manual: true }] : [],
        });
      }
      for (const [where, list] of commandLines(container.map)) {
        list.scalars().forEach(({ value, node }, index) => {
          const [credential] = detectInText(value);
          if (!credential) return;
          report({
            node,
            target: containerTarget(container),
            ...(recognisedAtAdmission(value) ? {} : { outsideAdmission: true }),
            messageId: credential.via === 'assignment' ? 'argAssignment' : 'argShape',
            data: { container: who, field: `${where}[${index}]`, ...credentialData(credential) },
          });
        });
      }
    }
  },
});

/** The command lines a container runs: its own, and those of its probes and lifecycle hooks. */
function commandLines(container: MapView): Array<[string, SeqView]> {
  const lines: Array<[string, SeqView | undefined]> = [
    ['command', container.seq('command')],
    ['args', container.seq('args')],
    ...(['livenessProbe', 'readinessProbe', 'startupProbe'] as const).map((probe): [string, SeqView | undefined] => [`${probe}.exec.command`, container.map(probe)?.map('exec')?.seq('command')]),
    ...(['postStart', 'preStop'] as const).map((hook): [string, SeqView | undefined] => [`lifecycle.${hook}.exec.command`, container.map('lifecycle')?.map(hook)?.map('exec')?.seq('command')]),
  ];
  return lines.filter((line): line is [string, SeqView] => line[1] !== undefined);
}

/**
 * Replaces `value: <literal>` with `valueFrom: {secretKeyRef: …}` in place: two scalar
 * replacements, so comments, key order and flow or block style stay as written. The Secret
 * is named after the workload and the key after the variable; the value is written nowhere.
 */
function moveToSecretRef(resource: Resource, env: MapView, name: string, valueNode: Scalar): FixSpec | undefined {
  const pair = env.node.items.find((item) => isScalar(item.key) && item.key.value === 'value');
  // A value inherited through `<<`, or anchored for reuse elsewhere, cannot be moved alone.
  if (!pair || pair.value !== valueNode || valueNode.anchor || !isScalar(pair.key)) return undefined;
  const source = resource.parsed.source;
  const secret = `${dnsLabel(resource.name) || 'workload'}-credentials`;
  const key = name.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '') || 'value';
  return {
    title: 'Move to a Secret reference',
    edits: [replaceNode(pair.key, source, 'valueFrom'), replaceNode(valueNode, source, `{secretKeyRef: {name: ${secret}, key: ${key}}}`)],
  };
}

function dnsLabel(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 241);
}

// Credential-shaped test values are assembled at load time so that secret scanners
// running on this repository do not mistake the test data for leaked credentials.
const JAVA_DB_PASSWORD = ['Tr0', 'ub4', 'dor-x'].join('');
const GITHUB_TOKEN = ['gh', 'p_', 'R2l0SHViVG9rZW5Gb3JUZXN0aW5nT25seTAx'].join('');
const JWT = ['eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9', 'eyJzdWIiOiJjaS1ib3QiLCJpYXQiOjE3MDAwMDAwMDB9', 'c2lnbmF0dXJlLW5vdC1yZWFsLWp1c3QtdGVzdA'].join('.');
const BEARER = ['Bea', 'rer ', 'dGVzdC1vcGFxdWUt', 'dG9rZW4tMjAyNg'].join('');
const BASIC = ['Ba', 'sic ', btoa(['deploy', 'pa55-w0rd'].join(':'))].join('');
const DATABASE_URL = ['postgres://migrate', ':m1gr4te-pw@', 'db.internal:5432/app'].join('');

export const cases: RuleCases = {
  valid: [
    {
      name: 'references, placeholders and names that only point at a credential',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/api:1.4.2
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: api-db, key: password}
            - name: PASSWORD_FILE
              value: /var/run/secrets/db/password
            - name: TOKEN_TTL
              value: "3600"
            - name: SECRET_NAME
              value: api-db
            - name: API_TOKEN
              value: $(TOKEN_FROM_SECRET)
            - name: SMTP_PASSWORD
              value: "\${SMTP_PASSWORD}"
            - name: ADMIN_PASSWORD
              value: "<changeme>"
            - name: REDIS_PASSWORD
              value: ""
            - name: AWS_ACCESS_KEY_ID
              value: AKIAIOSFODNN7EXAMPLE
            - name: GOOGLE_APPLICATION_CREDENTIALS
              value: /var/secrets/google/key.json
            - name: REQUIRE_TOKEN
              value: "true"
            - name: MAX_TOKENS
              value: "4096"
            - name: AUTH_SCHEME
              value: Bearer
            - name: AUTH_HELP
              value: "Send Bearer authentication, or Basic auth with the realm below"
            - name: WWW_AUTHENTICATE
              value: Basic realm="internal"
          args: ["--token-file=/var/run/secrets/token", "--password=$(DB_PASSWORD)", "--web.listen-address=:9090"]
`,
    },
    {
      name: 'a public certificate and a public PGP key are not private keys',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      env:
        - name: CA_BUNDLE
          value: |
            -----BEGIN CERTIFICATE-----
            MIIBszCCAVmgAwIBAgIUQ2VydGlmaWNhdGVGb3JUZXN0aW5nMAoGCCqGSM49BAMCMBAxDjAMBgNVBAMMBXRl
            -----END CERTIFICATE-----
        - name: SIGNING_PUBKEY
          value: "-----BEGIN PGP PUBLIC KEY BLOCK-----"
`,
    },
  ],
  invalid: [
    {
      name: 'a password assigned inside an env value under another name: no fix (the rest of the value is not a credential)',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: api}
spec:
  containers:
    - name: app
      image: api:1.4.2
      env:
        - {name: JAVA_OPTS, value: "-Xmx512m -Ddb.password=${JAVA_DB_PASSWORD}"}
`,
      findings: [
        { line: 8, column: 35, endLine: 8, endColumn: 71, message: 'Container "app" sets env JAVA_OPTS to a value that sets db.password to a literal password.', messageId: 'envAssignment', fixes: [] },
      ],
    },
    {
      name: 'password by name: the fix moves it to a Secret reference and keeps comments',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/api:1.4.2
          env:
            # database login
            - name: DB_PASSWORD
              value: "hunter2"   # rotate quarterly
            - name: LOG_LEVEL
              value: info
`,
      findings: [
        {
          line: 13, column: 21, endLine: 13, endColumn: 30, message: 'Container "app" sets env DB_PASSWORD to a literal password.', messageId: 'envName',
          fixes: [
            {
              title: 'Move to a Secret reference',
              output: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: app
          image: registry.example.com/api:1.4.2
          env:
            # database login
            - name: DB_PASSWORD
              valueFrom: {secretKeyRef: {name: api-credentials, key: db-password}}   # rotate quarterly
            - name: LOG_LEVEL
              value: info
`,
              manual: true,
            },
          ],
        },
      ],
    },
    {
      name: 'value shapes whatever the name, in an init container, flow style and a CronJob',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: other}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: sync}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - {name: clone, image: alpine/git, env: [{name: GH, value: ${GITHUB_TOKEN}}]}
          containers:
            - name: sync
              image: registry.example.com/sync:2
              env:
                - name: UPSTREAM
                  value: https://sync:pa55word@upstream.example.com/api
                - name: AUTH
                  value: Bearer ${JWT}
`,
      findings: [
        {
          line: 14, column: 71, endLine: 14, endColumn: 111, message: 'Init container "clone" sets env GH to a value with a GitHub token.', messageId: 'envShape',
          fixes: [
            {
              title: 'Move to a Secret reference',
              output: `apiVersion: v1
kind: ConfigMap
metadata: {name: other}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: sync}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - {name: clone, image: alpine/git, env: [{name: GH, valueFrom: {secretKeyRef: {name: sync-credentials, key: gh}}}]}
          containers:
            - name: sync
              image: registry.example.com/sync:2
              env:
                - name: UPSTREAM
                  value: https://sync:pa55word@upstream.example.com/api
                - name: AUTH
                  value: Bearer ${JWT}
`,
              manual: true,
            },
          ],
        },
        {
          line: 20, column: 25, endLine: 20, endColumn: 71, message: 'a password in a URL', messageId: 'envShape',
          fixes: [
            {
              title: 'Move to a Secret reference',
              output: `apiVersion: v1
kind: ConfigMap
metadata: {name: other}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: sync}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - {name: clone, image: alpine/git, env: [{name: GH, value: ${GITHUB_TOKEN}}]}
          containers:
            - name: sync
              image: registry.example.com/sync:2
              env:
                - name: UPSTREAM
                  valueFrom: {secretKeyRef: {name: sync-credentials, key: upstream}}
                - name: AUTH
                  value: Bearer ${JWT}
`,
              manual: true,
            },
          ],
        },
        {
          line: 22, column: 25, endLine: 22, endColumn: 152, message: 'a JSON Web Token', messageId: 'envShape',
          fixes: [
            {
              title: 'Move to a Secret reference',
              output: `apiVersion: v1
kind: ConfigMap
metadata: {name: other}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: sync}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - {name: clone, image: alpine/git, env: [{name: GH, value: ${GITHUB_TOKEN}}]}
          containers:
            - name: sync
              image: registry.example.com/sync:2
              env:
                - name: UPSTREAM
                  value: https://sync:pa55word@upstream.example.com/api
                - name: AUTH
                  valueFrom: {secretKeyRef: {name: sync-credentials, key: auth}}
`,
              manual: true,
            },
          ],
        },
      ],
    },
    {
      name: 'a private key in a block scalar, a cloud key by name, and credentials in args (CRLF)',
      yaml: [
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: worker}',
        'spec:',
        '  containers:',
        '    - name: worker',
        '      image: registry.example.com/worker:3',
        '      env:',
        '        - name: AWS_SECRET_ACCESS_KEY',
        '          value: wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEYz',
        '        - name: TLS_KEY',
        '          value: |',
        `            -----BEGIN ${'EC PRIVATE'} KEY-----`,
        `            ${'MHcCAQEEIBkUZXN0aW5nT25seU5vdEFSZWFsS2V5'.repeat(2)}`,
        `            -----END ${'EC PRIVATE'} KEY-----`,
        '      args:',
        '        - --db-password=s3cr3t-Value',
        '        - sh -c "export API_TOKEN=abc123def456 && run"',
        '      livenessProbe:',
        '        exec: {command: [sh, -c, "curl -fsS https://probe:pr0be-pass@localhost:8443/healthz"]}',
        '',
      ].join('\r\n'),
      findings: [
        {
          line: 9, column: 17, endLine: 9, endColumn: 59, message: 'Container "worker" sets env AWS_SECRET_ACCESS_KEY to a literal secret access key.', messageId: 'envName',
          fixes: [
            {
              title: 'Move to a Secret reference',
              output: [
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: worker}',
        'spec:',
        '  containers:',
        '    - name: worker',
        '      image: registry.example.com/worker:3',
        '      env:',
        '        - name: AWS_SECRET_ACCESS_KEY',
        '          valueFrom: {secretKeyRef: {name: worker-credentials, key: aws-secret-access-key}}',
        '        - name: TLS_KEY',
        '          value: |',
        `            -----BEGIN ${'EC PRIVATE'} KEY-----`,
        `            ${'MHcCAQEEIBkUZXN0aW5nT25seU5vdEFSZWFsS2V5'.repeat(2)}`,
        `            -----END ${'EC PRIVATE'} KEY-----`,
        '      args:',
        '        - --db-password=s3cr3t-Value',
        '        - sh -c "export API_TOKEN=abc123def456 && run"',
        '      livenessProbe:',
        '        exec: {command: [sh, -c, "curl -fsS https://probe:pr0be-pass@localhost:8443/healthz"]}',
        '',
      ].join('\r\n'),
              manual: true,
            },
          ],
        },
        {
          line: 11, column: 17, endLine: 11, endColumn: 18, message: 'Container "worker" sets env TLS_KEY to a value with a PEM private key.', messageId: 'envShape',
          fixes: [
            {
              title: 'Move to a Secret reference',
              output: 'apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: worker}\r\nspec:\r\n  containers:\r\n    - name: worker\r\n      image: registry.example.com/worker:3\r\n      env:\r\n        - name: AWS_SECRET_ACCESS_KEY\r\n          value: wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEYz\r\n        - name: TLS_KEY\r\n          valueFrom: {secretKeyRef: {name: worker-credentials, key: tls-key}}\r\n      args:\r\n        - --db-password=s3cr3t-Value\r\n        - sh -c "export API_TOKEN=abc123def456 && run"\r\n      livenessProbe:\r\n        exec: {command: [sh, -c, "curl -fsS https://probe:pr0be-pass@localhost:8443/healthz"]}\r\n',
              manual: true,
            },
          ],
        },
        { line: 16, column: 10, endLine: 16, endColumn: 36, message: 'Container "worker" sets db-password to a literal password in args[0].', messageId: 'argAssignment', fixes: [] },
        { line: 17, column: 10, endLine: 17, endColumn: 54, message: 'Container "worker" sets API_TOKEN to a literal token in args[1].', messageId: 'argAssignment', fixes: [] },
        { line: 19, column: 33, endLine: 19, endColumn: 92, message: 'Container "worker" passes a password in a URL in livenessProbe.exec.command[2].', messageId: 'argShape', fixes: [] },
      ],
    },
    {
      name: 'a password in a URL and one assigned in an argument: reported here, left to the editor by the admission policy',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: migrate}
spec:
  containers:
    - name: migrate
      image: registry.example.com/migrate:5
      env:
        - name: DATABASE_URL
          value: ${DATABASE_URL}
      args: ["--admin-password=0p3n-s3same"]
`,
      findings: [
        {
          line: 9, column: 17, endLine: 9, endColumn: 67, message: 'Container "migrate" sets env DATABASE_URL to a value with a password in a URL.', messageId: 'envShape',
          fixes: [{ title: 'Move to a Secret reference', output: `apiVersion: v1
kind: Pod
metadata: {name: migrate}
spec:
  containers:
    - name: migrate
      image: registry.example.com/migrate:5
      env:
        - name: DATABASE_URL
          valueFrom: {secretKeyRef: {name: migrate-credentials, key: database-url}}
      args: ["--admin-password=0p3n-s3same"]
`, manual: true }],
        },
        { line: 10, column: 13, endLine: 10, endColumn: 43, message: 'Container "migrate" sets admin-password to a literal password in args[0].', messageId: 'argAssignment', fixes: [] },
      ],
    },
    {
      name: 'Authorization header values are credentials whatever the variable is called',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: relay}
spec:
  template:
    spec:
      containers:
        - name: relay
          image: registry.example.com/relay:1.2
          env:
            - name: UPSTREAM_HEADER
              value: "Authorization: ${BEARER}"
            - name: PROXY_AUTHORIZATION
              value: ${BASIC}
          args: ["--header=Authorization: ${BEARER}"]
`,
      findings: [
        {
          line: 11, column: 21, endLine: 11, endColumn: 75, message: 'Container "relay" sets env UPSTREAM_HEADER to a value with a bearer token.', messageId: 'envShape',
          fixes: [{ title: 'Move to a Secret reference', output: `apiVersion: apps/v1
kind: Deployment
metadata: {name: relay}
spec:
  template:
    spec:
      containers:
        - name: relay
          image: registry.example.com/relay:1.2
          env:
            - name: UPSTREAM_HEADER
              valueFrom: {secretKeyRef: {name: relay-credentials, key: upstream-header}}
            - name: PROXY_AUTHORIZATION
              value: ${BASIC}
          args: ["--header=Authorization: ${BEARER}"]
`, manual: true }],
        },
        {
          line: 13, column: 21, endLine: 13, endColumn: 51, message: 'Container "relay" sets env PROXY_AUTHORIZATION to a value with Basic authentication credentials.', messageId: 'envShape',
          fixes: [{ title: 'Move to a Secret reference', output: `apiVersion: apps/v1
kind: Deployment
metadata: {name: relay}
spec:
  template:
    spec:
      containers:
        - name: relay
          image: registry.example.com/relay:1.2
          env:
            - name: UPSTREAM_HEADER
              value: "Authorization: ${BEARER}"
            - name: PROXY_AUTHORIZATION
              valueFrom: {secretKeyRef: {name: relay-credentials, key: proxy-authorization}}
          args: ["--header=Authorization: ${BEARER}"]
`, manual: true }],
        },
        { line: 14, column: 17, endLine: 14, endColumn: 80, message: 'Container "relay" passes a bearer token in args[0].', messageId: 'argShape', fixes: [] },
      ],
    },
  ],
};
