import {
  appendToSeq, containerTarget, defineRule, describeContainer, removePair, removeSeqItem, setPath, WORKLOAD_KINDS,
  type ContainerView, type FixSpec, type OffsetEdit, type PodSpecView, type RuleCases,
} from '../server/src/rule-api';

const WHY = 'Environment variables are inherited by child processes and readable in /proc/<pid>/environ, crash dumps, debug endpoints and logs, and never change when the Secret is rotated. Mount the Secret as a file instead.';

export default defineRule({
  meta: {
    id: 'secret-in-env-var',
    title: 'Secret consumed as an environment variable',
    principle: 'credential-protection',
    severity: 'info',
    kinds: WORKLOAD_KINDS,
    messages: {
      secretKeyRef: `{{container}} reads key "{{key}}" of Secret "{{secret}}" into env {{env}}. ${WHY}`,
      secretRef: `{{container}} loads every key of Secret "{{secret}}" into its environment. ${WHY}`,
    },
    docs: {
      what: 'A container reads a Secret through `env[].valueFrom.secretKeyRef` or `envFrom[].secretRef` rather than a mounted Secret volume.',
      why: 'A secret in the environment spreads: every child process inherits it, it shows in `/proc/<pid>/environ`, in crash reports and in the output of debug endpoints, and applications tend to log their environment. A Secret mounted as a file can be made readable by the application user only, is not inherited, and is updated in place when the Secret is rotated (CIS Kubernetes Benchmark 5.4.1).',
      fix: 'Mount the Secret as a read-only volume (`secret.items` to project only the keys needed) and have the application read the file. The quick fix does this for a single `secretKeyRef`: it removes the env var and mounts the key at `/etc/secrets/<secret>/<key>`; point the application at that path.',
      peers: { kubeLinter: ['read-secret-from-env-var'], checkov: ['CKV_K8S_35'], kubescape: ['C-0207'] },
      links: ['https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod', 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/'],
    },
  },
  check(resource, { report }) {
    const pod = resource.podSpec;
    if (!pod) return;
    for (const container of pod.containers) {
      const who = describeContainer(container);
      const env = container.map.seq('env');
      env?.maps().forEach((item, index) => {
        const ref = item.map('valueFrom')?.map('secretKeyRef');
        const keyNode = item.map('valueFrom')?.keyNode('secretKeyRef');
        if (!ref || !keyNode) return;
        const name = item.string('name') ?? `env[${index}]`;
        const secret = ref.string('name');
        const key = ref.string('key');
        const optional = ref.bool('optional') === true;
        report({
          node: keyNode,
          target: containerTarget(container),
          messageId: 'secretKeyRef',
          data: { container: who, key: key ?? '?', secret: secret ?? '?', env: name },
          fixes: secret && key
            ? () => {
                const fix = mountAsFile(pod, container, index, name, secret, key, optional);
                return fix ? [{ ...fix, manual: true }] : [];
              }
            : [],
        });
      });
      for (const item of container.map.seq('envFrom')?.maps() ?? []) {
        const keyNode = item.keyNode('secretRef');
        if (!keyNode || !item.map('secretRef')) continue;
        report({
          node: keyNode,
          target: containerTarget(container),
          messageId: 'secretRef',
          data: { container: who, secret: item.map('secretRef')?.string('name') ?? '?' },
        });
      }
    }
  },
});

/**
 * Replaces one `secretKeyRef` env var with the key projected from a read-only Secret
 * volume. Offered only when nothing else needs the variable and the names it would add are
 * free, so the edit cannot break the pod.
 */
function mountAsFile(pod: PodSpecView, container: ContainerView, index: number, envName: string, secret: string, key: string, optional: boolean): FixSpec | undefined {
  if (!/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(secret) || !/^[-._a-zA-Z0-9]+$/.test(key)) return undefined;
  // `$(NAME)` in another env value, the command or args would lose its value.
  const texts = [
    ...(container.map.seq('env')?.maps().map((e) => e.string('value') ?? '') ?? []),
    ...(container.map.seq('command')?.scalars().map((s) => s.value) ?? []),
    ...(container.map.seq('args')?.scalars().map((s) => s.value) ?? []),
  ];
  if (texts.some((text) => text.includes(`$(${envName})`))) return undefined;
  const volumeName = `secret-${secret.replace(/\./g, '-')}`.slice(0, 63).replace(/-+$/, '');
  const mountPath = `/etc/secrets/${secret}`;
  const volumes = pod.spec.seq('volumes');
  const mounts = container.map.seq('volumeMounts');
  if (volumes?.maps().some((v) => v.string('name') === volumeName || v.map('secret')?.string('secretName') === secret)) return undefined;
  if (mounts?.maps().some((m) => m.string('mountPath') === mountPath)) return undefined;

  const env = container.map.seq('env');
  const removal = env?.length === 1 ? removePair(container.map, 'env') : env && removeSeqItem(env, index);
  const mount = `{name: ${volumeName}, mountPath: ${mountPath}, readOnly: true}`;
  const volume = `{name: ${volumeName}, secret: {secretName: ${secret}, items: [{key: ${key}, path: ${key}}]${optional ? ', optional: true' : ''}}}`;
  const edits: OffsetEdit[] = [
    ...(removal ? [removal] : []),
    ...(mounts ? [appendToSeq(mounts, mount)] : setPath(container.map, ['volumeMounts'], `[${mount}]`)),
    ...(volumes ? [appendToSeq(volumes, volume)] : setPath(pod.spec, ['volumes'], `[${volume}]`)),
  ];
  // Without a clean removal, when two edits meet at one place (the env var was the last
  // thing in the container), or when removing a flow-style item would take a comment with
  // it, the result would be ambiguous or lossy: no fix rather than a wrong one.
  if (!removal || overlapping(edits) || dropsComment(container.map.ctx.source, removal)) return undefined;
  return { title: `Mount Secret key "${key}" as a file at ${mountPath}/${key}`, edits };
}

/** A removal that starts mid-line (a flow item) and spans a comment would delete the comment. */
function dropsComment(source: string, removal: OffsetEdit): boolean {
  const startsLine = removal.start === 0 || source[removal.start - 1] === '\n';
  return !startsLine && /(^|\s)#/.test(source.slice(removal.start, removal.end));
}

function overlapping(edits: readonly OffsetEdit[]): boolean {
  return edits.some((a, i) => edits.some((b, j) => i < j && (a.start === b.start || (a.start < b.end && b.start < a.end))));
}

export const cases: RuleCases = {
  valid: [
    {
      name: 'Secrets mounted as files, ConfigMap references and literal settings',
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
            - name: DB_PASSWORD_FILE
              value: /etc/secrets/api-db/password
            - name: LOG_LEVEL
              valueFrom:
                configMapKeyRef: {name: api-settings, key: log-level}
          envFrom:
            - configMapRef: {name: api-settings}
          volumeMounts:
            - {name: db, mountPath: /etc/secrets/api-db, readOnly: true}
      volumes:
        - name: db
          secret: {secretName: api-db}
`,
    },
    {
      name: 'downward API and field references are not Secrets',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: app
      image: nginx:1.27
      env:
        - name: POD_NAME
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
`,
    },
  ],
  invalid: [
    {
      name: 'a single secretKeyRef: the fix mounts the key and removes the variable',
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
            - name: LOG_LEVEL
              value: info
            # from the platform team's vault sync
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: api-db
                  key: password
          ports:
            - containerPort: 8080
      volumes:
        - name: tmp
          emptyDir: {}
`,
      findings: [
        {
          line: 16, column: 16, endLine: 16, endColumn: 28, message: 'Container "app" reads key "password" of Secret "api-db" into env DB_PASSWORD.', messageId: 'secretKeyRef',
          fixes: [
            {
              title: 'Mount Secret key "password" as a file at /etc/secrets/api-db/password',
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
            - name: LOG_LEVEL
              value: info
            # from the platform team's vault sync
          ports:
            - containerPort: 8080
          volumeMounts: [{name: secret-api-db, mountPath: /etc/secrets/api-db, readOnly: true}]
      volumes:
        - name: tmp
          emptyDir: {}
        - {name: secret-api-db, secret: {secretName: api-db, items: [{key: password, path: password}]}}
`,
              manual: true,
            },
          ],
        },
      ],
    },
    {
      name: 'envFrom and an init container in flow style; no fix when the variable is used in args',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: job}
spec:
  initContainers:
    - {name: migrate, image: flyway:10, envFrom: [{secretRef: {name: db}}]}
  containers:
    - name: app
      image: registry.example.com/app:1
      args: ["--token=$(TOKEN)"]
      env:
        - {name: TOKEN, valueFrom: {secretKeyRef: {name: api, key: token}}}
`,
      findings: [
        { line: 5, column: 51, endLine: 5, endColumn: 60, message: 'Init container "migrate" loads every key of Secret "db"', messageId: 'secretRef', fixes: [] },
        { line: 11, column: 36, endLine: 11, endColumn: 48, message: 'Container "app" reads key "token" of Secret "api"', messageId: 'secretKeyRef', fixes: [] },
      ],
    },
  ],
};
