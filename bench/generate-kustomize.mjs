// The Kustomize scenario of the benchmark: 5 bases (a Deployment, its Service, ServiceAccount
// and NetworkPolicy each) and 50 overlays over them (10 per base: a namespace, a name prefix,
// labels, an image tag and a strategic-merge patch of the Deployment). Deterministic.
// Usage: node bench/generate-kustomize.mjs <dir>
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function generateKustomize(dir) {
  rmSync(dir, { recursive: true, force: true });
  const write = (path, text) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const overlays = [];
  for (let b = 0; b < 5; b++) {
    const app = `svc-${b}`;
    write(`bases/${app}/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- deployment.yaml\n- service.yaml\n- serviceaccount.yaml\n- networkpolicy.yaml\n`);
    write(`bases/${app}/deployment.yaml`, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  labels: {app: ${app}}
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${app}}
  template:
    metadata:
      labels: {app: ${app}}
    spec:
      serviceAccountName: ${app}
      containers:
      - name: app
        image: registry.example.com/${app}:1.0.0
        ports:
        - containerPort: 8080
        securityContext:
          allowPrivilegeEscalation: false
          runAsNonRoot: true
          capabilities: {drop: [ALL]}
${b % 2 ? '' : '          privileged: true\n'}        resources:
          limits: {cpu: 500m, memory: 256Mi}
`);
    write(`bases/${app}/service.yaml`, `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\nspec:\n  selector: {app: ${app}}\n  ports:\n  - port: 80\n    targetPort: 8080\n`);
    write(`bases/${app}/serviceaccount.yaml`, `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${app}\n`);
    write(`bases/${app}/networkpolicy.yaml`, `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${app}\nspec:\n  podSelector:\n    matchLabels: {app: ${app}}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector: {}\n`);
    for (let o = 0; o < 10; o++) {
      const name = `${app}-env-${o}`;
      overlays.push(`overlays/${name}`);
      write(`overlays/${name}/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${name}
namePrefix: env${o}-
labels:
- pairs: {env: env-${o}}
resources:
- ../../bases/${app}
images:
- name: registry.example.com/${app}
  newTag: "1.${o}.0"
patches:
- path: replicas.yaml
`);
      write(`overlays/${name}/replicas.yaml`, `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\nspec:\n  replicas: ${1 + (o % 3)}\n${o % 4 === 0 ? '  template:\n    spec:\n      automountServiceAccountToken: false\n' : ''}`);
    }
  }
  return { bases: 5, overlays };
}

if (process.argv[1] && process.argv[1].endsWith('generate-kustomize.mjs')) console.log(generateKustomize(process.argv[2]));
