import type { Node } from 'yaml';
import { addBlockValue, appendBlockItem } from '../server/src/edits/block-edits';
import { celTemplate, defineRule, type RuleCases } from '../server/src/rule-api';

const CLEAR_TEXT = 'Passwords, tokens and cookies cross the network in clear text';

const MESSAGES = {
  host: `Ingress "{{name}}" serves {{host}} without TLS. ${CLEAR_TEXT}. Add a tls entry with a certificate Secret for this host.`,
  hosts: `Ingress "{{name}}" serves {{hosts}} without TLS. ${CLEAR_TEXT}. Add a tls entry with a certificate Secret for these hosts.`,
  everyHost: `Ingress "{{name}}" serves every host without TLS. ${CLEAR_TEXT}. Add a tls entry with a certificate Secret for these hosts.`,
};

export default defineRule({
  meta: {
    id: 'ingress-without-tls',
    title: 'Ingress serves hosts without TLS',
    principle: 'encryption-in-transit',
    severity: 'warning',
    kinds: ['Ingress'],
    messages: MESSAGES,
    admission: {
      subject: 'object',
      validations: () => {
        const spec = 'object.spec';
        const tls = `(has(${spec}.tls) ? ${spec}.tls : [])`;
        const coversAll = `(size(${tls}) > 0 && ${tls}.exists(e, !has(e.hosts) || size(e.hosts) == 0))`;
        // hostMatches: equal, or a `*.` DNS wildcard one label up. Standard CEL cannot cut strings, so the wildcard
        // becomes an RE2 pattern (only for wildcards made of DNS characters), in which its dots match any character.
        const covers = (host: string) =>
          `${tls}.exists(e, has(e.hosts) && e.hosts.exists(p, p == ${host} || (string(p).matches("^\\\\*(\\\\.[A-Za-z0-9-]+)+$") && string(${host}).matches("^[^.][^.]" + string(p) + "$"))))`;
        const hostless = '(!has(r.host) || r.host == "")';
        const uncoveredRule = `r, ${hostless} ? size(${tls}) == 0 : !${coversAll} && !(${covers('r.host')})`;
        const rules = `(has(${spec}.rules) ? ${spec}.rules : [])`;
        const defaultBackend = `(has(${spec}.defaultBackend) || has(${spec}.backend)) && !has(${spec}.rules) && size(${tls}) == 0`;
        const hosts = `${rules}.filter(r, !${hostless} && (${uncoveredRule.slice(3)})).map(r, string(r.host))`;
        const name = 'has(object.metadata.name) ? object.metadata.name : ""';
        return [
          {
            expression: `!(object.apiVersion.matches("^(networking\\\\.k8s\\\\.io|extensions)/") && has(${spec}) && (${rules}.exists(${uncoveredRule}) || (${defaultBackend})))`,
            // Standard CEL cannot join a list: a denial names the first uncovered host.
            messageExpression: `size(${hosts}) > 0 ? ${celTemplate(MESSAGES.host, { name, host: `${hosts}[0]` })} : ${celTemplate(MESSAGES.everyHost, { name })}`,
          },
        ];
      },
    },
    docs: {
      what: 'An Ingress routes a host that no `tls` entry covers (exact or one-label wildcard match), or has no `tls` at all for its catch-all rules.',
      why: 'Traffic to a host without TLS crosses the network in clear text: passwords, tokens and session cookies can be read and changed by anyone on the path, and the client cannot tell the real service from an impostor. Zero trust assumes the network is hostile, so every hop from the outside must be encrypted and authenticated. A `tls` entry without `hosts` uses the controller\'s default certificate and counts as covering every host.',
      fix: 'Add a `tls` entry listing the hosts and a `secretName` of a `kubernetes.io/tls` Secret (cert-manager can issue it). The quick fix writes the skeleton for the uncovered hosts.',
      peers: { polaris: ['tlsSettingsMissing'], kubescape: ['C-0263'] },
      links: ['https://kubernetes.io/docs/concepts/services-networking/ingress/#tls'],
    },
  },
  check(resource, { report }) {
    if (!/^(networking\.k8s\.io|extensions)\//.test(resource.apiVersion)) return;
    const spec = resource.root.map('spec');
    if (!spec) return;
    const tls = spec.seq('tls');
    const entries = tls?.maps() ?? [];
    const tlsHosts = entries.map((e) => e.seq('hosts')?.scalars().map((s) => s.value) ?? []);
    const coversAll = entries.length > 0 && tlsHosts.some((hosts) => hosts.length === 0);
    const uncovered: Array<{ host?: string; node: Node }> = [];
    for (const rule of spec.seq('rules')?.maps() ?? []) {
      const host = rule.scalar('host');
      if (!host || host.value === null || host.value === '') {
        if (entries.length === 0) uncovered.push({ node: rule.keyNode('http') ?? rule.node });
      } else if (!coversAll && !tlsHosts.flat().some((pattern) => hostMatches(pattern, String(host.value)))) {
        if (!uncovered.some((u) => u.host === String(host.value))) uncovered.push({ host: String(host.value), node: host });
      }
    }
    const defaultBackend = spec.keyNode('defaultBackend') ?? spec.keyNode('backend');
    if (defaultBackend && !spec.has('rules') && entries.length === 0) uncovered.push({ node: defaultBackend });
    if (uncovered.length === 0) return;
    const hosts = uncovered.flatMap((u) => (u.host ? [u.host] : []));
    const served = hosts.length > 0 ? hosts.join(', ') : 'every host';
    const entry = {
      value: { ...(hosts.length > 0 ? { hosts } : {}), secretName: `${resource.name || 'ingress'}-tls` },
      comments: [{ path: [] as string[], text: 'TLS for these hosts: a kubernetes.io/tls Secret with their certificate (cert-manager can issue it).' }],
    };
    report({
      node: uncovered[0].node,
      ...(hosts.length === 0
        ? { messageId: 'everyHost', data: { name: resource.name } }
        : hosts.length === 1
          ? { messageId: 'host', data: { name: resource.name, host: hosts[0] } }
          : { messageId: 'hosts', data: { name: resource.name, hosts: served } }),
      fixes: [{
        title: `Add a \`tls\` section for ${served}`,
        edits: tls ? [appendBlockItem(tls, entry)] : addBlockValue(spec, 'tls', { value: [entry.value], comments: entry.comments.map((c) => ({ ...c, path: [0] })) }),
      }],
    });
  },
});

/** A TLS host covers the same host, and a `*.` wildcard covers exactly one more label. */
function hostMatches(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*.')) return false;
  const dot = host.indexOf('.');
  return dot > 0 && host.slice(dot) === pattern.slice(1);
}

export const cases: RuleCases = {
  valid: [
    {
      name: 'every host covered, one through a wildcard',
      yaml: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  tls:
    - hosts: [shop.example.com, "*.api.example.com"]
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
    - host: v1.api.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]}
`,
    },
    {
      name: 'a tls entry without hosts uses the default certificate for every host',
      yaml: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: catch-all}
spec:
  tls:
    - secretName: default-tls
  defaultBackend:
    service: {name: web, port: {number: 80}}
`,
    },
  ],
  invalid: [
    {
      name: 'no tls at all: the fix adds the skeleton',
      yaml: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com   # storefront
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`,
      findings: [
        {
          line: 7, column: 12, endLine: 7, endColumn: 28, message: 'Ingress "shop" serves shop.example.com without TLS', messageId: 'host',
          fixes: [
            {
              title: 'Add a `tls` section for shop.example.com',
              output: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com   # storefront
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
  tls:
    # TLS for these hosts: a kubernetes.io/tls Secret with their certificate (cert-manager can issue it).
    - hosts:
        - shop.example.com
      secretName: shop-tls
`,
            },
          ],
        },
      ],
    },
    {
      name: 'a second host the tls entry forgot, the wildcard does not cover two labels; v1beta1 flow style',
      yaml: `apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: api}
spec:
  tls: [{hosts: ["*.example.com"], secretName: wild}]
  rules:
    - host: a.example.com
      http: {paths: [{backend: {serviceName: api, servicePort: 80}}]}
    - host: b.c.example.com
      http: {paths: [{backend: {serviceName: api, servicePort: 80}}]}
`,
      findings: [
        {
          line: 8, column: 12, endLine: 8, endColumn: 27, message: 'Ingress "api" serves b.c.example.com without TLS', messageId: 'host',
          fixes: [
            {
              title: 'Add a `tls` section for b.c.example.com',
              output: `apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: api}
spec:
  tls: [{hosts: ["*.example.com"], secretName: wild}, {hosts: [b.c.example.com], secretName: api-tls}]
  rules:
    - host: a.example.com
      http: {paths: [{backend: {serviceName: api, servicePort: 80}}]}
    - host: b.c.example.com
      http: {paths: [{backend: {serviceName: api, servicePort: 80}}]}
`,
            },
          ],
        },
      ],
    },
    {
      name: 'two hosts without TLS, and a default backend for every host (second document)',
      yaml: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  rules:
    - host: shop.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
    - host: admin.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: admin, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback}
spec:
  defaultBackend:
    service: {name: web, port: {number: 80}}
`,
      findings: [
        {
          line: 5, column: 12, endLine: 5, endColumn: 28, message: 'Ingress "shop" serves shop.example.com, admin.example.com without TLS', messageId: 'hosts',
          fixes: [{ title: 'Add a `tls` section for shop.example.com, admin.example.com', output: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  rules:
    - host: shop.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
    - host: admin.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: admin, port: {number: 80}}}}]}
  tls:
    # TLS for these hosts: a kubernetes.io/tls Secret with their certificate (cert-manager can issue it).
    - hosts:
        - shop.example.com
        - admin.example.com
      secretName: shop-tls
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback}
spec:
  defaultBackend:
    service: {name: web, port: {number: 80}}
` }],
        },
        {
          line: 14, column: 2, endLine: 14, endColumn: 16, message: 'Ingress "fallback" serves every host without TLS', messageId: 'everyHost',
          fixes: [{ title: 'Add a `tls` section for every host', output: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  rules:
    - host: shop.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
    - host: admin.example.com
      http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: admin, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback}
spec:
  defaultBackend:
    service: {name: web, port: {number: 80}}
  tls:
    # TLS for these hosts: a kubernetes.io/tls Secret with their certificate (cert-manager can issue it).
    - secretName: fallback-tls
` }],
        },
      ],
    },
  ],
};
