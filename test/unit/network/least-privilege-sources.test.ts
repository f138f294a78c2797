// The traffic a generated least-privilege NetworkPolicy keeps: Ingress and Gateway API backends
// (from the ingress controllers' namespaces, configurable), metrics scrapers (ServiceMonitor,
// PodMonitor), clients outside the cluster (externalIPs). Exact rules, with their comments.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDocument } from 'yaml';
import { leastPrivilegePolicy } from '../../../server/src/fixes/network/generate-policy';
import { networkIndex } from '../../../server/src/analysis/network/network-index';
import { renderBlock } from '../../../server/src/edits/yaml-render';
import { workspaceOf } from './helpers';

const API = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: example/api:1
          ports:
            - {name: http, containerPort: 8080}
            - {name: metrics, containerPort: 9090}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop, labels: {app: api}}
spec:
  selector: {app: api}
  ports:
    - {name: http, port: 80, targetPort: http}
    - {name: metrics, port: 9090, targetPort: metrics}
`;

/** The ingress rules of the policy generated for Deployment/api, as data, and the policy's text. */
function ingressOf(files: Record<string, string>, controllers?: string[]): { rules: unknown[]; text: string } {
  const workspace = workspaceOf({ 'file:///api.yaml': API, ...files });
  workspace.setIngressControllerNamespaces(controllers);
  const index = networkIndex(workspace);
  const workload = index.workloads.find((w) => w.resource.name === 'api')!;
  const draft = leastPrivilegePolicy(index, workload, 'api-least-privilege', ['ingress'])!;
  const text = renderBlock(draft, { indent: 2, indentSeq: true, newline: '\n' });
  return { rules: (parseDocument(text).toJS() as { spec: { ingress: unknown[] } }).spec.ingress, text };
}

const HTTP_ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop}
spec:
  parentRefs: [{name: public, namespace: gateways}]
  hostnames: [shop.example.com]
  rules:
    - backendRefs:
        - {name: api, port: 80}
`;

describe('least-privilege policies keep the traffic the workspace shows', () => {
  test('an HTTPRoute backend: from the usual gateway and controller namespaces, on the target port', () => {
    const { rules, text } = ingressOf({ 'file:///route.yaml': HTTP_ROUTE });
    assert.deepEqual(rules, [
      {
        from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ingress-nginx', 'traefik', 'haproxy-controller', 'projectcontour', 'kong', 'istio-system', 'envoy-gateway-system', 'nginx-gateway'] }] } }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
    assert.match(text, /# From the ingress controller: HTTPRoute shop \(route\.yaml\) routes shop\.example\.com to Service api; the usual controller and gateway namespaces assumed; set ingressControllerNamespaces in \.kube-zero-trust\.yaml to name yours\./);
  });

  test('ingressControllerNamespaces of the config file names where controllers run', () => {
    const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {name: http}}}}]}
`;
    assert.deepEqual(ingressOf({ 'file:///ingress.yaml': ingress }).rules, [
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
    const { rules, text } = ingressOf({ 'file:///ingress.yaml': ingress }, ['edge']);
    assert.deepEqual(rules, [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    assert.match(text, /Ingress web \(ingress\.yaml\) routes shop\.example\.com to Service api; controllers in the namespaces of ingressControllerNamespaces/);
  });

  test('a ServiceMonitor and a PodMonitor: from the monitor\'s namespace, on the scraped port only', () => {
    const serviceMonitor = `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: api, namespace: monitoring}
spec:
  namespaceSelector: {matchNames: [shop]}
  selector: {matchLabels: {app: api}}
  endpoints: [{port: metrics}]
`;
    const { rules, text } = ingressOf({ 'file:///monitoring/api.yaml': serviceMonitor });
    assert.deepEqual(rules, [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9090, protocol: 'TCP' }] }]);
    assert.match(text, /# From the metrics scraper: ServiceMonitor api \(api\.yaml\) scrapes Service api; its scraper is assumed in namespace monitoring\./);

    const podMonitor = serviceMonitor.replace('ServiceMonitor', 'PodMonitor').replace('endpoints:', 'podMetricsEndpoints:');
    assert.deepEqual(ingressOf({ 'file:///pm.yaml': podMonitor }).rules, rules);
    // A monitor of another namespace, or selecting other labels, admits nothing.
    assert.deepEqual(ingressOf({ 'file:///pm.yaml': podMonitor.replace('matchNames: [shop]', 'matchNames: [other]') }).rules, []);
    assert.deepEqual(ingressOf({ 'file:///pm.yaml': serviceMonitor.replace('{app: api}', '{app: web}') }).rules, []);
  });

  test('a Service with externalIPs or of type NodePort: from anywhere, on its target ports', () => {
    const external = `apiVersion: v1
kind: Service
metadata: {name: api-external, namespace: shop}
spec:
  type: NodePort
  selector: {app: api}
  ports: [{port: 80, targetPort: http}]
`;
    const { rules, text } = ingressOf({ 'file:///external.yaml': external });
    assert.deepEqual(rules, [{ ports: [{ port: 8080, protocol: 'TCP' }] }]);
    assert.match(text, /# From anywhere: Service api-external \(external\.yaml\) is of type NodePort: clients outside the cluster reach these ports/);
    const withIPs = external.replace('type: NodePort', 'externalIPs: [203.0.113.7]');
    assert.match(ingressOf({ 'file:///external.yaml': withIPs }).text, /Service api-external \(external\.yaml\) sets externalIPs/);
  });
});
