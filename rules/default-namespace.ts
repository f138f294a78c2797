import { defineRule, isConfigurationFile, setPath, type Resource, type RuleCases, type WorkspaceView } from '../server/src/rule-api';

/** API groups served by the API server itself, where every kind not listed below is namespaced. */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'storage.k8s.io',
  'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io', 'scheduling.k8s.io', 'node.k8s.io', 'admissionregistration.k8s.io',
  'apiextensions.k8s.io', 'apiregistration.k8s.io', 'certificates.k8s.io', 'flowcontrol.apiserver.k8s.io', 'resource.k8s.io',
  'authentication.k8s.io', 'authorization.k8s.io', 'internal.apiserver.k8s.io', 'storagemigration.k8s.io',
]);

const BUILT_IN_CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ComponentStatus', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'APIService', 'StorageClass', 'VolumeAttachment', 'CSIDriver', 'CSINode', 'VolumeAttributesClass', 'PriorityClass', 'RuntimeClass',
  'IngressClass', 'IPAddress', 'ServiceCIDR', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'CertificateSigningRequest', 'ClusterTrustBundle', 'FlowSchema', 'PriorityLevelConfiguration', 'PodSecurityPolicy', 'DeviceClass',
  'ResourceSlice', 'StorageVersion', 'StorageVersionMigration', 'TokenReview', 'SelfSubjectReview', 'SubjectAccessReview',
  'SelfSubjectAccessReview', 'SelfSubjectRulesReview',
]);

/** Widely used extension groups whose CRDs are rarely in the same repository: their cluster-scoped kinds (all others are namespaced). */
const KNOWN_EXTENSION_GROUPS: Record<string, readonly string[]> = {
  'monitoring.coreos.com': [],
  'networking.istio.io': [],
  'security.istio.io': [],
  'telemetry.istio.io': [],
  'gateway.networking.k8s.io': ['GatewayClass'],
  'cert-manager.io': ['ClusterIssuer'],
  'argoproj.io': ['ClusterWorkflowTemplate', 'ClusterAnalysisTemplate'],
  'policy.linkerd.io': [],
  'external-secrets.io': ['ClusterSecretStore', 'ClusterExternalSecret', 'ClusterGenerator'],
  'bitnami.com': [],
  'kyverno.io': ['ClusterPolicy', 'ClusterCleanupPolicy'],
};

export default defineRule({
  meta: {
    id: 'default-namespace',
    title: 'Object in the default namespace',
    principle: 'micro-segmentation',
    severity: 'warning',
    reads: ['identity', 'customResourceDefinitions'],
    messages: {
      explicitDefault:
        '{{resource}} is placed in the default namespace. It shares that namespace with everything deployed without one, so roles, NetworkPolicies, quotas and Pod Security labels cannot be scoped to it: use a dedicated namespace.',
      noNamespace:
        '{{resource}} has no namespace, which this project requires (requireNamespace). It lands wherever the deploy command points, the default namespace unless one is given: set metadata.namespace.',
    },
    docs: {
      what: 'A namespaced object sets `metadata.namespace: default`; with `requireNamespace: true` (`.kube-zero-trust.yaml`, or the `kubeZeroTrust.requireNamespace` setting), also one that sets no namespace. Objects the cluster keeps in `default` itself (ServiceAccount `default`, Service `kubernetes`, ConfigMap `kube-root-ca.crt`) are never reported, and whether an object is reported never depends on the other files audited.',
      why: 'Namespaces are the boundary that RBAC roles, NetworkPolicies, resource quotas and Pod Security labels are scoped to. Everything deployed without thought lands in `default`, where it shares that boundary with unrelated workloads and usually with no policy at all. Zero trust segments workloads so that a compromise stays inside its own namespace (CIS Kubernetes Benchmark 5.7.1, 5.7.4).',
      fix: 'Give each application its own namespace. Leaving `metadata.namespace` out is how manifests for `kubectl apply -n`, Helm and Kustomize are written, so it is not reported unless the team asks for explicit namespaces with `requireNamespace: true`; then set it on every namespaced object (when every other object of the workspace uses one namespace, the quick fix sets it).',
      peers: { kubeLinter: ['use-namespace'], checkov: ['CKV_K8S_21'], trivy: ['KSV-0110'], kubescape: ['C-0061'] },
      links: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/'],
    },
  },
  check(resource, { report, workspace, requireNamespace }) {
    if (!isNamespaced(resource, workspace) || existsByConstruction(resource)) return;
    if (resource.namespace === 'default') {
      report({
        node: resource.metadata?.get('namespace') ?? resource.root.node,
        messageId: 'explicitDefault',
        data: { resource: resource.label },
      });
      return;
    }
    // Without `namespace`, the deploy command chooses (`kubectl apply -n`, Helm, Kustomize): only teams that ask are told.
    if (resource.namespace !== undefined || !requireNamespace) return;
    const metadata = resource.metadata;
    report({
      node: resource.root.keyNode('metadata') ?? resource.root.node,
      messageId: 'noNamespace',
      data: { resource: resource.label },
      // The namespace the rest of the workspace uses, when there is exactly one: only the fix reads other files.
      fixes: () => {
        const others = namespacesInUse(workspace);
        return others.length === 1 && metadata ? [{ title: `Set namespace "${others[0]}"`, edits: setPath(metadata, ['namespace'], others[0]) }] : [];
      },
    });
  },
});

/** Objects the cluster itself keeps in `default` (and, for the ServiceAccount and CA bundle, in every namespace). */
function existsByConstruction(resource: Resource): boolean {
  const builtIn: Record<string, readonly string[]> = {
    ServiceAccount: ['default'],
    Service: ['kubernetes'],
    Endpoints: ['kubernetes'],
    EndpointSlice: ['kubernetes'],
    ConfigMap: ['kube-root-ca.crt'],
  };
  return builtIn[resource.kind]?.includes(resource.name) ?? false;
}

/** True for object kinds known to be namespaced: built-in, defined by a CRD in the workspace, or a well-known extension. */
function isNamespaced(resource: Resource, workspace: WorkspaceView): boolean {
  // `List`, `ConfigMapList`…: a container for items that carry their own namespaces.
  if (resource.kind.endsWith('List')) return false;
  // A kubeconfig (`v1` `Config`) or an audit policy is a file, not an object of the cluster.
  if (isConfigurationFile(resource)) return false;
  const group = resource.apiVersion.includes('/') ? resource.apiVersion.split('/')[0] : '';
  if (BUILT_IN_GROUPS.has(group)) return !BUILT_IN_CLUSTER_SCOPED.has(resource.kind);
  const scope = crdScopes(workspace).get(`${resource.kind}.${group}`);
  if (scope) return scope === 'Namespaced';
  const known = KNOWN_EXTENSION_GROUPS[group];
  // An unknown custom kind may well be cluster-scoped: no finding rather than a false one.
  return known !== undefined && !known.includes(resource.kind);
}

function crdScopes(workspace: WorkspaceView): Map<string, string> {
  return workspace.memo('default-namespace:crd-scopes', () => {
    const scopes = new Map<string, string>();
    for (const crd of workspace.ofKind('CustomResourceDefinition')) {
      const spec = crd.root.map('spec');
      const kind = spec?.map('names')?.string('kind');
      const group = spec?.string('group');
      const scope = spec?.string('scope');
      if (kind && group && scope) scopes.set(`${kind}.${group}`, scope);
    }
    return scopes;
  });
}

/** Namespaces other than `default` that the workspace's objects are placed in, or define. */
function namespacesInUse(workspace: WorkspaceView): string[] {
  return workspace.memo('default-namespace:in-use', () => {
    const names = new Set<string>();
    for (const resource of workspace.resources()) {
      if (resource.namespace && resource.namespace !== 'default') names.add(resource.namespace);
      if (resource.kind === 'Namespace' && resource.name && resource.name !== 'default') names.add(resource.name);
    }
    return [...names].sort();
  });
}

export const cases: RuleCases = {
  valid: [
    {
      name: 'no namespace (kubectl apply -n, Helm, Kustomize) is not reported unless the team asks, whatever the other files use',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {LOG_LEVEL: info}
`,
      workspace: {
        'file:///web.yaml': `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  ports: [{port: 80}]
`,
      },
    },
    {
      name: 'objects the cluster keeps in default itself, even with requireNamespace',
      requireNamespace: true,
      yaml: `apiVersion: v1
kind: Service
metadata: {name: kubernetes, namespace: default}
spec:
  ports: [{name: https, port: 443, targetPort: 6443}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata: {name: kube-root-ca.crt, namespace: default}
`,
    },
    {
      name: 'objects in their own namespace, cluster-scoped kinds and unknown custom kinds',
      yaml: `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules: []
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: no-idea-of-its-scope}
---
apiVersion: v1
kind: ConfigMapList
items:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: dashboards, namespace: shop}}
`,
    },
    {
      name: 'a kubeconfig and an audit policy are files, not objects placed in a namespace',
      yaml: `apiVersion: v1
kind: Config
clusters:
  - name: prod
    cluster: {server: "https://api.prod.example.com"}
current-context: prod
---
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
`,
      workspace: {
        'file:///shop.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
`,
      },
    },
    {
      name: 'a Kustomization sets the namespace of a base',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers: [{name: app, image: nginx:1.27}]
`,
      workspace: {
        'file:///overlays/prod/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop-prod
resources: [../../base]
`,
        'file:///overlays/prod/namespace.yaml': `apiVersion: v1
kind: Namespace
metadata: {name: shop-prod}
`,
      },
    },
    {
      name: 'a custom kind the workspace defines as cluster-scoped',
      yaml: `apiVersion: example.com/v1
kind: Tenant
metadata: {name: acme}
`,
      workspace: {
        'file:///crds.yaml': `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: tenants.example.com}
spec:
  group: example.com
  scope: Cluster
  names: {kind: Tenant, plural: tenants}
  versions: [{name: v1, served: true, storage: true}]
`,
      },
    },
  ],
  invalid: [
    {
      name: 'explicit default namespace',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  template:
    spec:
      containers: [{name: app, image: nginx:1.27}]
`,
      findings: [{ line: 4, column: 13, endLine: 4, endColumn: 20, message: 'Deployment/web is placed in the default namespace. It shares that namespace with everything deployed without one', messageId: 'explicitDefault', fixes: [] }],
    },
    {
      name: 'requireNamespace: omitted while the workspace uses one namespace: the fix sets it',
      requireNamespace: true,
      yaml: `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings   # shared by web and worker
data: {LOG_LEVEL: info}
`,
      workspace: {
        'file:///web.yaml': `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  ports: [{port: 80}]
`,
      },
      findings: [
        {
          line: 2, column: 0, endLine: 2, endColumn: 8, message: 'ConfigMap/settings has no namespace, which this project requires (requireNamespace). It lands wherever the deploy command points, the default namespace unless one is given: set metadata.namespace.', messageId: 'noNamespace',
          fixes: [
            {
              title: 'Set namespace "shop"',
              output: `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings   # shared by web and worker
  namespace: shop
data: {LOG_LEVEL: info}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'requireNamespace: omitted everywhere (online-boutique style), no namespace to suggest',
      requireNamespace: true,
      yaml: `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: frontend}
spec:
  selector: {matchLabels: {app: frontend}}
  endpoints: [{port: http}]
`,
      findings: [{ line: 2, column: 0, endLine: 2, endColumn: 8, message: 'ServiceMonitor/frontend has no namespace, which this project requires', messageId: 'noNamespace', fixes: [] }],
    },
  ],
};
