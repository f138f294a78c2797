import { LINKERD_UNAUTHENTICATED, meshDefaultInboundPolicy, MESH_READS, shippedByLinkerdExtension, unauthenticatedComponent, unauthenticatedNetworks, type UnauthenticatedComponent } from '../server/src/analysis/mesh';
import { defineRule, replaceNode, WORKLOAD_KINDS, type MapView, type Resource, type RuleCases, type RuleContext, type WorkspaceView } from '../server/src/rule-api';
import type { Scalar } from 'yaml';

const LINKERD_POLICY_ANNOTATION = 'config.linkerd.io/default-inbound-policy';

type Report = RuleContext['report'];

/** Istio's default root namespace (`meshConfig.rootNamespace`): a selector-less policy there applies to the whole mesh. */
const MESH_ROOT_NAMESPACE = 'istio-system';

const STRICT = 'Set the mode to STRICT.';
const PLAINTEXT = 'PERMISSIVE takes mTLS and plaintext alike: any client that reaches the pods bypasses workload identity.';
const UNENCRYPTED = 'Traffic is unencrypted and unauthenticated.';
const MESH_WIDE = `Without a selector, a PeerAuthentication in ${MESH_ROOT_NAMESPACE} (Istio's default root namespace) applies to every workload of the mesh that has no policy of its own.`;
const WHY_IDENTITY = 'clients without a mesh identity connect over plaintext and bypass identity-based authorization.';
const USE_AUTHENTICATED = 'Use all-authenticated or cluster-authenticated, or deny with explicit authorization policies.';
const EXTENSION = "Linkerd's {{extension}} extension ships it for callers outside the mesh (the API server's webhook calls, kubelet probes)";
const MESH_DEFAULT =
  "every meshed pod without a Server or a default-inbound-policy annotation of its own accepts clients without a mesh identity, over plaintext. Set proxy.defaultInboundPolicy to all-authenticated or cluster-authenticated; Linkerd's identity, destination and proxy-injector keep all-unauthenticated through their own annotations, as they must.";
const CONTROL_PLANE = '{{workload}} must admit unauthenticated clients. Linkerd sets its default-inbound-policy to all-unauthenticated:';
const KEEP_IT = 'Keep it; limit who can reach the pods with a NetworkPolicy instead.';

/** The message that says why each Linkerd component must admit unauthenticated callers. */
const CONTROL_PLANE_MESSAGE: Readonly<Record<UnauthenticatedComponent, string>> = {
  identity: 'identityComponent',
  destination: 'destinationComponent',
  'proxy-injector': 'proxyInjectorComponent',
};

export default defineRule({
  meta: {
    id: 'mtls-not-strict',
    title: 'Service-mesh mTLS not enforced',
    principle: 'encryption-in-transit',
    severity: 'warning',
    kinds: ['PeerAuthentication', 'DestinationRule', 'Server', 'ServerAuthorization', 'AuthorizationPolicy', 'ConfigMap', 'HelmRelease', 'Application', 'Namespace', ...WORKLOAD_KINDS],
    reads: MESH_READS,
    notExported: 'part of it needs other objects (an AuthorizationPolicy is judged by the NetworkAuthentications it requires) and part reads YAML held in a string (the `values` the `linkerd-config` ConfigMap records), which standard CEL cannot parse. The rest (Istio\'s PeerAuthentication and DestinationRule modes, Linkerd\'s Server, ServerAuthorization and default-inbound-policy settings) is decided by the object alone, but the rule reports Linkerd\'s own components for information where the same setting elsewhere is a warning, and one policy has one action: a partial check that tells them apart is not written yet.',
    // {{scope}}: where a PeerAuthentication applies (its workloads, a namespace, the mesh), after the port when it is port-level.
    messages: {
      peerPermissive: `PeerAuthentication "{{name}}" accepts plaintext {{scope}}. ${PLAINTEXT} ${STRICT}`,
      peerPermissiveMeshWide: `PeerAuthentication "{{name}}" accepts plaintext {{scope}}. ${MESH_WIDE} ${PLAINTEXT} ${STRICT}`,
      peerDisabled: `PeerAuthentication "{{name}}" disables mTLS {{scope}}. ${UNENCRYPTED} ${STRICT}`,
      peerDisabledMeshWide: `PeerAuthentication "{{name}}" disables mTLS {{scope}}. ${MESH_WIDE} ${UNENCRYPTED} ${STRICT}`,
      destinationTlsDisabled: 'DestinationRule "{{name}}" disables TLS to {{destination}}. The traffic crosses the network in plaintext with no workload identity. Use ISTIO_MUTUAL inside the mesh, SIMPLE or MUTUAL towards external TLS services.',
      unauthenticatedClients: 'ServerAuthorization "{{name}}" admits unauthenticated clients {{from}}. With client.unauthenticated, clients need no mesh identity: they connect over plaintext and bypass identity-based authorization. Name the clients in client.meshTLS (serviceAccounts or identities) instead.',
      unauthenticatedClientsOfExtension: `ServerAuthorization "{{name}}" admits unauthenticated clients {{from}}. ${EXTENSION}: keep it, and narrow client.networks to their addresses if you know them.`,
      everyNetwork: 'AuthorizationPolicy "{{name}}" admits unauthenticated clients from any address. It requires only {{networks}}, which covers every address: no mesh identity is needed. Require a MeshTLSAuthentication too, or narrow the networks.',
      everyNetworkOfExtension: `AuthorizationPolicy "{{name}}" admits unauthenticated clients from any address. It requires only {{networks}}: ${EXTENSION}; keep it, and narrow the networks to their addresses if you know them.`,
      meshDefault: `Mesh-wide default {{value}} admits {{admits}}. It is Linkerd's default inbound policy: ${MESH_DEFAULT}`,
      chartDefault: `{{where}} leaves Linkerd's default inbound policy at {{value}}. It applies mesh-wide: ${MESH_DEFAULT}`,
      identityComponent: `${CONTROL_PLANE} proxies ask linkerd-identity for their first certificate before they have a mesh identity. ${KEEP_IT}`,
      destinationComponent: `${CONTROL_PLANE} the Kubernetes API server calls the validating webhooks of linkerd-destination from outside the mesh. ${KEEP_IT}`,
      proxyInjectorComponent: `${CONTROL_PLANE} the Kubernetes API server calls the mutating webhook of linkerd-proxy-injector from outside the mesh. ${KEEP_IT}`,
      defaultPolicy: `{{who}} admits {{admits}}. Its {{setting}} is {{value}}: ${WHY_IDENTITY} ${USE_AUTHENTICATED}`,
    },
    docs: {
      what: 'Istio: a `PeerAuthentication` sets mTLS mode `PERMISSIVE` or `DISABLE` (for its workloads, a namespace, the whole mesh, or a port), a `DestinationRule` sets `tls.mode: DISABLE`. Linkerd: a policy admits clients without a mesh identity (a `Server` `accessPolicy` or `default-inbound-policy` of `all-unauthenticated`, `cluster-unauthenticated` or `audit`, a `ServerAuthorization` with `client.unauthenticated: true`, an `AuthorizationPolicy` that requires only NetworkAuthentications of `0.0.0.0/0` or `::/0`, or such a mesh-wide default).',
      why: 'Zero trust treats the cluster network as hostile: every connection must be encrypted and carry a verifiable workload identity. `PERMISSIVE` and the unauthenticated Linkerd policies keep accepting plaintext from anything that can reach the pod, so identity-based authorization can be bypassed; `DISABLE` turns encryption off. A PeerAuthentication without a selector applies to its namespace, or, in the root namespace (`istio-system` unless `meshConfig.rootNamespace` says otherwise), to every workload of the mesh that has no policy of its own. Linkerd\'s mesh-wide default (`proxy.defaultInboundPolicy`, `all-unauthenticated` unless set) is read where manifests hold it: the `values` the `linkerd-config` ConfigMap records, and the Helm values of a Flux `HelmRelease` or an Argo CD `Application` of the `linkerd-control-plane` chart. An `AuthorizationPolicy` requires all of its `requiredAuthenticationRefs`: a MeshTLSAuthentication or ServiceAccount beside a NetworkAuthentication of every address still requires an identity and is not reported. Some of Linkerd\'s own components must accept callers without a mesh identity and are reported for information only, with the reason: `linkerd-identity` (proxies ask it for their first certificate before they have an identity), `linkerd-destination` and `linkerd-proxy-injector` (the API server calls their admission webhooks from outside the mesh), and the policies Linkerd\'s extensions ship for webhook and kubelet callers (labelled `linkerd.io/extension`). No peer tool checks service-mesh settings.',
      fix: 'Set `PeerAuthentication` `mtls.mode: STRICT` (per port too), `DestinationRule` `tls.mode: ISTIO_MUTUAL` for in-mesh hosts (or `SIMPLE`/`MUTUAL` towards external TLS services), and Linkerd `accessPolicy` / `default-inbound-policy` / `proxy.defaultInboundPolicy` to `all-authenticated` or `cluster-authenticated` (or `deny` with explicit `AuthorizationPolicy`). Name Linkerd clients by identity (`meshTLS` of a ServerAuthorization, a MeshTLSAuthentication), not by `unauthenticated: true` or a network of every address. Leave Linkerd\'s control plane as its chart writes it: changing the mesh-wide default does not change its identity, destination and proxy-injector pods, which keep `all-unauthenticated` through their own annotations; limit who reaches them with NetworkPolicies. Use PERMISSIVE only for a time-boxed migration.',
      peers: {},
      links: [
        'https://istio.io/latest/docs/reference/config/security/peer_authentication/',
        'https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings',
        'https://linkerd.io/2/reference/authorization-policy/',
        'https://linkerd.io/2/features/server-policy/',
      ],
    },
  },
  check(resource, { workspace, report }) {
    const group = resource.apiVersion.split('/')[0];
    if (resource.kind === 'PeerAuthentication' && group === 'security.istio.io') checkPeerAuthentication(resource, report);
    else if (resource.kind === 'DestinationRule' && group === 'networking.istio.io') checkDestinationRule(resource, report);
    else if (group === 'policy.linkerd.io') checkLinkerdPolicy(resource, workspace, report);
    else if (!checkMeshDefault(resource, report)) checkLinkerdAnnotation(resource, report);
  },
});

function checkPeerAuthentication(resource: Resource, report: Report): void {
  const spec = resource.root.map('spec');
  const meshWide = !spec?.has('selector') && resource.namespace === MESH_ROOT_NAMESPACE;
  // Without metadata.namespace it applies in the namespace it is applied to, whichever that is.
  const scope = spec?.has('selector')
    ? 'for the workloads it selects'
    : meshWide
      ? 'mesh-wide'
      : resource.namespace
        ? `in namespace "${resource.namespace}"`
        : 'in the namespace it is applied to';
  const check = (mtls: MapView | undefined, where: string) => {
    const node = mtls?.scalar('mode');
    const mode = node?.value;
    if (!mtls || !node || (mode !== 'PERMISSIVE' && mode !== 'DISABLE')) return;
    report({
      node,
      messageId: mode === 'PERMISSIVE' ? (meshWide ? 'peerPermissiveMeshWide' : 'peerPermissive') : meshWide ? 'peerDisabledMeshWide' : 'peerDisabled',
      data: { name: resource.name, scope: `${where}${scope}` },
      fixes: [{ title: 'Set mTLS mode to STRICT', edits: [replaceNode(node, resource.parsed.source, 'STRICT')] }],
    });
  };
  check(spec?.map('mtls'), '');
  for (const [port, , pair] of spec?.map('portLevelMtls')?.entries() ?? []) check(resource.root.ctx.map(pair.value), `on port ${port} `);
}

function checkDestinationRule(resource: Resource, report: Report): void {
  const spec = resource.root.map('spec');
  const host = spec?.string('host') ?? '';
  const check = (policy: MapView | undefined, where: string) => {
    if (!policy) return;
    reportDisabledTls(resource, host, policy.map('tls')?.scalar('mode'), where, report);
    policy.seq('portLevelSettings')?.maps().forEach((setting) => {
      const port = setting.map('port')?.string('number');
      reportDisabledTls(resource, host, setting.map('tls')?.scalar('mode'), `${where}${port ? ` on port ${port}` : ''}`, report);
    });
  };
  check(spec?.map('trafficPolicy'), '');
  for (const subset of spec?.seq('subsets')?.maps() ?? []) check(subset.map('trafficPolicy'), ` for subset "${subset.string('name') ?? '?'}"`);
}

function reportDisabledTls(resource: Resource, host: string, node: Scalar | undefined, where: string, report: Report): void {
  if (node?.value !== 'DISABLE') return;
  // ISTIO_MUTUAL is right only for a destination inside the mesh (a short name, which Istio
  // resolves in the rule's namespace, or a cluster service name); an external host needs its own TLS settings.
  const inMesh = /^[a-z0-9-]+$/.test(host) || /\.svc(\.cluster\.local)?$/.test(host);
  report({
    node,
    messageId: 'destinationTlsDisabled',
    data: { name: resource.name, destination: `"${host || '?'}"${where}` },
    fixes: inMesh ? [{ title: 'Set tls.mode to ISTIO_MUTUAL', edits: [replaceNode(node, resource.parsed.source, 'ISTIO_MUTUAL')] }] : [],
  });
}

/** What each unauthenticated Linkerd policy admits: completes "X admits …". */
const ADMITS: Readonly<Record<string, string>> = {
  'all-unauthenticated': 'unauthenticated clients from anywhere',
  'cluster-unauthenticated': 'unauthenticated clients from the cluster',
  audit: 'every client, only logging those it would deny',
};

function checkLinkerdPolicy(resource: Resource, workspace: WorkspaceView, report: Report): void {
  if (resource.kind === 'Server') {
    const node = resource.root.map('spec')?.scalar('accessPolicy');
    if (node) reportDefaultPolicy(resource, node, `Server "${resource.name}"`, 'accessPolicy', report);
  } else if (resource.kind === 'ServerAuthorization') {
    checkServerAuthorization(resource, report);
  } else if (resource.kind === 'AuthorizationPolicy') {
    checkAuthorizationPolicy(resource, workspace, report);
  }
}

/** `client.unauthenticated: true`: any client, meshed or not, from the networks it lists (every address by default). */
function checkServerAuthorization(resource: Resource, report: Report): void {
  const client = resource.root.map('spec')?.map('client');
  const node = client?.scalar('unauthenticated');
  if (!client || !node || client.bool('unauthenticated') !== true) return;
  const from = client.has('networks') ? 'from the networks it lists' : 'from any address';
  const extension = shippedByLinkerdExtension(resource);
  report({
    node,
    ...(extension ? { severity: 'info' as const, messageId: 'unauthenticatedClientsOfExtension' } : { messageId: 'unauthenticatedClients' }),
    data: { name: resource.name, from, ...(extension ? { extension } : {}) },
  });
}

/** Required authentications that are only NetworkAuthentications of every address: no identity, from anywhere. */
function checkAuthorizationPolicy(resource: Resource, workspace: WorkspaceView, report: Report): void {
  const namespace = resource.effectiveNamespace(workspace.defaultNamespace);
  const authentications = workspace.ofKind('NetworkAuthentication').filter((r) => r.apiVersion.startsWith('policy.linkerd.io/'));
  const find = (ns: string, name: string) => authentications.find((r) => r.name === name && r.effectiveNamespace(workspace.defaultNamespace) === ns);
  const open = unauthenticatedNetworks(resource, namespace, find);
  if (open.length === 0) return;
  const names = open.map((o) => `NetworkAuthentication "${o.authentication.name}" (${o.cidr})`).join(' and ');
  const extension = shippedByLinkerdExtension(resource);
  report({
    node: open[0].ref,
    ...(extension ? { severity: 'info' as const, messageId: 'everyNetworkOfExtension' } : { messageId: 'everyNetwork' }),
    data: { name: resource.name, networks: names, ...(extension ? { extension } : {}) },
  });
}

/** The mesh-wide `proxy.defaultInboundPolicy`, where the control plane's configuration holds it. */
function checkMeshDefault(resource: Resource, report: Report): boolean {
  const mesh = meshDefaultInboundPolicy(resource);
  if (!mesh) return false;
  if (!(mesh.value in LINKERD_UNAUTHENTICATED)) return true;
  const replacement = LINKERD_UNAUTHENTICATED[mesh.value];
  report({
    node: mesh.node,
    ...(mesh.written
      ? { messageId: 'meshDefault', data: { value: mesh.value, admits: ADMITS[mesh.value] } }
      : { messageId: 'chartDefault', data: { where: mesh.where, value: mesh.value } }),
    // The ConfigMap records the values Linkerd was installed with: the change goes through linkerd upgrade or Helm.
    fixes: mesh.written && replacement && resource.kind !== 'ConfigMap' ? [{ title: `Set it to ${replacement}`, edits: [replaceNode(mesh.node, resource.parsed.source, replacement)] }] : [],
  });
  return true;
}

function checkLinkerdAnnotation(resource: Resource, report: Report): void {
  const metadata = resource.kind === 'Namespace' ? resource.metadata : resource.podSpec?.podMetadata;
  const node = metadata?.map('annotations')?.scalar(LINKERD_POLICY_ANNOTATION);
  if (!node) return;
  const component = resource.kind === 'Namespace' ? undefined : unauthenticatedComponent(resource);
  if (component && String(node.value) === 'all-unauthenticated') {
    report({ node, severity: 'info', messageId: CONTROL_PLANE_MESSAGE[component], data: { workload: resource.label } });
    return;
  }
  reportDefaultPolicy(resource, node, resource.label, 'default-inbound-policy annotation', report);
}

function reportDefaultPolicy(resource: Resource, node: Scalar, who: string, setting: string, report: Report): void {
  const value = String(node.value);
  if (!(value in LINKERD_UNAUTHENTICATED)) return;
  const replacement = LINKERD_UNAUTHENTICATED[value];
  report({
    node,
    messageId: 'defaultPolicy',
    data: { who, admits: ADMITS[value], setting, value },
    fixes: replacement ? [{ title: `Set it to ${replacement}`, edits: [replaceNode(node, resource.parsed.source, replacement)] }] : [],
  });
}

export const cases: RuleCases = {
  valid: [
    {
      name: 'STRICT PeerAuthentication, mesh-internal ISTIO_MUTUAL, an unrelated Server kind and authenticated Linkerd policy',
      yaml: `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec:
  mtls: {mode: STRICT}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews}
spec:
  host: reviews.shop.svc.cluster.local
  trafficPolicy:
    tls: {mode: ISTIO_MUTUAL}
---
apiVersion: example.com/v1
kind: Server
metadata: {name: game}
spec:
  accessPolicy: all-unauthenticated
---
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: api}
spec:
  podSelector: {matchLabels: {app: api}}
  port: http
  accessPolicy: cluster-authenticated
`,
    },
    {
      name: 'UNSET inherits, and Istio networking objects without TLS settings (online-boutique)',
      yaml: `apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata: {name: inherit, namespace: shop}
spec:
  selector: {matchLabels: {app: cart}}
  mtls: {mode: UNSET}
---
apiVersion: networking.istio.io/v1alpha3
kind: ServiceEntry
metadata: {name: allow-egress-googleapis}
spec:
  hosts: ["*.googleapis.com"]
  ports:
    - {number: 80, protocol: HTTP, name: http}
`,
    },
    {
      name: 'Linkerd: identities required, unauthenticated false, a NetworkAuthentication of every address required with a mesh identity (multicluster gateway), a bounded or unknown network, Istio\'s AuthorizationPolicy, an authenticated mesh default',
      yaml: `apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata: {name: api, namespace: shop}
spec:
  server: {name: api}
  client:
    unauthenticated: false
    meshTLS:
      serviceAccounts: [{name: web}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: gateway, namespace: linkerd-multicluster}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: gateway}
  requiredAuthenticationRefs:
    - {group: policy.linkerd.io, kind: MeshTLSAuthentication, name: any-meshed}
    - {group: policy.linkerd.io, kind: NetworkAuthentication, name: source-cluster}
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: office, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: admin}
  requiredAuthenticationRefs:
    - {group: policy.linkerd.io, kind: NetworkAuthentication, name: office}
    - {group: policy.linkerd.io, kind: NetworkAuthentication, name: everywhere}
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: elsewhere, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: admin}
  requiredAuthenticationRefs:
    - {group: policy.linkerd.io, kind: NetworkAuthentication, name: not-in-the-workspace}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: allow-all, namespace: shop}
spec:
  rules: [{}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: linkerd-config, namespace: linkerd}
data:
  values: |
    proxy:
      defaultInboundPolicy: all-authenticated
`,
      workspace: {
        'file:///networks.yaml': `apiVersion: policy.linkerd.io/v1alpha1
kind: NetworkAuthentication
metadata: {name: source-cluster, namespace: linkerd-multicluster}
spec:
  networks: [{cidr: 0.0.0.0/0}, {cidr: "::/0"}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: NetworkAuthentication
metadata: {name: office, namespace: shop}
spec:
  networks: [{cidr: 192.0.2.0/24}]
---
apiVersion: policy.linkerd.io/v1alpha1
kind: NetworkAuthentication
metadata: {name: everywhere, namespace: shop}
spec:
  networks: [{cidr: 0.0.0.0/0}]
`,
      },
    },
  ],
  invalid: [
    {
      name: 'a PeerAuthentication without a namespace, and a mesh-wide one in the root namespace',
      yaml: `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default}
spec:
  mtls: {mode: PERMISSIVE}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec:
  mtls: {mode: DISABLE}
`,
      findings: [
        {
          line: 4, column: 15, endLine: 4, endColumn: 25, message: 'PeerAuthentication "default" accepts plaintext in the namespace it is applied to. PERMISSIVE takes mTLS and plaintext alike',
          messageId: 'peerPermissive', fixes: [
            {
              title: 'Set mTLS mode to STRICT',
              output: `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default}
spec:
  mtls: {mode: STRICT}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec:
  mtls: {mode: DISABLE}
`,
            },
          ],
        },
        {
          line: 10, column: 15, endLine: 10, endColumn: 22, message: 'PeerAuthentication "default" disables mTLS mesh-wide. Without a selector, a PeerAuthentication in istio-system (Istio\'s default root namespace) applies to every workload of the mesh',
          messageId: 'peerDisabledMeshWide', fixes: [
            {
              title: 'Set mTLS mode to STRICT',
              output: `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default}
spec:
  mtls: {mode: PERMISSIVE}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec:
  mtls: {mode: STRICT}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'PERMISSIVE namespace-wide and DISABLE on one port',
      yaml: `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: shop
spec:
  mtls:
    mode: PERMISSIVE   # migration, remove by Q3
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: metrics, namespace: shop}
spec:
  selector: {matchLabels: {app: cart}}
  mtls: {mode: STRICT}
  portLevelMtls:
    "9090": {mode: DISABLE}
`,
      findings: [
        {
          line: 7, column: 10, endLine: 7, endColumn: 20, message: 'PeerAuthentication "default" accepts plaintext in namespace "shop".',
          messageId: 'peerPermissive', fixes: [
            {
              title: 'Set mTLS mode to STRICT',
              output: `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: shop
spec:
  mtls:
    mode: STRICT   # migration, remove by Q3
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: metrics, namespace: shop}
spec:
  selector: {matchLabels: {app: cart}}
  mtls: {mode: STRICT}
  portLevelMtls:
    "9090": {mode: DISABLE}
`,
            },
          ],
        },
        {
          line: 16, column: 19, endLine: 16, endColumn: 26, message: 'PeerAuthentication "metrics" disables mTLS on port 9090 for the workloads it selects.',
          messageId: 'peerDisabled', fixes: [
            {
              title: 'Set mTLS mode to STRICT',
              output: `apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: shop
spec:
  mtls:
    mode: PERMISSIVE   # migration, remove by Q3
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: metrics, namespace: shop}
spec:
  selector: {matchLabels: {app: cart}}
  mtls: {mode: STRICT}
  portLevelMtls:
    "9090": {mode: STRICT}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'DestinationRule DISABLE in a subset and a port, Linkerd Server and namespace annotation',
      yaml: `apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: {name: cart}
spec:
  host: cartservice
  subsets:
    - name: v2
      labels: {version: v2}
      trafficPolicy:
        portLevelSettings:
          - port: {number: 7070}
            tls: {mode: DISABLE}
---
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: admin}
spec:
  podSelector: {matchLabels: {app: admin}}
  port: admin-http
  accessPolicy: all-unauthenticated
---
apiVersion: v1
kind: Namespace
metadata:
  name: legacy
  annotations:
    config.linkerd.io/default-inbound-policy: audit
`,
      findings: [
        {
          line: 11, column: 24, endLine: 11, endColumn: 31, message: 'DestinationRule "cart" disables TLS to "cartservice" for subset "v2" on port 7070.',
          messageId: 'destinationTlsDisabled', fixes: [
            {
              title: 'Set tls.mode to ISTIO_MUTUAL',
              output: `apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: {name: cart}
spec:
  host: cartservice
  subsets:
    - name: v2
      labels: {version: v2}
      trafficPolicy:
        portLevelSettings:
          - port: {number: 7070}
            tls: {mode: ISTIO_MUTUAL}
---
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: admin}
spec:
  podSelector: {matchLabels: {app: admin}}
  port: admin-http
  accessPolicy: all-unauthenticated
---
apiVersion: v1
kind: Namespace
metadata:
  name: legacy
  annotations:
    config.linkerd.io/default-inbound-policy: audit
`,
            },
          ],
        },
        {
          line: 19, column: 16, endLine: 19, endColumn: 35, message: 'Server "admin" admits unauthenticated clients from anywhere. Its accessPolicy is all-unauthenticated: clients without a mesh identity',
          messageId: 'defaultPolicy', fixes: [
            {
              title: 'Set it to all-authenticated',
              output: `apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: {name: cart}
spec:
  host: cartservice
  subsets:
    - name: v2
      labels: {version: v2}
      trafficPolicy:
        portLevelSettings:
          - port: {number: 7070}
            tls: {mode: DISABLE}
---
apiVersion: policy.linkerd.io/v1beta3
kind: Server
metadata: {name: admin}
spec:
  podSelector: {matchLabels: {app: admin}}
  port: admin-http
  accessPolicy: all-authenticated
---
apiVersion: v1
kind: Namespace
metadata:
  name: legacy
  annotations:
    config.linkerd.io/default-inbound-policy: audit
`,
            },
          ],
        },
        { line: 26, column: 46, endLine: 26, endColumn: 51, message: 'Namespace/legacy admits every client, only logging those it would deny. Its default-inbound-policy annotation is audit', messageId: 'defaultPolicy', fixes: [] },
      ],
    },
    {
      name: 'an external host gets no automatic fix; a workload annotation is reported',
      yaml: `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: payments-api}
spec:
  host: api.payments.example.com
  trafficPolicy: {tls: {mode: DISABLE}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: legacy}
spec:
  template:
    metadata:
      annotations: {config.linkerd.io/default-inbound-policy: cluster-unauthenticated}
    spec:
      containers: [{name: app, image: legacy:1}]
`,
      findings: [
        { line: 5, column: 30, endLine: 5, endColumn: 37, message: 'DestinationRule "payments-api" disables TLS to "api.payments.example.com". The traffic crosses', messageId: 'destinationTlsDisabled', fixes: [] },
        {
          line: 13, column: 62, endLine: 13, endColumn: 85, message: 'Deployment/legacy admits unauthenticated clients from the cluster. Its default-inbound-policy annotation is cluster-unauthenticated',
          messageId: 'defaultPolicy', fixes: [
            {
              title: 'Set it to cluster-authenticated',
              output: `apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: payments-api}
spec:
  host: api.payments.example.com
  trafficPolicy: {tls: {mode: DISABLE}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: legacy}
spec:
  template:
    metadata:
      annotations: {config.linkerd.io/default-inbound-policy: cluster-authenticated}
    spec:
      containers: [{name: app, image: legacy:1}]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Linkerd control plane: the mesh-wide default in linkerd-config (no fix: it records the install values), and linkerd-identity, which must admit unauthenticated clients (explained, no fix)',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata:
  name: linkerd-config
  namespace: linkerd
data:
  linkerd-crds-chart-version: linkerd-crds-1.0.0-edge
  values: |
    clusterDomain: cluster.local
    proxy:
      await: true
      defaultInboundPolicy: all-unauthenticated
      logLevel: warn,linkerd=info
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: linkerd-identity, namespace: linkerd}
spec:
  selector: {matchLabels: {linkerd.io/control-plane-component: identity}}
  template:
    metadata:
      annotations:
        config.linkerd.io/default-inbound-policy: "all-unauthenticated"
      labels:
        linkerd.io/control-plane-component: identity
        linkerd.io/control-plane-ns: linkerd
    spec:
      containers: [{name: identity, image: cr.l5d.io/linkerd/controller:edge-24.11.8}]
`,
      findings: [
        { line: 11, column: 28, endLine: 11, endColumn: 47, message: "Mesh-wide default all-unauthenticated admits unauthenticated clients from anywhere. It is Linkerd's default inbound policy", messageId: 'meshDefault', fixes: [] },
        { line: 22, column: 50, endLine: 22, endColumn: 71, message: 'Deployment/linkerd-identity must admit unauthenticated clients. Linkerd sets its default-inbound-policy to all-unauthenticated: proxies ask linkerd-identity for their first certificate before they have a mesh identity. Keep it', messageId: 'identityComponent', fixes: [] },
      ],
    },
    {
      name: 'ServerAuthorization with client.unauthenticated: true, and one Linkerd\'s viz extension ships (explained)',
      yaml: `apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata: {name: legacy-clients, namespace: shop}
spec:
  server: {name: api-http}
  client:
    unauthenticated: true
---
apiVersion: policy.linkerd.io/v1beta1
kind: ServerAuthorization
metadata:
  name: tap-injector
  namespace: linkerd-viz
  labels: {linkerd.io/extension: viz, component: tap-injector}
spec:
  server: {name: tap-injector-webhook}
  client:
    # traffic coming from the kubelet and from kube-api
    unauthenticated: true
    networks: [{cidr: 10.0.0.0/8}]
`,
      findings: [
        { line: 6, column: 21, endLine: 6, endColumn: 25, message: 'ServerAuthorization "legacy-clients" admits unauthenticated clients from any address. With client.unauthenticated', messageId: 'unauthenticatedClients', fixes: [] },
        { line: 18, column: 21, endLine: 18, endColumn: 25, message: 'ServerAuthorization "tap-injector" admits unauthenticated clients from the networks it lists. Linkerd\'s viz extension ships it for callers outside the mesh', messageId: 'unauthenticatedClientsOfExtension', fixes: [] },
      ],
    },
    {
      name: 'AuthorizationPolicy requiring only NetworkAuthentications of every address (another file), and one of Linkerd\'s viz extension for the API server (explained)',
      yaml: `apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata: {name: admin-anyone, namespace: shop}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: admin}
  requiredAuthenticationRefs:
    - group: policy.linkerd.io
      kind: NetworkAuthentication
      name: all-networks
---
apiVersion: policy.linkerd.io/v1alpha1
kind: AuthorizationPolicy
metadata:
  name: tap-injector
  namespace: linkerd-viz
  labels: {linkerd.io/extension: viz}
spec:
  targetRef: {group: policy.linkerd.io, kind: Server, name: tap-injector-webhook}
  requiredAuthenticationRefs:
    - {group: policy.linkerd.io, kind: NetworkAuthentication, name: kube-api-server}
`,
      workspace: {
        'file:///networks.yaml': `apiVersion: policy.linkerd.io/v1alpha1
kind: NetworkAuthentication
metadata: {name: all-networks, namespace: shop}
spec:
  networks:
    - cidr: 0.0.0.0/0
    - cidr: ::/0
---
apiVersion: policy.linkerd.io/v1alpha1
kind: NetworkAuthentication
metadata: {name: kube-api-server, namespace: linkerd-viz}
spec:
  networks: [{cidr: "0.0.0.0/0"}, {cidr: "::/0"}]
`,
      },
      findings: [
        { line: 8, column: 12, endLine: 8, endColumn: 24, message: 'AuthorizationPolicy "admin-anyone" admits unauthenticated clients from any address. It requires only NetworkAuthentication "all-networks" (0.0.0.0/0)', messageId: 'everyNetwork', fixes: [] },
        { line: 19, column: 68, endLine: 19, endColumn: 83, message: 'AuthorizationPolicy "tap-injector" admits unauthenticated clients from any address. It requires only NetworkAuthentication "kube-api-server" (0.0.0.0/0): Linkerd\'s viz extension ships it', messageId: 'everyNetworkOfExtension', fixes: [] },
      ],
    },
    {
      name: 'the mesh-wide default in Helm values: a Flux HelmRelease that leaves the chart default, an Argo CD Application that sets it (the fix sets the authenticated counterpart)',
      yaml: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: linkerd-control-plane, namespace: linkerd}
spec:
  chart:
    spec:
      chart: linkerd-control-plane
      sourceRef: {kind: HelmRepository, name: linkerd}
  values:
    controllerReplicas: 3
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: linkerd, namespace: argocd}
spec:
  source:
    repoURL: https://helm.linkerd.io/edge
    chart: linkerd-control-plane
    helm:
      valuesObject:
        proxy:
          defaultInboundPolicy: cluster-unauthenticated  # reach from the node pools
`,
      findings: [
        { line: 6, column: 13, endLine: 6, endColumn: 34, message: "HelmRelease linkerd-control-plane leaves Linkerd's default inbound policy at all-unauthenticated. It applies mesh-wide", messageId: 'chartDefault', fixes: [] },
        {
          line: 21, column: 32, endLine: 21, endColumn: 55, message: "Mesh-wide default cluster-unauthenticated admits unauthenticated clients from the cluster. It is Linkerd's default inbound policy",
          messageId: 'meshDefault', fixes: [{ title: 'Set it to cluster-authenticated', output: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: linkerd-control-plane, namespace: linkerd}
spec:
  chart:
    spec:
      chart: linkerd-control-plane
      sourceRef: {kind: HelmRepository, name: linkerd}
  values:
    controllerReplicas: 3
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: linkerd, namespace: argocd}
spec:
  source:
    repoURL: https://helm.linkerd.io/edge
    chart: linkerd-control-plane
    helm:
      valuesObject:
        proxy:
          defaultInboundPolicy: cluster-authenticated  # reach from the node pools
` }],
        },
      ],
    },
    {
      name: 'a PeerAuthentication without a selector in the root namespace is mesh-wide; one with a selector there is not',
      yaml: `apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata:
  name: mesh-default
  namespace: istio-system
spec:
  mtls:
    mode: PERMISSIVE
---
apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata: {name: ingress-gateway, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  mtls: {mode: PERMISSIVE}
`,
      findings: [
        {
          line: 7, column: 10, endLine: 7, endColumn: 20, message: 'PeerAuthentication "mesh-default" accepts plaintext mesh-wide. Without a selector, a PeerAuthentication in istio-system (Istio\'s default root namespace) applies to every workload of the mesh',
          messageId: 'peerPermissiveMeshWide',
          fixes: [{ title: 'Set mTLS mode to STRICT', output: `apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata:
  name: mesh-default
  namespace: istio-system
spec:
  mtls:
    mode: STRICT
---
apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata: {name: ingress-gateway, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  mtls: {mode: PERMISSIVE}
` }],
        },
        {
          line: 14, column: 15, endLine: 14, endColumn: 25, message: 'PeerAuthentication "ingress-gateway" accepts plaintext for the workloads it selects. PERMISSIVE takes mTLS and plaintext alike',
          messageId: 'peerPermissive',
          fixes: [{ title: 'Set mTLS mode to STRICT', output: `apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata:
  name: mesh-default
  namespace: istio-system
spec:
  mtls:
    mode: PERMISSIVE
---
apiVersion: security.istio.io/v1beta1
kind: PeerAuthentication
metadata: {name: ingress-gateway, namespace: istio-system}
spec:
  selector: {matchLabels: {istio: ingressgateway}}
  mtls: {mode: STRICT}
` }],
        },
      ],
    },
    {
      name: 'linkerd-destination and linkerd-proxy-injector must admit unauthenticated clients: the API server calls their webhooks (explained, no fix)',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: linkerd-destination, namespace: linkerd}
spec:
  selector: {matchLabels: {linkerd.io/control-plane-component: destination}}
  template:
    metadata:
      annotations: {config.linkerd.io/default-inbound-policy: all-unauthenticated}
      labels: {linkerd.io/control-plane-component: destination}
    spec:
      containers: [{name: destination, image: cr.l5d.io/linkerd/controller:edge-24.11.8}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: linkerd-proxy-injector, namespace: linkerd}
spec:
  selector: {matchLabels: {linkerd.io/control-plane-component: proxy-injector}}
  template:
    metadata:
      annotations: {config.linkerd.io/default-inbound-policy: all-unauthenticated}
      labels: {linkerd.io/control-plane-component: proxy-injector}
    spec:
      containers: [{name: proxy-injector, image: cr.l5d.io/linkerd/controller:edge-24.11.8}]
`,
      findings: [
        { line: 7, column: 62, endLine: 7, endColumn: 81, message: 'Deployment/linkerd-destination must admit unauthenticated clients. Linkerd sets its default-inbound-policy to all-unauthenticated: the Kubernetes API server calls the validating webhooks of linkerd-destination from outside the mesh.', messageId: 'destinationComponent', severity: 'info', fixes: [] },
        { line: 19, column: 62, endLine: 19, endColumn: 81, message: 'Deployment/linkerd-proxy-injector must admit unauthenticated clients. Linkerd sets its default-inbound-policy to all-unauthenticated: the Kubernetes API server calls the mutating webhook of linkerd-proxy-injector from outside the mesh.', messageId: 'proxyInjectorComponent', severity: 'info', fixes: [] },
      ],
    },
  ],
};
