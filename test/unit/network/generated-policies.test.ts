// Generated NetworkPolicies: apply the fix, re-lint the whole workspace, check what disappears and what must not appear.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { applyEdits } from '../../../server/src/edits/offset-edit';
import { networkIndex } from '../../../server/src/analysis/network/network-index';
import { defaultDenyNewFiles } from '../../../server/src/fixes/network/policy-fixes';
import { findServiceReferences } from '../../../server/src/analysis/network/service-references';
import type { Workspace } from '../../../server/src/workspace/workspace';
import { lintAll, workspaceOf } from './helpers';

const workload = (name: string, options: { namespace?: string; env?: Record<string, string>; port?: [string, number]; labels?: string } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${options.namespace ?? 'shop'}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: ${options.labels ?? `{app: ${name}, version: v1}`}
    spec:
      containers:
        - name: ${name}
          image: example/${name}:1
${options.port ? `          ports:\n            - {name: ${options.port[0]}, containerPort: ${options.port[1]}}\n` : ''}${
  options.env ? `          env:\n${Object.entries(options.env).map(([k, v]) => `            - {name: ${k}, value: "${v}"}\n`).join('')}` : ''
}`;

const service = (name: string, port: number, targetPort: string | number, extra = '', namespace = 'shop') => `---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${extra}  selector: {app: ${name}}
  ports:
    - {name: main, port: ${port}, targetPort: ${targetPort}}
`;

const SHOP = {
  'file:///shop/web.yaml': workload('web', { env: { API_URL: 'http://api:80/v1', SEARCH: 'search.tools.svc.cluster.local:9200' }, port: ['http', 8080] }) + service('web', 80, 'http'),
  'file:///shop/api.yaml': workload('api', { env: { DB: 'db:5432' }, port: ['http', 8000] }) + service('api', 80, 'http'),
  'file:///shop/db.yaml': workload('db', { port: ['postgres', 5432] }) + service('db', 5432, 'postgres'),
  'file:///tools/search.yaml': workload('search', { namespace: 'tools', port: ['http', 9200] }) + service('search', 9200, 9200, '', 'tools'),
  'file:///tools/batch.yaml': workload('batch', { namespace: 'tools', env: { TARGET: 'api.shop:80' } }),
  'file:///shop/ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: traefik
  tls: [{hosts: [shop.example.com], secretName: web-tls}]
  rules:
    - host: shop.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: main}}}}]}
`,
};

/** Applies the first fix of the finding for `name`, in a copy of the workspace. */
function applyFix(workspace: Workspace, ruleId: string, name: string, fixIndex = 0): { workspace: Workspace; text: string; uri: string } {
  const finding = lintAll(workspace).find((f) => f.ruleId === ruleId && f.resource?.name === name);
  assert.ok(finding, `no ${ruleId} finding for ${name}`);
  const text = applyEdits(workspace.getFile(finding.uri)!.parsed.text, finding.fixes[fixIndex].edits);
  for (const doc of parseAllDocuments(text)) assert.deepEqual(doc.errors.map((e) => e.message), [], 'fixed YAML is invalid');
  const copy = workspace.fork();
  copy.setFile(finding.uri, text);
  return { workspace: copy, text, uri: finding.uri };
}

/**
 * Applies the first fix of the namespace's one finding (namespace-without-default-deny, on the
 * namespace's first workload here: the workspace has no Namespace manifest): its default deny and
 * a least-privilege policy for each of its workloads.
 */
function isolateNamespace(workspace: Workspace, namespace: string): { workspace: Workspace; text: string; uri: string } {
  const finding = lintAll(workspace).find((f) => f.ruleId === 'namespace-without-default-deny' && f.message.startsWith(`Namespace "${namespace}"`));
  assert.ok(finding, `no namespace-without-default-deny finding for ${namespace}`);
  return applyFix(workspace, finding.ruleId, finding.resource!.name);
}

/** The generated policy of Deployment `name` in a fixed text, up to the next document. */
function generated(text: string, name: string): string {
  const start = text.indexOf(`# Least-privilege NetworkPolicy for Deployment/${name},`);
  assert.ok(start >= 0, `no generated policy for ${name}`);
  const end = text.indexOf('\n---', start);
  return text.slice(start, end < 0 ? undefined : end + 1);
}

const NAMESPACE_OF: Record<string, string> = { web: 'shop', api: 'shop', db: 'shop', search: 'tools', batch: 'tools' };

/** A policy for a workload the shop does not run: segmentation has begun in the namespace, so workload-not-isolated reports each workload. */
const SEGMENTATION_BEGUN = (namespace: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: legacy, namespace: ${namespace}}
spec:
  podSelector: {matchLabels: {app: legacy}}
`;

describe('least-privilege policy generation', () => {
  test('namespaces without any policy: one finding each, relating every workload; no workload-not-isolated', () => {
    const findings = lintAll(workspaceOf(SHOP));
    assert.deepEqual(findings.filter((f) => f.ruleId === 'workload-not-isolated'), []);
    const namespaces = findings.filter((f) => f.ruleId === 'namespace-without-default-deny');
    assert.deepEqual(
      namespaces.map((f) => [f.resource?.name, f.related?.map((r) => r.message)]),
      [
        ['api', ['Deployment/api is open for ingress and egress.', 'Deployment/db is open for ingress and egress.', 'Deployment/web is open for ingress and egress.']],
        ['batch', ['Deployment/batch is open for ingress and egress.', 'Deployment/search is open for ingress and egress.']],
      ],
    );
  });

  for (const namespace of ['shop', 'tools']) {
    test(`${namespace}: isolating the namespace removes its finding, isolates each workload and adds no allows-any, DNS or selects-nothing finding`, () => {
      const { workspace } = isolateNamespace(workspaceOf(SHOP), namespace);
      const after = lintAll(workspace);
      assert.deepEqual(after.filter((f) => f.ruleId === 'namespace-without-default-deny' && f.message.startsWith(`Namespace "${namespace}"`)), []);
      assert.deepEqual(after.filter((f) => f.ruleId === 'workload-not-isolated' && NAMESPACE_OF[f.resource!.name] === namespace), []);
      assert.deepEqual(after.filter((f) => ['networkpolicy-allows-any', 'default-deny-blocks-dns', 'networkpolicy-selects-nothing'].includes(f.ruleId)), []);
    });
  }

  for (const name of ['web', 'api', 'db', 'search', 'batch']) {
    test(`${name}: where segmentation has begun, workload-not-isolated's fix removes its finding and adds no allows-any, DNS or selects-nothing finding`, () => {
      const files = { ...SHOP, 'file:///shop/legacy.yaml': SEGMENTATION_BEGUN('shop'), 'file:///tools/legacy.yaml': SEGMENTATION_BEGUN('tools') };
      const { workspace, text } = applyFix(workspaceOf(files), 'workload-not-isolated', name);
      const after = lintAll(workspace);
      assert.deepEqual(after.filter((f) => f.ruleId === 'workload-not-isolated' && f.resource?.name === name), []);
      assert.deepEqual(after.filter((f) => ['networkpolicy-allows-any', 'default-deny-blocks-dns'].includes(f.ruleId)), []);
      assert.deepEqual(after.filter((f) => f.ruleId === 'networkpolicy-selects-nothing').map((f) => f.resource?.name), ['legacy', 'legacy'], 'only the policies for a workload the shop does not run');
      // The same policy as the namespace's fix generates for it.
      assert.equal(generated(text, name), generated(isolateNamespace(workspaceOf(SHOP), NAMESPACE_OF[name]).text, name));
    });
  }

  test('sources: the ingress controller by class, callers in other namespaces, named target ports resolved', () => {
    const shop = isolateNamespace(workspaceOf(SHOP), 'shop').text;
    const text = generated(shop, 'web');
    assert.match(text, /# From the ingress controller: Ingress web \(ingress\.yaml\) routes shop\.example\.com to Service web; namespace traefik assumed for class traefik; set ingressControllerNamespaces/);
    assert.match(text, /kubernetes\.io\/metadata\.name: traefik\n {6}ports:\n {8}- port: 8080\n {10}protocol: TCP/);
    assert.match(text, /# To Service api: named in env API_URL of container "web" \(web\.yaml\)\.\n {4}- to:\n {8}- podSelector:\n {12}matchLabels:\n {14}app: api\n {6}ports:\n {8}- port: 8000/);
    assert.match(text, /# To Service search in namespace tools: named in env SEARCH of container "web" \(web\.yaml\)\.\n {4}- to:\n {8}- podSelector:\n {12}matchLabels:\n {14}app: search\n {10}namespaceSelector:\n {12}matchLabels:\n {14}kubernetes\.io\/metadata\.name: tools/);
    const api = generated(shop, 'api');
    assert.match(api, /# From Deployment\/batch: it names Service api:80 in env TARGET of container "batch" \(batch\.yaml\)\.\n {4}- from:\n {8}- podSelector:\n {12}matchLabels:\n {14}app: batch\n {10}namespaceSelector:\n {12}matchLabels:\n {14}kubernetes\.io\/metadata\.name: tools/);
    assert.match(api, /app: web\n {6}ports:\n {8}- port: 8000\n/, 'the caller of the Service port 80 reaches container port 8000');
  });

  test('the selector uses the workload selector labels, not version labels', () => {
    const text = generated(isolateNamespace(workspaceOf(SHOP), 'shop').text, 'db');
    assert.match(text, /podSelector:\n {4}matchLabels:\n {6}app: db\n {2}policyTypes:/);
    assert.match(text, /# No client of this workload was found|# From Deployment\/api: it names Service db:5432 in env DB/);
  });

  test('no known client: all ingress denied, with a comment saying so', () => {
    const text = generated(isolateNamespace(workspaceOf(SHOP), 'tools').text, 'batch');
    assert.match(text, /# No client of this workload was found in the workspace, so all ingress is denied\.\n {2}ingress: \[\]/);
  });

  test('a LoadBalancer with source ranges becomes ipBlock rules; one without ranges stays reachable from anywhere', () => {
    const files = {
      'file:///admin.yaml': workload('admin', { port: ['http', 8080] }) + service('admin', 443, 'http', '  type: LoadBalancer\n  loadBalancerSourceRanges: [203.0.113.0/24]\n'),
      'file:///open.yaml': workload('open', { port: ['http', 8080] }) + service('open', 443, 'http', '  type: LoadBalancer\n'),
    };
    const { workspace, text } = isolateNamespace(workspaceOf(files), 'shop');
    assert.match(generated(text, 'admin'), /# From clients of the LoadBalancer Service admin \(admin\.yaml\): its loadBalancerSourceRanges\.\n {4}- from:\n {8}- ipBlock:\n {12}cidr: 203\.0\.113\.0\/24\n {6}ports:\n {8}- port: 8080/);
    // The policy keeps the public traffic the Service shows (a rule without `from`), and says why.
    assert.match(generated(text, 'open'), /# From anywhere: Service open \(open\.yaml\) is of type LoadBalancer: clients outside the cluster reach these ports \(narrow them with loadBalancerSourceRanges, or put the Service behind an Ingress\)\.\n {4}- ports:\n {8}- port: 8080\n/);
    assert.doesNotMatch(generated(text, 'open'), /ipBlock:/);
    // That rule admits anyone, and networkpolicy-allows-any says so: the exposure is a decision to make.
    assert.deepEqual(lintAll(workspace).filter((f) => f.ruleId === 'networkpolicy-allows-any').map((f) => f.resource?.name), ['open-least-privilege']);
  });

  test('pods without labels cannot be selected: no policy is generated for them, and the namespace fix that would cut their traffic is offered on request only', () => {
    const bare = 'apiVersion: v1\nkind: Pod\nmetadata: {name: bare, namespace: shop}\nspec:\n  containers: [{name: a, image: busybox}]\n';
    const alone = lintAll(workspaceOf({ 'file:///pod.yaml': bare, 'file:///legacy.yaml': SEGMENTATION_BEGUN('shop') })).find((f) => f.ruleId === 'workload-not-isolated');
    assert.match(alone!.message, /they have no labels/);
    assert.deepEqual(alone!.fixes, []);
    const namespace = lintAll(workspaceOf({ 'file:///a-web.yaml': workload('web'), 'file:///pod.yaml': bare })).find((f) => f.ruleId === 'namespace-without-default-deny');
    assert.equal(namespace!.message.split('.')[0], 'Namespace "shop" has no default-deny NetworkPolicy for ingress and egress');
    const isolate = namespace!.fixes[0];
    assert.equal(isolate.title, 'Isolate namespace shop: a default deny and a least-privilege NetworkPolicy for each workload');
    assert.deepEqual([isolate.manual, isolate.changesBehaviour], [true, { creates: ['NetworkPolicy default-deny', 'NetworkPolicy web-least-privilege'] }]);
    assert.deepEqual(namespace!.fixes.filter((f) => !f.manual && !f.newFiles?.length), [], 'fix-all applies none of them');
  });

  test('two workloads of one name get distinct policy names', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {run: web}}\nspec:\n  containers: [{name: a, image: busybox}]\n';
    const { text } = isolateNamespace(workspaceOf({ 'file:///a.yaml': workload('web'), 'file:///b.yaml': pod }), 'shop');
    assert.deepEqual(parseAllDocuments(text).map((d) => d.getIn(['metadata', 'name'])).slice(1), ['default-deny', 'web-least-privilege', 'web-least-privilege-2']);
  });

  test('service references: whole names only, namespace-qualified forms, outside hosts ignored', () => {
    const workspace = workspaceOf({
      'file:///svc.yaml': `${service('cart', 7070, 7070).slice(4)}${service('cart', 7070, 7070, '', 'other')}`,
      'file:///client.yaml': workload('client', {
        env: { A: 'cartservice:7070', B: 'cart_size', C: 'https://cart.example.com', D: 'cart.other.svc.cluster.local:7070', E: 'CART', F: 'dns:///cart:7070', G: '/usr/local/bin/cart', H: 'http://cart' },
      }),
    });
    const index = networkIndex(workspace);
    const references = findServiceReferences(index.workloads, new Map(index.services.map((s) => [`${s.namespace}/${s.name}`, s])));
    assert.deepEqual(references.map((r) => `${r.service.namespace}/${r.service.name}:${r.port} ${r.where}`), [
      'other/cart:7070 env D of container "client"',
      'shop/cart:7070 env F of container "client"',
      'shop/cart:undefined env H of container "client"',
    ]);
  });
});

describe('default-deny fixes', () => {
  const files = { 'file:///ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n', 'file:///web.yaml': workload('web') };

  test('both default-deny variants remove the finding; only the plain one leaves DNS blocked (the first fix, the namespace\'s isolation, allows DNS in each workload\'s policy)', () => {
    for (const [variant, dnsFindings] of [[0, 0], [1, 1], [2, 0]] as const) {
      const after = lintAll(applyFix(workspaceOf(files), 'namespace-without-default-deny', 'shop', variant).workspace);
      assert.deepEqual(after.filter((f) => f.ruleId === 'namespace-without-default-deny'), []);
      assert.equal(after.filter((f) => f.ruleId === 'default-deny-blocks-dns').length, dnsFindings);
      assert.deepEqual(after.filter((f) => f.ruleId === 'workload-not-isolated' || f.ruleId === 'networkpolicy-allows-any'), []);
    }
  });

  test('the new-file variant writes the same policy, with its namespace, beside the file', () => {
    const workspace = workspaceOf(files);
    const index = networkIndex(workspace);
    const namespace = index.namespaceManifestsOf('shop')[0];
    const variants = defaultDenyNewFiles(index, namespace, 'shop', new Set(['file:///default-deny-shop.yaml']));
    assert.deepEqual(variants.map((v) => [v.title, v.newFiles![0].uri]), [
      ['Add a default-deny NetworkPolicy for namespace shop in a new file', 'file:///default-deny-shop-2.yaml'],
      ['Add a default-deny NetworkPolicy for namespace shop that allows DNS in a new file', 'file:///default-deny-shop-allow-dns.yaml'],
    ]);
    assert.deepEqual(variants.map((v) => v.changesBehaviour), [{ creates: ['NetworkPolicy default-deny'] }, { creates: ['NetworkPolicy default-deny-allow-dns'] }]);
    assert.match(variants[0].newFiles![0].text, /^# Default deny for namespace shop[^\n]*\napiVersion: networking\.k8s\.io\/v1\nkind: NetworkPolicy\nmetadata:\n {2}name: default-deny\n {2}namespace: shop\n/);
    workspace.setFile(variants[1].newFiles![0].uri, variants[1].newFiles![0].text);
    assert.deepEqual(lintAll(workspace).map((f) => f.ruleId), []);
  });
});

describe('DNS fix', () => {
  test('adding DNS to the default deny removes the finding and admits nothing else', () => {
    const files = {
      'file:///web.yaml': workload('web'),
      'file:///deny.yaml': 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}\n',
    };
    const { workspace, text } = applyFix(workspaceOf(files), 'default-deny-blocks-dns', 'deny');
    assert.match(text, /spec: \{podSelector: \{\}, policyTypes: \[Ingress, Egress\], egress: \[\{to: \[\{namespaceSelector: \{matchLabels: \{kubernetes\.io\/metadata\.name: kube-system\}\}/);
    assert.deepEqual(lintAll(workspace).map((f) => f.ruleId), []);
  });
});
