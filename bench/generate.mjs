// Deterministic corpus for the benchmark: realistic multi-service manifests (workloads of
// every kind, Services, ServiceAccounts, NetworkPolicies, RBAC, ConfigMaps, Secrets,
// Ingresses, Namespaces with Pod Security labels, and CRD-sized documents), one file per
// service. Same seed, same bytes. Usage: node bench/generate.mjs <resources> <dir> [seed]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function generateCorpus(resources, dir, seed = 20250601) {
  let state = seed >>> 0;
  const rnd = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const chance = (p) => rnd() < p;

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let count = 0;
  let files = 0;
  let bytes = 0;
  const write = (path, docs) => {
    const text = `${docs.join('---\n')}`;
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
    count += docs.length;
    files++;
    bytes += text.length;
  };

  for (let n = 0; count < resources; n++) {
    const ns = `team-${n}`;
    const level = pick(['restricted', 'restricted', 'baseline', 'privileged', null]);
    write(`${ns}/00-namespace.yaml`, [
      namespace(ns, level),
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: ${ns}\nspec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n  - Egress\n`,
      `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: defaults\n  namespace: ${ns}\nspec:\n  limits:\n  - type: Container\n    default: {cpu: 500m, memory: 256Mi}\n`,
    ].slice(0, Math.max(1, resources - count)));
    let service = 0;
    while (count < resources && service < 25) {
      const name = `${pick(['api', 'web', 'worker', 'cart', 'search', 'auth', 'billing', 'mailer', 'cache', 'queue'])}-${n}-${service}`;
      const docs = serviceDocs(name, ns, { pick, chance, rnd });
      write(`${ns}/${name}.yaml`, docs.slice(0, resources - count));
      service++;
      // One CRD-sized document (a few thousand lines of schema) every ~150 resources.
      if (count < resources && Math.floor(count / 150) > Math.floor((count - docs.length) / 150)) write(`crds/${name}-crd.yaml`, [crd(name, rnd)]);
    }
  }
  return { resources: count, files, bytes };
}

function namespace(name, level) {
  const labels = level ? `\n  labels:\n    pod-security.kubernetes.io/enforce: ${level}\n    pod-security.kubernetes.io/enforce-version: latest` : '';
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}${labels}\n`;
}

function serviceDocs(name, ns, { pick, chance, rnd }) {
  const kind = pick(['Deployment', 'Deployment', 'Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job']);
  const port = pick([8080, 8443, 9000, 3000, 5432, 6379]);
  const hardened = chance(0.6);
  const container = (c, i) => {
    const lines = [
      `- name: ${c}`,
      `  image: registry.example.com/${name}/${c}:${chance(0.15) ? 'latest' : `1.${i}.${Math.floor(rnd() * 20)}`}`,
      `  imagePullPolicy: IfNotPresent`,
      `  args: ["--port=${port}", "--log-level=info"]`,
      `  ports:`,
      `  - containerPort: ${port}`,
      `    name: http`,
      `  env:`,
      `  - name: DATABASE_URL`,
      `    value: postgres://db.${ns}.svc:5432/app`,
      `  - name: API_TOKEN`,
      chance(0.1) ? `    value: ghp_${'a'.repeat(36)}` : `    valueFrom:\n      secretKeyRef: {name: ${name}-secrets, key: token}`,
      `  resources:`,
      `    requests: {cpu: 100m, memory: 128Mi}`,
      ...(chance(0.7) ? [`    limits: {cpu: 500m, memory: 256Mi}`] : []),
      `  readinessProbe:`,
      `    httpGet: {path: /healthz, port: ${port}}`,
      `  volumeMounts:`,
      `  - {name: config, mountPath: /etc/${name}}`,
    ];
    if (hardened) lines.push('  securityContext:', '    runAsNonRoot: true', '    allowPrivilegeEscalation: false', '    readOnlyRootFilesystem: true', '    capabilities:', '      drop: [ALL]', '    seccompProfile:', '      type: RuntimeDefault');
    else if (chance(0.3)) lines.push('  securityContext:', `    privileged: ${chance(0.5)}`, ...(chance(0.5) ? ['    capabilities:', '      add: [NET_ADMIN, SYS_TIME]'] : []));
    return lines.join('\n');
  };
  const containers = ['app', ...(chance(0.3) ? ['sidecar'] : [])].map(container).join('\n');
  const podSpec = [
    `serviceAccountName: ${chance(0.9) ? name : 'default'}`,
    `automountServiceAccountToken: ${chance(0.7) ? 'false' : 'true'}`,
    ...(chance(0.05) ? ['hostNetwork: true'] : []),
    ...(hardened ? ['securityContext:', '  runAsNonRoot: true', '  seccompProfile: {type: RuntimeDefault}'] : []),
    'containers:',
    containers,
    'volumes:',
    `- name: config`,
    `  configMap: {name: ${name}-config}`,
    ...(chance(0.05) ? ['- name: docker', '  hostPath: {path: /var/run/docker.sock}'] : []),
  ];
  const indent = (text, n) => text.split('\n').map((l) => ' '.repeat(n) + l).join('\n');
  const labels = `app.kubernetes.io/name: ${name}\n    app.kubernetes.io/part-of: shop\n    tier: ${pick(['frontend', 'backend', 'data'])}`;
  const meta = `metadata:\n  name: ${name}\n  namespace: ${ns}\n  labels:\n    ${labels}\n`;
  const template = `template:\n  metadata:\n    labels:\n      app.kubernetes.io/name: ${name}\n  spec:\n${indent(podSpec.join('\n'), 4)}\n`;
  let workload;
  if (kind === 'CronJob') workload = `apiVersion: batch/v1\nkind: CronJob\n${meta}spec:\n  schedule: "${Math.floor(rnd() * 60)} 3 * * *"\n  jobTemplate:\n    spec:\n${indent(template.replace('  spec:\n', '  spec:\n    restartPolicy: OnFailure\n'), 6)}\n`;
  else if (kind === 'Job') workload = `apiVersion: batch/v1\nkind: Job\n${meta}spec:\n${indent(template.replace('  spec:\n', '  spec:\n    restartPolicy: Never\n'), 2)}\n`;
  else workload = `apiVersion: apps/v1\nkind: ${kind}\n${meta}spec:\n${kind === 'DaemonSet' ? '' : `  replicas: ${1 + Math.floor(rnd() * 4)}\n`}  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${name}\n${indent(template, 2)}\n`;
  const docs = [
    workload,
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    app.kubernetes.io/name: ${name}\n  ports:\n  - name: http\n    port: 80\n    targetPort: ${port}\n`,
    `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nautomountServiceAccountToken: false\n`,
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}-ingress\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchLabels:\n      app.kubernetes.io/name: ${name}\n  policyTypes: [Ingress, Egress]\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          tier: frontend\n    ports:\n    - {protocol: TCP, port: ${port}}\n  egress:\n  - to:\n    - namespaceSelector: {}\n    ports:\n    - {protocol: UDP, port: 53}\n`,
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nrules:\n- apiGroups: [""]\n  resources: [configmaps${chance(0.2) ? ', secrets' : ''}]\n  verbs: [get, list, watch${chance(0.1) ? ', create' : ''}]\n`,
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ${chance(0.03) ? 'ClusterRole' : 'Role'}\n  name: ${chance(0.03) ? 'cluster-admin' : name}\nsubjects:\n- kind: ServiceAccount\n  name: ${name}\n  namespace: ${ns}\n`,
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-config\n  namespace: ${ns}\ndata:\n  LOG_LEVEL: info\n  FEATURE_FLAGS: "a,b,c"\n  app.yaml: |\n    server:\n      port: ${port}\n      timeout: 30s\n`,
  ];
  if (chance(0.3)) docs.push(`apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${chance(0.5) ? `  tls:\n  - hosts: [${name}.example.com]\n    secretName: ${name}-tls\n` : ''}  rules:\n  - host: ${name}.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service: {name: ${name}, port: {number: 80}}\n`);
  if (chance(0.2)) docs.push(`apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: ${kind}, name: ${name}}\n  minReplicas: 2\n  maxReplicas: 10\n`);
  return docs;
}

function crd(name, rnd) {
  const plural = `${name.replace(/[^a-z0-9]/g, '')}s`;
  const lines = ['apiVersion: apiextensions.k8s.io/v1', 'kind: CustomResourceDefinition', 'metadata:', `  name: ${plural}.example.com`, 'spec:', '  group: example.com', '  names:', `    kind: Kind${plural}`, `    plural: ${plural}`, '  scope: Namespaced', '  versions:', '  - name: v1', '    served: true', '    storage: true', '    schema:', '      openAPIV3Schema:', '        type: object', '        properties:'];
  const fields = 60 + Math.floor(rnd() * 60);
  for (let i = 0; i < fields; i++) {
    lines.push(`          field${i}:`, '            description: |-', `              Field ${i}: what it configures and how the controller reads it.`, '            type: object', '            properties:');
    for (let j = 0; j < 4; j++) lines.push(`              sub${j}:`, `                description: Sub-field ${j}.`, `                type: ${j % 2 ? 'string' : 'integer'}`);
  }
  return `${lines.join('\n')}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [resources, dir, seed] = process.argv.slice(2);
  console.log(generateCorpus(Number(resources), dir, seed ? Number(seed) : undefined));
}
