import { defineRule, replaceNode, WORKLOAD_KINDS, type MapView, type Resource, type RuleCases, type RuleContext } from '../server/src/rule-api';
import type { Scalar } from 'yaml';

const LINKERD_POLICY_ANNOTATION = 'config.linkerd.io/default-inbound-policy';
/** Linkerd policies that admit clients without a mesh identity, and their authenticated counterparts. */
const LINKERD_UNAUTHENTICATED: Record<string, string | undefined> = {
  'all-unauthenticated': 'all-authenticated',
  'cluster-unauthenticated': 'cluster-authenticated',
  audit: undefined,
};

type Report = RuleContext['report'];

export default defineRule({
  meta: {
    id: 'mtls-not-strict',
    title: 'Service-mesh mTLS not enforced',
    principle: 'encryption-in-transit',
    severity: 'warning',
    kinds: ['PeerAuthentication', 'DestinationRule', 'Server', 'Namespace', ...WORKLOAD_KINDS],
    docs: {
      what: 'An Istio `PeerAuthentication` sets mTLS mode `PERMISSIVE` or `DISABLE` (for the workload or a port); an Istio `DestinationRule` sets `tls.mode: DISABLE`; a Linkerd `Server` `accessPolicy` or `config.linkerd.io/default-inbound-policy` annotation admits unauthenticated clients (`all-unauthenticated`, `cluster-unauthenticated`, `audit`).',
      why: 'Zero trust treats the cluster network as hostile: every connection must be encrypted and carry a verifiable workload identity. `PERMISSIVE` and the unauthenticated Linkerd policies keep accepting plaintext from anything that can reach the pod, so identity-based authorization can be bypassed; `DISABLE` turns encryption off. No peer tool checks service-mesh settings.',
      fix: 'Set `PeerAuthentication` `mtls.mode: STRICT` (per port too), `DestinationRule` `tls.mode: ISTIO_MUTUAL` for in-mesh hosts (or `SIMPLE`/`MUTUAL` towards external TLS services), and Linkerd `accessPolicy` / `default-inbound-policy` to `all-authenticated` or `cluster-authenticated` (or `deny` with explicit `AuthorizationPolicy`). Use PERMISSIVE only for a time-boxed migration.',
      peers: {},
      links: [
        'https://istio.io/latest/docs/reference/config/security/peer_authentication/',
        'https://istio.io/latest/docs/reference/config/networking/destination-rule/#ClientTLSSettings',
        'https://linkerd.io/2/reference/authorization-policy/',
      ],
    },
  },
  check(resource, { report }) {
    const group = resource.apiVersion.split('/')[0];
    if (resource.kind === 'PeerAuthentication' && group === 'security.istio.io') checkPeerAuthentication(resource, report);
    else if (resource.kind === 'DestinationRule' && group === 'networking.istio.io') checkDestinationRule(resource, report);
    else if (resource.kind === 'Server' && group === 'policy.linkerd.io') checkLinkerdServer(resource, report);
    else checkLinkerdAnnotation(resource, report);
  },
});

/** Istio's default root namespace (`meshConfig.rootNamespace`): a selector-less policy there applies to the whole mesh. */
const MESH_ROOT_NAMESPACE = 'istio-system';

function checkPeerAuthentication(resource: Resource, report: Report): void {
  const spec = resource.root.map('spec');
  const meshWide = !spec?.has('selector') && resource.namespace === MESH_ROOT_NAMESPACE;
  const scope = spec?.has('selector')
    ? 'for the workloads it selects'
    : meshWide
      ? 'mesh-wide'
      : resource.namespace
        ? `in namespace "${resource.namespace}"`
        : 'in the namespace it is applied to';
  const why = meshWide
    ? ` Without a selector, a PeerAuthentication in ${MESH_ROOT_NAMESPACE} (Istio's default root namespace) applies to every workload of the mesh that has no policy of its own.`
    : '';
  const check = (mtls: MapView | undefined, where: string) => {
    const node = mtls?.scalar('mode');
    const mode = node?.value;
    if (!mtls || !node || (mode !== 'PERMISSIVE' && mode !== 'DISABLE')) return;
    report({
      node,
      message:
        mode === 'PERMISSIVE'
          ? `PeerAuthentication "${resource.name}" accepts plaintext ${where}${scope}.${why} PERMISSIVE takes mTLS and plaintext alike: any client that reaches the pods bypasses workload identity. Set the mode to STRICT.`
          : `PeerAuthentication "${resource.name}" disables mTLS ${where}${scope}.${why} Traffic is unencrypted and unauthenticated. Set the mode to STRICT.`,
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
    message: `DestinationRule "${resource.name}" disables TLS to "${host || '?'}"${where}. The traffic crosses the network in plaintext with no workload identity. Use ISTIO_MUTUAL inside the mesh, SIMPLE or MUTUAL towards external TLS services.`,
    fixes: inMesh ? [{ title: 'Set tls.mode to ISTIO_MUTUAL', edits: [replaceNode(node, resource.parsed.source, 'ISTIO_MUTUAL')] }] : [],
  });
}

function checkLinkerdServer(resource: Resource, report: Report): void {
  const node = resource.root.map('spec')?.scalar('accessPolicy');
  if (node) reportLinkerdPolicy(resource, node, `Server "${resource.name}" has \`accessPolicy: ${String(node.value)}\``, report);
}

function checkLinkerdAnnotation(resource: Resource, report: Report): void {
  const metadata = resource.kind === 'Namespace' ? resource.metadata : resource.podSpec?.podMetadata;
  const node = metadata?.map('annotations')?.scalar(LINKERD_POLICY_ANNOTATION);
  if (node) reportLinkerdPolicy(resource, node, `${resource.label} sets \`${LINKERD_POLICY_ANNOTATION}: ${String(node.value)}\``, report);
}

function reportLinkerdPolicy(resource: Resource, node: Scalar, what: string, report: Report): void {
  const value = String(node.value);
  if (!(value in LINKERD_UNAUTHENTICATED)) return;
  const replacement = LINKERD_UNAUTHENTICATED[value];
  report({
    node,
    message: `${what}: it admits clients without a mesh identity${value === 'audit' ? ' (audit only logs them)' : ', over plaintext too'}. Use \`all-authenticated\` or \`cluster-authenticated\`, or \`deny\` with explicit authorization policies.`,
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
          fixes: [
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
          fixes: [
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
          fixes: [
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
          fixes: [
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
          fixes: [
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
          line: 19, column: 16, endLine: 19, endColumn: 35, message: 'Server "admin" has `accessPolicy: all-unauthenticated`',
          fixes: [
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
        { line: 26, column: 46, endLine: 26, endColumn: 51, message: '(audit only logs them)', fixes: [] },
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
        { line: 5, column: 30, endLine: 5, endColumn: 37, message: 'DestinationRule "payments-api" disables TLS to "api.payments.example.com". The traffic crosses', fixes: [] },
        {
          line: 13, column: 62, endLine: 13, endColumn: 85, message: 'Deployment/legacy sets `config.linkerd.io/default-inbound-policy: cluster-unauthenticated`',
          fixes: [
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
  ],
};
