import { celTemplate, celString, defineRule, type RuleCases } from '../server/src/rule-api';

const PREFIX = 'nginx.ingress.kubernetes.io/';

const MESSAGES = {
  snippet: 'Ingress "{{name}}" injects raw NGINX configuration ({{annotation}}). Snippets run in the ingress controller, which can read every Secret in the cluster (CVE-2021-25742). Use a dedicated annotation instead.',
};

export default defineRule({
  meta: {
    id: 'ingress-nginx-snippet',
    title: 'ingress-nginx snippet annotation',
    principle: 'credential-protection',
    severity: 'warning',
    kinds: ['Ingress'],
    messages: MESSAGES,
    admission: {
      subject: 'object',
      validations: () => {
        const snippet = `k, k.startsWith(${celString(PREFIX)}) && k.endsWith("-snippet") && !string(object.metadata.annotations[k]).matches("^\\\\s*$")`;
        return [
          {
            expression: `!(has(object.metadata.annotations) && object.metadata.annotations.exists(${snippet}))`,
            messageExpression: celTemplate(MESSAGES.snippet, {
              name: 'has(object.metadata.name) ? object.metadata.name : ""',
              annotation: `object.metadata.annotations.filter(${snippet})[0]`,
            }),
          },
        ];
      },
    },
    docs: {
      what: 'An Ingress sets an ingress-nginx snippet annotation (`configuration-snippet`, `server-snippet`, `auth-snippet`, or another `*-snippet`), which injects raw NGINX configuration into the controller.',
      why: 'Snippets run inside the ingress controller, which can read every Secret in the cluster (all TLS keys, its own service-account token). Anyone allowed to create an Ingress can use them to read those secrets or reroute traffic (CVE-2021-25742); ingress-nginx therefore disables snippet annotations by default and rates them Critical. Accepting them means every namespace that may create an Ingress is trusted with cluster-wide secrets, the opposite of least privilege.',
      fix: 'Replace the snippet with the dedicated annotation or a ConfigMap setting that does the same thing (headers, rewrites, auth), or move the logic into the application. Keep `allow-snippet-annotations: "false"` on the controller.',
      peers: { checkov: ['CKV_K8S_152', 'CKV_K8S_153', 'CKV_K8S_154'], trivy: ['KCV-0093'], kubescape: ['C-0059'] },
      links: ['https://github.com/kubernetes/ingress-nginx/issues/7837', 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations-risk/'],
    },
  },
  check(resource, { report }) {
    for (const [key, value, pair] of resource.metadata?.map('annotations')?.entries() ?? []) {
      if (!key.startsWith(PREFIX) || !key.endsWith('-snippet')) continue;
      if (value === null || String(value).trim() === '') continue;
      report({
        node: pair.key,
        messageId: 'snippet',
        data: { name: resource.name, annotation: key },
      });
    }
  },
});

export const cases: RuleCases = {
  valid: [
    {
      name: 'dedicated annotations and an empty snippet',
      yaml: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
    nginx.ingress.kubernetes.io/configuration-snippet: ""
spec:
  ingressClassName: nginx
  rules: [{host: shop.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
`,
    },
    {
      name: 'another controller\'s snippet-like annotation is not ingress-nginx',
      yaml: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations: {example.com/server-snippet: "gzip on;"}
spec:
  ingressClassName: other
`,
    },
  ],
  invalid: [
    {
      name: 'configuration, server and auth snippets',
      yaml: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    nginx.ingress.kubernetes.io/configuration-snippet: |
      more_set_headers "X-Frame-Options: DENY";
    nginx.ingress.kubernetes.io/server-snippet: "location /admin { deny all; }"
    nginx.ingress.kubernetes.io/auth-snippet: proxy_set_header X-Debug 1;
spec:
  ingressClassName: nginx
`,
      findings: [
        { line: 5, column: 4, endLine: 5, endColumn: 53, message: 'Ingress "shop" injects raw NGINX configuration (nginx.ingress.kubernetes.io/configuration-snippet). Snippets run in the ingress controller', messageId: 'snippet', fixes: [] },
        { line: 7, column: 4, endLine: 7, endColumn: 46, message: '(nginx.ingress.kubernetes.io/server-snippet)', messageId: 'snippet', fixes: [] },
        { line: 8, column: 4, endLine: 8, endColumn: 44, message: '(nginx.ingress.kubernetes.io/auth-snippet)', messageId: 'snippet', fixes: [] },
      ],
    },
    {
      name: 'stream snippet in flow style, second document',
      yaml: `apiVersion: v1
kind: Service
metadata: {name: tcp}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: tcp, annotations: {nginx.ingress.kubernetes.io/stream-snippet: "server { listen 8000; }"}}
`,
      findings: [{ line: 6, column: 36, endLine: 6, endColumn: 78, message: '(nginx.ingress.kubernetes.io/stream-snippet)', messageId: 'snippet', fixes: [] }],
    },
  ],
};
