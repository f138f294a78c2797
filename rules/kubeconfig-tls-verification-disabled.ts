import { defineRule, isKubeconfig, removePair, type RuleCases } from '../server/src/rule-api';

const SKIP_VERIFY = 'Kubeconfig cluster "{{cluster}}" sets insecure-skip-tls-verify: true. Every client using this kubeconfig accepts any certificate from the API server, so anyone on the network path can impersonate it and collect the credentials sent to it. Remove the flag';
const PLAIN_HTTP = 'Kubeconfig cluster "{{cluster}}" is reached over plain HTTP (server: http://…). The API server is not authenticated, and the token or password of every request crosses the network in clear text. Use the cluster\'s https:// endpoint';

export default defineRule({
  meta: {
    id: 'kubeconfig-tls-verification-disabled',
    title: 'Kubeconfig talks to the API server without verifying it',
    principle: 'encryption-in-transit',
    severity: 'error',
    kinds: ['Config'],
    notExported: 'a kubeconfig is a client file, not an object the API server admits.',
    // The variants without a CA in the entry also ask to pin one.
    messages: {
      skipVerify: `${SKIP_VERIFY} (the entry already names a CA).`,
      skipVerifyUnpinned: `${SKIP_VERIFY} and pin the cluster's CA with certificate-authority-data.`,
      plainHttp: `${PLAIN_HTTP}.`,
      plainHttpUnpinned: `${PLAIN_HTTP} with certificate-authority-data.`,
    },
    docs: {
      what: 'A cluster entry of a kubeconfig (`apiVersion: v1`, `kind: Config`, whatever the file is called) sets `insecure-skip-tls-verify: true`, or has a `server` URL in plain `http://` (other than a loopback address, where `kubectl proxy` listens).',
      why: 'A client that does not verify the API server\'s certificate accepts any server: whoever sits on the network path (a compromised node, a rogue Wi-Fi, a DNS hijack) can impersonate the cluster, read every request, and collect the bearer token, password or client certificate handshake the client authenticates with. Over plain HTTP the credentials cross the network in clear text. Zero trust never trusts the network, so every connection to the control plane must authenticate the server. No peer tool among kube-linter, Polaris, Checkov, Trivy and Kubescape reads kubeconfig files.',
      fix: 'Remove `insecure-skip-tls-verify` and pin the cluster\'s CA: `certificate-authority-data` (base64 of the CA certificate, e.g. from `kubectl config view --raw` on a trusted machine, or from the cloud provider\'s cluster description), or `certificate-authority` with a path. Use the `https://` endpoint. The quick fix removes the flag only, keeping the rest of the entry and its comments; when the entry names no CA yet it is offered on request only (fix-all leaves it), since clients then fail until the CA is added.',
      peers: {},
      links: ['https://kubernetes.io/docs/concepts/configuration/organize-cluster-access-kubeconfig/', 'https://kubernetes.io/docs/reference/config-api/kubeconfig.v1/#Cluster'],
    },
  },
  check(resource, { report }) {
    if (!isKubeconfig(resource)) return;
    resource.root.seq('clusters')?.maps().forEach((entry, index) => {
      const cluster = entry.map('cluster');
      if (!cluster) return;
      const data = { cluster: entry.string('name') ?? `clusters[${index}]` };
      const pinned = cluster.has('certificate-authority-data') || cluster.has('certificate-authority');
      const flag = cluster.scalar('insecure-skip-tls-verify');
      if (flag?.value === true) {
        const edit = removePair(cluster, 'insecure-skip-tls-verify');
        report({
          node: flag,
          messageId: pinned ? 'skipVerify' : 'skipVerifyUnpinned',
          data,
          // Without a CA in the entry, clients then check the server against the system's roots and
          // usually fail until one is added: offered on request, never applied by fix-all.
          fixes: edit ? [{ title: 'Remove `insecure-skip-tls-verify`', edits: [edit], ...(pinned ? {} : { manual: true }) }] : [],
        });
      }
      const server = cluster.scalar('server');
      const url = typeof server?.value === 'string' ? server.value.trim() : '';
      // The URL itself is not quoted: it may carry user information.
      if (server && /^http:\/\//i.test(url) && !isLoopback(url)) {
        report({
          node: server,
          messageId: pinned ? 'plainHttp' : 'plainHttpUnpinned',
          data,
        });
      }
    });
  },
});

/** `kubectl proxy` and port-forwards listen on loopback: nothing crosses a network. */
function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host === 'localhost' || /^127(\.\d{1,3}){3}$/.test(host) || host === '::1';
  } catch {
    return false;
  }
}

export const cases: RuleCases = {
  valid: [
    {
      name: 'a pinned CA over HTTPS, kubectl proxy on loopback, and a flag set to false',
      yaml: `apiVersion: v1
kind: Config
clusters:
  - name: prod
    cluster:
      server: https://api.prod.example.com:6443
      certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==
  - name: proxied
    cluster: {server: "http://127.0.0.1:8001"}
  - name: local
    cluster: {server: "http://localhost:8080", insecure-skip-tls-verify: false}
contexts:
  - name: prod
    context: {cluster: prod, user: oidc}
current-context: prod
`,
    },
    {
      name: 'other kinds named Config are not kubeconfigs',
      yaml: `apiVersion: example.com/v1
kind: Config
clusters:
  - name: x
    cluster: {server: "http://api.example.com", insecure-skip-tls-verify: true}
`,
    },
  ],
  invalid: [
    {
      name: 'insecure-skip-tls-verify: the fix removes only the flag and keeps the comments',
      yaml: `apiVersion: v1
kind: Config
clusters:
  - name: staging
    cluster:
      server: https://10.0.0.12:6443
      # TODO: get the CA from the platform team
      insecure-skip-tls-verify: true
      tls-server-name: api.staging.internal   # SNI
users:
  - name: ci
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: kubelogin
        args: [get-token, --oidc-issuer-url=https://login.example.com]
`,
      findings: [
        {
          line: 7, column: 32, endLine: 7, endColumn: 36, message: 'Kubeconfig cluster "staging" sets insecure-skip-tls-verify: true. Every client using this kubeconfig accepts any certificate', messageId: 'skipVerifyUnpinned',
          fixes: [
            {
              title: 'Remove `insecure-skip-tls-verify`',
              output: `apiVersion: v1
kind: Config
clusters:
  - name: staging
    cluster:
      server: https://10.0.0.12:6443
      # TODO: get the CA from the platform team
      tls-server-name: api.staging.internal   # SNI
users:
  - name: ci
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: kubelogin
        args: [get-token, --oidc-issuer-url=https://login.example.com]
`,
              manual: true,
            },
          ],
        },
      ],
    },
    {
      name: 'a flow-style entry that already pins a CA: the flag goes, the rest stays on its line',
      yaml: `apiVersion: v1
kind: Config
clusters: [{name: edge, cluster: {server: "https://edge.example.com", insecure-skip-tls-verify: true, certificate-authority-data: Q0E=}}]
`,
      findings: [
        {
          line: 2, column: 96, endLine: 2, endColumn: 100, message: 'Kubeconfig cluster "edge" sets insecure-skip-tls-verify: true.', messageId: 'skipVerify',
          fixes: [
            {
              title: 'Remove `insecure-skip-tls-verify`',
              output: `apiVersion: v1
kind: Config
clusters: [{name: edge, cluster: {server: "https://edge.example.com", certificate-authority-data: Q0E=}}]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'plain HTTP to a remote server, and a flow-style entry with a CA and the flag (CRLF)',
      yaml: 'apiVersion: v1\r\nkind: Config\r\nclusters:\r\n- name: legacy\r\n  cluster:\r\n    server: http://k8s.example.com:8080\r\n- name: edge\r\n  cluster: {server: "https://edge.example.com", certificate-authority-data: Q0E=, insecure-skip-tls-verify: true}\r\n',
      findings: [
        { line: 5, column: 12, endLine: 5, endColumn: 39, message: 'Kubeconfig cluster "legacy" is reached over plain HTTP', messageId: 'plainHttpUnpinned', fixes: [] },
        {
          line: 7, column: 108, endLine: 7, endColumn: 112, message: 'Remove the flag (the entry already names a CA)', messageId: 'skipVerify',
          fixes: [
            {
              title: 'Remove `insecure-skip-tls-verify`',
              output: 'apiVersion: v1\r\nkind: Config\r\nclusters:\r\n- name: legacy\r\n  cluster:\r\n    server: http://k8s.example.com:8080\r\n- name: edge\r\n  cluster: {server: "https://edge.example.com", certificate-authority-data: Q0E=}\r\n',
            },
          ],
        },
      ],
    },
    {
      name: 'plain HTTP to an unnamed entry that names a CA file: only https is asked for',
      yaml: `apiVersion: v1
kind: Config
clusters:
  - cluster: {server: "http://10.1.2.3:8080", certificate-authority: /etc/kubernetes/ca.crt}
`,
      findings: [{ line: 3, column: 22, endLine: 3, endColumn: 44, message: 'Kubeconfig cluster "clusters[0]" is reached over plain HTTP (server: http://…). The API server is not authenticated, and the token or password of every request crosses the network in clear text. Use the cluster\'s https:// endpoint.', messageId: 'plainHttp', fixes: [] }],
    },
  ],
};
