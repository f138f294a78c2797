import { admitsAnyAddress } from '../server/src/analysis/network';
import { celTemplate, celString, defineRule, removePair, replaceNode, type FixSpec, type MapView, type OffsetEdit, type Resource, type RuleCases } from '../server/src/rule-api';

/** Fields the API server accepts only on externally reachable Services: they go with the type. */
const EXTERNAL_ONLY_FIELDS = ['loadBalancerSourceRanges', 'loadBalancerIP', 'loadBalancerClass', 'healthCheckNodePort', 'allocateLoadBalancerNodePorts'];
const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/**
 * RE2 for what admitsAnyAddress accepts without exceptions: an IPv4 address (no leading zeros, as
 * `isIP`) or an IPv6-looking one, with prefix length 0.
 */
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const ANY_ADDRESS = `(${OCTET}(\\.${OCTET}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)/0{1,3}`;

const MESSAGES = {
  nodePort: 'Service "{{name}}" is of type NodePort. Every node opens its ports to anything that can reach the nodes, past any Ingress TLS or authentication. Use ClusterIP behind an Ingress or Gateway.',
  openSourceRange: 'LoadBalancer Service "{{name}}" has source range {{range}}, which admits every address. Anyone on the internet can connect to its pods. List only the client ranges, or use ClusterIP behind an Ingress.',
  noSourceRanges: 'Service "{{name}}" is of type LoadBalancer without loadBalancerSourceRanges. Anyone who can reach the load balancer connects straight to its pods. List the client ranges in loadBalancerSourceRanges, or use ClusterIP behind an Ingress.',
  externalIPs: 'Service "{{name}}" sets externalIPs. Nodes accept its traffic on {{addresses}} from outside the cluster, and whoever can edit Services can intercept those addresses (CVE-2020-8554). Remove externalIPs; publish through a LoadBalancer with source ranges or an Ingress.',
};

export default defineRule({
  meta: {
    id: 'service-exposed-externally',
    title: 'Service exposed outside the cluster',
    principle: 'micro-segmentation',
    severity: 'warning',
    kinds: ['Service'],
    messages: MESSAGES,
    admission: {
      subject: 'object',
      validations: () => {
        const spec = 'object.spec';
        const name = '(has(object.metadata.name) ? object.metadata.name : "")';
        const isType = (type: string) => `object.apiVersion == "v1" && has(${spec}) && has(${spec}.type) && ${spec}.type == ${celString(type)}`;
        const ranges = `${spec}.loadBalancerSourceRanges`;
        const annotation = `object.metadata.annotations[${celString(SOURCE_RANGES_ANNOTATION)}]`;
        const hasAnnotation = `has(object.metadata.annotations) && ${celString(SOURCE_RANGES_ANNOTATION)} in object.metadata.annotations`;
        const anyRange = `r, string(r).matches(${celString(`^\\s*${ANY_ADDRESS}\\s*$`)})`;
        const openRange = `(has(${ranges}) && ${ranges}.exists(${anyRange}))`;
        const ips = `${spec}.externalIPs`;
        return [
          {
            expression: `!(${isType('NodePort')})`,
            messageExpression: celTemplate(MESSAGES.nodePort, { name }),
          },
          {
            expression: `!(${isType('LoadBalancer')} && (${openRange} || ((!has(${ranges}) || size(${ranges}) == 0) && (!(${hasAnnotation}) || ${annotation}.matches("^[\\\\s,]*$") || ${annotation}.matches(${celString(`(^|,)\\s*${ANY_ADDRESS}\\s*(,|$)`)})))))`,
            messageExpression: `${openRange} ? ${celTemplate(MESSAGES.openSourceRange, { name, range: `string(${ranges}.filter(${anyRange})[0])` })} : ${celTemplate(MESSAGES.noSourceRanges, { name })}`,
          },
          {
            expression: `!(object.apiVersion == "v1" && has(${spec}) && has(${spec}.externalIPs) && size(${spec}.externalIPs) > 0)`,
            // Standard CEL cannot join a list: a denial names the first address.
            messageExpression: celTemplate(MESSAGES.externalIPs, { name, addresses: `string(${ips}[0]) + (size(${ips}) > 1 ? ", …" : "")` }),
          },
        ];
      },
    },
    docs: {
      what: 'A Service of type NodePort, of type LoadBalancer without `loadBalancerSourceRanges` (or with a range that admits every address), or with `externalIPs`.',
      why: 'Such a Service accepts connections from outside the cluster straight to its pods, past the Ingress or Gateway where TLS, authentication and rate limits usually live; a NodePort opens the port on every node. Each one is a perimeter hole that must be deliberate and bounded. `externalIPs` also lets whoever can edit Services intercept traffic to those addresses (CVE-2020-8554).',
      fix: 'Use `type: ClusterIP` and publish through an Ingress or Gateway (the quick fix changes the type and drops the node ports and load-balancer fields). If a load balancer is required, list the client ranges in `loadBalancerSourceRanges`. Remove `externalIPs`.',
      peers: { kubeLinter: ['exposed-services'], trivy: ['KSV-0108'], kubescape: ['C-0256'] },
      links: ['https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types'],
    },
  },
  check(resource, { report }) {
    if (resource.apiVersion !== 'v1') return;
    const spec = resource.root.map('spec');
    if (!spec) return;
    const type = spec.scalar('type');
    const externalIPs = spec.seq('externalIPs');
    const hasExternalIPs = !!externalIPs && externalIPs.length > 0;
    const toClusterIP = () => clusterIpFix(resource, spec, hasExternalIPs);
    if (type?.value === 'NodePort') {
      report({
        node: type,
        messageId: 'nodePort',
        data: { name: resource.name },
        fixes: toClusterIP(),
      });
    } else if (type?.value === 'LoadBalancer') {
      const ranges = spec.seq('loadBalancerSourceRanges')?.scalars() ?? [];
      const annotated = resource.annotations[SOURCE_RANGES_ANNOTATION]?.split(',').map((r) => r.trim()).filter(Boolean) ?? [];
      const open = ranges.find((r) => admitsAnyAddress(r.value, []));
      if (open) {
        report({
          node: open.node,
          messageId: 'openSourceRange',
          data: { name: resource.name, range: open.value },
          fixes: toClusterIP(),
        });
      } else if (ranges.length === 0 && (annotated.length === 0 || annotated.some((r) => admitsAnyAddress(r, [])))) {
        report({
          node: type,
          messageId: 'noSourceRanges',
          data: { name: resource.name },
          fixes: toClusterIP(),
        });
      }
    }
    if (hasExternalIPs) {
      const remove = removePair(spec, 'externalIPs');
      report({
        node: spec.keyNode('externalIPs')!,
        messageId: 'externalIPs',
        data: { name: resource.name, addresses: externalIPs.scalars().map((s) => s.value).join(', ') },
        ...(remove ? { fixes: [{ title: 'Remove `externalIPs`', edits: [remove], changesBehaviour: { removes: ['externalIPs'] } }] } : {}),
      });
    }
  },
});

/** `type: ClusterIP` plus the removal of what the API server rejects on a ClusterIP Service; none if a field cannot be removed cleanly. */
function clusterIpFix(resource: Resource, spec: MapView, keepTrafficPolicy: boolean): FixSpec[] {
  const type = spec.scalar('type');
  if (!type) return [];
  const edits: Array<OffsetEdit | undefined> = [replaceNode(type, resource.parsed.source, 'ClusterIP')];
  for (const port of spec.seq('ports')?.maps() ?? []) if (port.has('nodePort')) edits.push(removePair(port, 'nodePort'));
  // externalTrafficPolicy stays valid while externalIPs keep the Service externally reachable.
  for (const field of keepTrafficPolicy ? EXTERNAL_ONLY_FIELDS : [...EXTERNAL_ONLY_FIELDS, 'externalTrafficPolicy']) {
    if (spec.has(field)) edits.push(removePair(spec, field));
  }
  if (edits.some((e) => e === undefined)) return [];
  return [{ title: 'Change the Service to ClusterIP', edits: edits as OffsetEdit[], changesBehaviour: { removes: [`type: ${String(type.value)}`] } }];
}

export const cases: RuleCases = {
  valid: [
    {
      name: 'ClusterIP, and a LoadBalancer limited to an office range',
      yaml: `apiVersion: v1
kind: Service
metadata: {name: api}
spec:
  selector: {app: api}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: admin}
spec:
  type: LoadBalancer
  loadBalancerSourceRanges: [203.0.113.0/24]
  selector: {app: admin}
  ports: [{port: 443}]
`,
    },
    {
      name: 'source ranges given by the legacy annotation; ExternalName is not an exposure',
      yaml: `apiVersion: v1
kind: Service
metadata:
  name: admin
  annotations:
    service.beta.kubernetes.io/load-balancer-source-ranges: "198.51.100.0/24, 203.0.113.0/24"
spec:
  type: LoadBalancer
  ports: [{port: 443}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  type: ExternalName
  externalName: db.example.com
`,
    },
  ],
  invalid: [
    {
      name: 'NodePort with node ports and externalTrafficPolicy: the fix makes a valid ClusterIP Service',
      yaml: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort   # for the demo
  externalTrafficPolicy: Local
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
      nodePort: 30080
    - {port: 443, nodePort: 30443}
`,
      findings: [
        {
          line: 5, column: 8, endLine: 5, endColumn: 16, message: 'Service "web" is of type NodePort', messageId: 'nodePort',
          fixes: [
            {
              title: 'Change the Service to ClusterIP',
              changesBehaviour: { removes: ['type: NodePort'] },
              output: `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: ClusterIP   # for the demo
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
    - {port: 443}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'LoadBalancer open to the world, and externalIPs, in the second document',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: x}
---
apiVersion: v1
kind: Service
metadata: {name: shop}
spec:
  type: LoadBalancer
  loadBalancerSourceRanges:
    - 0.0.0.0/0
  externalIPs: [192.0.2.10]
  ports: [{port: 443}]
`,
      findings: [
        {
          line: 10, column: 6, endLine: 10, endColumn: 15, message: 'LoadBalancer Service "shop" has source range 0.0.0.0/0, which admits every address.', messageId: 'openSourceRange',
          fixes: [
            {
              title: 'Change the Service to ClusterIP',
              changesBehaviour: { removes: ['type: LoadBalancer'] },
              output: `apiVersion: v1
kind: ConfigMap
metadata: {name: x}
---
apiVersion: v1
kind: Service
metadata: {name: shop}
spec:
  type: ClusterIP
  externalIPs: [192.0.2.10]
  ports: [{port: 443}]
`,
            },
          ],
        },
        {
          line: 11, column: 2, endLine: 11, endColumn: 13, message: 'sets externalIPs. Nodes accept its traffic on', messageId: 'externalIPs',
          fixes: [
            {
              title: 'Remove `externalIPs`',
              changesBehaviour: { removes: ['externalIPs'] },
              output: `apiVersion: v1
kind: ConfigMap
metadata: {name: x}
---
apiVersion: v1
kind: Service
metadata: {name: shop}
spec:
  type: LoadBalancer
  loadBalancerSourceRanges:
    - 0.0.0.0/0
  ports: [{port: 443}]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'LoadBalancer whose only source ranges, in the legacy annotation, include every address',
      yaml: `apiVersion: v1
kind: Service
metadata:
  name: api
  annotations:
    service.beta.kubernetes.io/load-balancer-source-ranges: "10.0.0.0/8, 0.0.0.0/0"
spec:
  type: LoadBalancer
  selector: {app: api}
  ports: [{port: 443, targetPort: 8443}]
`,
      findings: [
        {
          line: 7, column: 8, endLine: 7, endColumn: 20, message: 'Service "api" is of type LoadBalancer without loadBalancerSourceRanges. Anyone who can reach the load balancer connects straight to its pods.', messageId: 'noSourceRanges',
          fixes: [{ title: 'Change the Service to ClusterIP', changesBehaviour: { removes: ['type: LoadBalancer'] }, output: `apiVersion: v1
kind: Service
metadata:
  name: api
  annotations:
    service.beta.kubernetes.io/load-balancer-source-ranges: "10.0.0.0/8, 0.0.0.0/0"
spec:
  type: ClusterIP
  selector: {app: api}
  ports: [{port: 443, targetPort: 8443}]
` }],
        },
      ],
    },
  ],
};
