import { describeScope, evaluate, omitsEveryStage, readAuditPolicy, ruleLabel, verbsOf, withVerbs, type AuditPolicyModel, type AuditRule, type Box, type RequestClass } from '../server/src/analysis/audit';
import { insertAuditRule, type NewAuditRule } from '../server/src/fixes';
import { defineRule, isAuditPolicy, type FixSpec, type RuleCases } from '../server/src/rule-api';

const READS = ['get', 'list', 'watch'];
const WRITES = ['create', 'update', 'patch'];
const ALL_VERBS = [...READS, ...WRITES, 'delete', 'deletecollection'];

/** Requests whose bodies hold credentials, and the verbs whose request (`Request`) or response (`RequestResponse`) body does. */
interface Sensitive {
  requests: RequestClass;
  inRequest: readonly string[];
  inResponse: readonly string[];
  /** What the log then holds, given the verbs that reach it. */
  holds(verbs: readonly string[]): string;
}

const SECRETS: Sensitive = {
  requests: { label: 'secrets', group: '', resource: 'secrets', subresource: '', verbs: ALL_VERBS },
  inRequest: WRITES,
  // A read returns the values; a write or delete echoes the object back.
  inResponse: ALL_VERBS,
  holds: (verbs) => `the values of Secrets ${verbPhrase(verbs)}`,
};
const TOKEN_REVIEWS: Sensitive = {
  requests: { label: 'tokenreviews', group: 'authentication.k8s.io', resource: 'tokenreviews', subresource: '', verbs: ['create'], clusterScoped: true },
  inRequest: ['create'],
  inResponse: ['create'],
  holds: () => 'the bearer tokens sent for review (TokenReview spec.token)',
};
const SERVICE_ACCOUNT_TOKENS: Sensitive = {
  requests: { label: 'serviceaccounts/token', group: '', resource: 'serviceaccounts', subresource: 'token', verbs: ['create'] },
  inRequest: [],
  inResponse: ['create'],
  holds: () => 'the ServiceAccount tokens the API server issues (serviceaccounts/token responses)',
};
const CONFIG_MAPS: Sensitive = {
  requests: { label: 'configmaps', group: '', resource: 'configmaps', subresource: '', verbs: ALL_VERBS },
  inRequest: WRITES,
  inResponse: ALL_VERBS,
  holds: (verbs) => `the contents of ConfigMaps ${verbPhrase(verbs)}, which may hold credentials (connection strings, API keys, tokens)`,
};

const CREDENTIALS = [SECRETS, TOKEN_REVIEWS, SERVICE_ACCOUNT_TOKENS];
const EXPOSURE = 'everyone who can read the audit log, its backups or the pipeline that ships it can read them';

export default defineRule({
  meta: {
    id: 'audit-policy-logs-secret-values',
    title: 'Audit policy writes Secret values into the log',
    principle: 'credential-protection',
    severity: 'error',
    kinds: ['Policy'],
    notExported: 'an audit Policy is a file the API server reads at startup (`--audit-policy-file`), not an object it admits.',
    // {{rule}} is the first rule to match {{requests}} (their resources and scope); {{contents}}: what their bodies hold.
    messages: {
      credentials: `{{rule}} of the audit policy writes credentials into the log (level: {{level}}). It is the first rule to match requests on {{requests}}; it logs {{contents}}, and ${EXPOSURE}. Log {{resources}} at Metadata in a rule before it.`,
      configMaps: `{{rule}} of the audit policy writes ConfigMap contents into the log (level: {{level}}). It is the first rule to match requests on {{requests}}; it logs {{contents}}, and ${EXPOSURE}. Log configmaps at Metadata unless you know they hold none.`,
    },
    docs: {
      what: 'An API server audit policy (`audit.k8s.io/v1` `Policy`) whose first matching rule for requests on `secrets` (core group), `tokenreviews` (authentication.k8s.io) or `serviceaccounts/token` is at level `Request` or `RequestResponse`, so that the request or response body, with the credential in it, is written into the audit log; `configmaps` likewise at info severity. Rules are read as the API server reads them: in order, the first match wins, with `users`, `userGroups`, `verbs`, `namespaces` (`""` is a request across all namespaces), `resources` with `group`, `resourceNames`, `*`, `pods/*` and `*/exec`, and `omitStages` (a rule that omits every stage writes nothing). A rule limited to some users is reported: their requests are logged with bodies. A `Request` rule that only sees reads or deletes is not: those requests carry no body.',
      why: 'The audit log is a copy of the cluster\'s activity kept for a long time and shipped to other systems (a SIEM, a log bucket, a vendor), usually readable by many more people than the Secrets themselves. A policy that records Secret requests with their bodies turns every Secret created, changed or read into plain text in that log, where no RBAC rule guards it any more; TokenReviews carry live bearer tokens and `serviceaccounts/token` responses freshly issued ones. CIS Kubernetes Benchmark 3.2.2 and the upstream guidance are to log these resources at `Metadata` only.',
      fix: 'Add a rule at `Metadata` for `secrets`, `serviceaccounts/token`, `tokenreviews` (and `configmaps`) before the rule that logs them with bodies, as the example policy of the Kubernetes documentation and the GCE policy of kubernetes/kubernetes (`cluster/gce`) do. The quick fix inserts it right before that rule, in the policy\'s indentation, keeping every comment. Then rotate the credentials already in the log, or purge it.',
      peers: { kubescape: ['C-0161'] },
      links: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy', 'https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-Policy'],
    },
  },
  check(resource, { report }) {
    if (!isAuditPolicy(resource)) return;
    const policy = readAuditPolicy(resource);
    const leaks = new Map<AuditRule, Array<{ sensitive: Sensitive; boxes: Box[] }>>();
    for (const sensitive of [...CREDENTIALS, CONFIG_MAPS]) {
      for (const { rule, boxes } of evaluate(policy, sensitive.requests)?.matches ?? []) {
        const verbs = rule.level === 'RequestResponse' ? sensitive.inResponse : rule.level === 'Request' ? sensitive.inRequest : [];
        if (verbs.length === 0 || omitsEveryStage(rule.omitStages)) continue;
        const leaking = withVerbs(boxes, (verb) => verbs.includes(verb));
        if (leaking.length) leaks.set(rule, [...(leaks.get(rule) ?? []), { sensitive, boxes: leaking }]);
      }
    }
    for (const [rule, found] of leaks) {
      const credentials = found.filter((f) => f.sensitive !== CONFIG_MAPS);
      const configMaps = found.filter((f) => f.sensitive === CONFIG_MAPS);
      if (credentials.length) {
        report({
          node: rule.node,
          messageId: 'credentials',
          data: { ...describeRule(rule, credentials), contents: list(credentials.map((f) => f.sensitive.holds(verbsOf(f.boxes)))), resources: labels(credentials) },
          fixes: () => metadataRuleBefore(policy, rule, credentials.map((f) => f.sensitive)),
        });
      }
      if (configMaps.length) {
        report({
          node: rule.node,
          severity: 'info',
          messageId: 'configMaps',
          data: { ...describeRule(rule, configMaps), contents: configMaps[0].sensitive.holds(verbsOf(configMaps[0].boxes)) },
          fixes: () => metadataRuleBefore(policy, rule, [CONFIG_MAPS]),
        });
      }
    }
  },
});

/** The rule's label and level, and the requests it is the first to match: their resources, then their scope if any. */
function describeRule(rule: AuditRule, found: Array<{ sensitive: Sensitive; boxes: Box[] }>): { rule: string; level: string; requests: string } {
  const scopes = found.map((f) => describeScope(f.boxes, f.sensitive.requests)).filter(Boolean);
  const who = scopes.length ? ` ${scopes[0]}` : '';
  return { rule: ruleLabel(rule), level: String(rule.level), requests: `${labels(found)}${who}` };
}

/** "a, b and c": the resources found. */
function labels(found: Array<{ sensitive: Sensitive }>): string {
  return list(found.map((f) => f.sensitive.requests.label));
}

/** "created, changed or read": what happens to the objects whose bodies reach the log. */
function verbPhrase(verbs: readonly string[]): string {
  const words: Record<string, string> = { create: 'created', update: 'changed', patch: 'changed', get: 'read', list: 'read', watch: 'read', delete: 'deleted', deletecollection: 'deleted' };
  const said = new Set(verbs.map((v) => words[v]));
  const parts = ['created', 'changed', 'read', 'deleted'].filter((word) => said.has(word));
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}` : parts[0] ?? 'requested';
}

/** "a, b and c" */
function list(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : items[0] ?? '';
}

function metadataRuleBefore(policy: AuditPolicyModel, rule: AuditRule, sensitive: Sensitive[]): FixSpec[] {
  const groups = new Map<string, string[]>();
  for (const s of sensitive) groups.set(s.requests.group, [...(groups.get(s.requests.group) ?? []), s.requests.label]);
  const labels = sensitive.map((s) => s.requests.label);
  const added: NewAuditRule = {
    level: 'Metadata',
    resources: [...groups].map(([group, resources]) => ({ group, resources })),
    comment: sensitive.includes(CONFIG_MAPS) ? 'ConfigMaps may hold credentials: who and when, never their contents.' : 'Credentials: who and when, never their values.',
  };
  const edits = insertAuditRule(policy, rule.index, added);
  return edits ? [{ title: `Log ${labels.join(', ')} at Metadata before ${ruleLabel(rule)}`, edits }] : [];
}

const UPSTREAM_EXAMPLE = `apiVersion: audit.k8s.io/v1 # This is required.
kind: Policy
# Don't generate audit events for all requests in RequestReceived stage.
omitStages:
  - "RequestReceived"
rules:
  # Log pod changes at RequestResponse level
  - level: RequestResponse
    resources:
    - group: ""
      # Resource "pods" doesn't match requests to any subresource of pods,
      # which is consistent with the RBAC policy.
      resources: ["pods"]
  # Log "pods/log", "pods/status" at Metadata level
  - level: Metadata
    resources:
    - group: ""
      resources: ["pods/log", "pods/status"]

  # Don't log requests to a configmap called "controller-leader"
  - level: None
    resources:
    - group: ""
      resources: ["configmaps"]
      resourceNames: ["controller-leader"]

  # Log the request body of configmap changes in kube-system.
  - level: Request
    resources:
    - group: "" # core API group
      resources: ["configmaps"]
    # This rule only applies to resources in the "kube-system" namespace.
    # The empty string "" can be used to select non-namespaced resources.
    namespaces: ["kube-system"]

  # Log configmap and secret changes in all other namespaces at the Metadata level.
  - level: Metadata
    resources:
    - group: "" # core API group
      resources: ["secrets", "configmaps"]

  # Log all other resources in core and extensions at the Request level.
  - level: Request
    resources:
    - group: "" # core API group
    - group: "extensions" # Version of group should NOT be included.

  # A catch-all rule to log all other requests at the Metadata level.
  - level: Metadata
    # Long-running requests like watches that fall under this rule will not
    # generate an audit event in RequestReceived.
    omitStages:
      - "RequestReceived"
`;

export const cases: RuleCases = {
  valid: [
    {
      name: 'Secrets at Metadata before a RequestResponse catch-all: the catch-all never sees them',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
    resources:
      - group: ""
        resources: [secrets, configmaps, serviceaccounts/token]
      - group: authentication.k8s.io
        resources: [tokenreviews]
  - level: RequestResponse
`,
    },
    {
      name: 'rules that can never match a Secret request: another group, non-resource URLs, other resources, subresource forms that need a subresource',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse
    resources: [{group: example.com, resources: [secrets]}]
  - level: RequestResponse
    nonResourceURLs: ["/api*", "/version"]
  - level: RequestResponse
    resources: [{group: "", resources: [pods, "*/exec", serviceaccounts]}]
  - level: Request
    verbs: [get, list, watch, delete, deletecollection]
  - level: Metadata
`,
    },
    {
      name: 'a RequestResponse rule that omits every stage writes nothing; a Request rule for deletecollection carries no values (the GCE policy of kubernetes/kubernetes)',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Request
    users: ["system:serviceaccount:kube-system:namespace-controller"]
    verbs: ["deletecollection"]
    omitStages: ["RequestReceived"]
  - level: RequestResponse
    resources: [{group: "", resources: [secrets]}]
    omitStages: [RequestReceived, ResponseStarted, ResponseComplete, Panic]
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets", "configmaps", "serviceaccounts/token"]
      - group: authentication.k8s.io
        resources: ["tokenreviews"]
    omitStages: ["RequestReceived"]
  - level: RequestResponse
    omitStages: ["RequestReceived"]
`,
    },
    {
      name: 'earlier rules that together cover every Secret request: named verbs, then the collection verbs, then the rest',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    verbs: [get, update, patch, delete]
    resources: [{group: "*", resources: ["*"]}]
  - level: None
    verbs: [list, watch]
    resources: [{group: "", resources: [secrets]}]
  - level: Metadata
    verbs: [create, deletecollection]
  - level: RequestResponse
    resources: [{group: "", resources: [secrets]}]
`,
    },
  ],
  invalid: [
    {
      name: 'a RequestResponse catch-all before the Metadata rule for Secrets: the catch-all wins; the fix inserts a Metadata rule before it',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  # Everything, with bodies.
  - level: RequestResponse
  # Too late: the rule above already matched.
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets"]
`,
      findings: [
        {
          line: 4, column: 11, endLine: 4, endColumn: 26, message: 'rules[0] of the audit policy writes credentials into the log (level: RequestResponse). It is the first rule to match requests on secrets, tokenreviews and serviceaccounts/token; it logs the values of Secrets created, changed, read or deleted, the bearer tokens sent for review (TokenReview spec.token) and the ServiceAccount tokens the API server issues', messageId: 'credentials',
          fixes: [
            {
              title: 'Log secrets, tokenreviews, serviceaccounts/token at Metadata before rules[0]',
              output: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  # Credentials: who and when, never their values.
  - level: Metadata
    resources:
      - group: ""
        resources: [secrets, serviceaccounts/token]
      - group: authentication.k8s.io
        resources: [tokenreviews]
  # Everything, with bodies.
  - level: RequestResponse
  # Too late: the rule above already matched.
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets"]
`,
            },
          ],
        },
        {
          line: 4, column: 11, endLine: 4, endColumn: 26, message: 'the contents of ConfigMaps created, changed, read or deleted, which may hold credentials', messageId: 'configMaps',
          fixes: [
            {
              title: 'Log configmaps at Metadata before rules[0]',
              output: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  # ConfigMaps may hold credentials: who and when, never their contents.
  - level: Metadata
    resources:
      - group: ""
        resources: [configmaps]
  # Everything, with bodies.
  - level: RequestResponse
  # Too late: the rule above already matched.
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets"]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'a rule limited to some users still logs their requests with bodies; kubectl-style indentation is kept',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: RequestResponse
  users: ["alice"]
  resources:
  - group: ""
    resources: ["secrets"]
- level: Metadata
`,
      findings: [
        {
          line: 3, column: 9, endLine: 3, endColumn: 24, message: 'match requests on secrets by user alice;', messageId: 'credentials',
          fixes: [
            {
              title: 'Log secrets at Metadata before rules[0]',
              output: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
# Credentials: who and when, never their values.
- level: Metadata
  resources:
  - group: ""
    resources: [secrets]
- level: RequestResponse
  users: ["alice"]
  resources:
  - group: ""
    resources: ["secrets"]
- level: Metadata
`,
            },
          ],
        },
      ],
    },
    {
      name: 'an earlier Metadata rule limited to one namespace and to one name lets the other Secrets through to Request',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    namespaces: [prod]
    resources: [{group: "", resources: [secrets]}]
  - level: None
    resources: [{group: "", resources: [secrets], resourceNames: [leader-lock]}]
  - level: Request
    resources: [{group: "*"}]
`,
      findings: [
        {
          line: 8, column: 11, endLine: 8, endColumn: 18, message: 'rules[2] of the audit policy writes credentials into the log (level: Request). It is the first rule to match requests on secrets and tokenreviews; it logs the values of Secrets created or changed and the bearer tokens', messageId: 'credentials',
          fixes: [
            {
              title: 'Log secrets, tokenreviews at Metadata before rules[2]',
              output: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    namespaces: [prod]
    resources: [{group: "", resources: [secrets]}]
  - level: None
    resources: [{group: "", resources: [secrets], resourceNames: [leader-lock]}]
  # Credentials: who and when, never their values.
  - level: Metadata
    resources:
      - group: ""
        resources: [secrets]
      - group: authentication.k8s.io
        resources: [tokenreviews]
  - level: Request
    resources: [{group: "*"}]
`,
            },
          ],
        },
        {
          line: 8, column: 11, endLine: 8, endColumn: 18, message: 'rules[2] of the audit policy writes ConfigMap contents into the log (level: Request).', messageId: 'configMaps',
          fixes: [
            {
              title: 'Log configmaps at Metadata before rules[2]',
              output: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    namespaces: [prod]
    resources: [{group: "", resources: [secrets]}]
  - level: None
    resources: [{group: "", resources: [secrets], resourceNames: [leader-lock]}]
  # ConfigMaps may hold credentials: who and when, never their contents.
  - level: Metadata
    resources:
      - group: ""
        resources: [configmaps]
  - level: Request
    resources: [{group: "*"}]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'a list across all namespaces has the namespace "": a rule for "" matches it; omitting only some stages still logs',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules: [{level: RequestResponse, namespaces: [""], omitStages: [RequestReceived, Panic]}, {level: Metadata}]
`,
      findings: [
        {
          line: 2, column: 16, endLine: 2, endColumn: 31, message: 'match requests on secrets and tokenreviews across all namespaces; it logs the values of Secrets read', messageId: 'credentials',
          fixes: [
            {
              title: 'Log secrets, tokenreviews at Metadata before rules[0]',
              output: `apiVersion: audit.k8s.io/v1
kind: Policy
rules: [{level: Metadata, resources: [{group: "", resources: [secrets]}, {group: authentication.k8s.io, resources: [tokenreviews]}]}, {level: RequestResponse, namespaces: [""], omitStages: [RequestReceived, Panic]}, {level: Metadata}]
`,
            },
          ],
        },
        {
          line: 2, column: 16, endLine: 2, endColumn: 31, message: 'the contents of ConfigMaps read', messageId: 'configMaps',
          fixes: [
            {
              title: 'Log configmaps at Metadata before rules[0]',
              output: `apiVersion: audit.k8s.io/v1
kind: Policy
rules: [{level: Metadata, resources: [{group: "", resources: [configmaps]}]}, {level: RequestResponse, namespaces: [""], omitStages: [RequestReceived, Panic]}, {level: Metadata}]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'the example policy of the Kubernetes documentation logs ConfigMap bodies in kube-system (info)',
      yaml: UPSTREAM_EXAMPLE,
      findings: [
        {
          line: 27, column: 11, endLine: 27, endColumn: 18, message: 'configmaps in namespace kube-system; it logs the contents of ConfigMaps created or changed', messageId: 'configMaps',
          fixes: [
            {
              title: 'Log configmaps at Metadata before rules[3]',
              output: `apiVersion: audit.k8s.io/v1 # This is required.
kind: Policy
# Don't generate audit events for all requests in RequestReceived stage.
omitStages:
  - "RequestReceived"
rules:
  # Log pod changes at RequestResponse level
  - level: RequestResponse
    resources:
    - group: ""
      # Resource "pods" doesn't match requests to any subresource of pods,
      # which is consistent with the RBAC policy.
      resources: ["pods"]
  # Log "pods/log", "pods/status" at Metadata level
  - level: Metadata
    resources:
    - group: ""
      resources: ["pods/log", "pods/status"]

  # Don't log requests to a configmap called "controller-leader"
  - level: None
    resources:
    - group: ""
      resources: ["configmaps"]
      resourceNames: ["controller-leader"]

  # ConfigMaps may hold credentials: who and when, never their contents.
  - level: Metadata
    resources:
      - group: ""
        resources: [configmaps]
  # Log the request body of configmap changes in kube-system.
  - level: Request
    resources:
    - group: "" # core API group
      resources: ["configmaps"]
    # This rule only applies to resources in the "kube-system" namespace.
    # The empty string "" can be used to select non-namespaced resources.
    namespaces: ["kube-system"]

  # Log configmap and secret changes in all other namespaces at the Metadata level.
  - level: Metadata
    resources:
    - group: "" # core API group
      resources: ["secrets", "configmaps"]

  # Log all other resources in core and extensions at the Request level.
  - level: Request
    resources:
    - group: "" # core API group
    - group: "extensions" # Version of group should NOT be included.

  # A catch-all rule to log all other requests at the Metadata level.
  - level: Metadata
    # Long-running requests like watches that fall under this rule will not
    # generate an audit event in RequestReceived.
    omitStages:
      - "RequestReceived"
`,
            },
          ],
        },
      ],
    },
    {
      name: 'subresource and group wildcards: `*` in any group matches TokenReviews',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources: [{group: "", resources: ["secrets", "configmaps", "serviceaccounts/*"]}]
  - level: Request
    resources: [{group: "*", resources: ["*"]}]
`,
      findings: [
        {
          line: 5, column: 11, endLine: 5, endColumn: 18, message: 'requests on tokenreviews;', messageId: 'credentials',
          fixes: [
            {
              title: 'Log tokenreviews at Metadata before rules[1]',
              output: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources: [{group: "", resources: ["secrets", "configmaps", "serviceaccounts/*"]}]
  # Credentials: who and when, never their values.
  - level: Metadata
    resources:
      - group: authentication.k8s.io
        resources: [tokenreviews]
  - level: Request
    resources: [{group: "*", resources: ["*"]}]
`,
            },
          ],
        },
      ],
    },
  ],
};
