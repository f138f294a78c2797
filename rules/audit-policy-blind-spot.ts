import type { Node } from 'yaml';
import { describeScope, evaluate, isLongRunning, readAuditPolicy, recordsCompletedRequest, ruleLabel, verbsOf, withVerbs, type AuditPolicyModel, type AuditRule, type Box, type RequestClass } from '../server/src/analysis/audit';
import { insertAuditRule } from '../server/src/fixes';
import { defineRule, isAuditPolicy, type FixSpec, type RuleCases } from '../server/src/rule-api';

const RBAC = 'rbac.authorization.k8s.io';
const WRITES = ['create', 'update', 'patch', 'delete', 'deletecollection'];
/** kubectl sends exec, attach and port-forward as `create` (POST), or as `get` when it upgrades to a WebSocket. */
const CONNECT = ['create', 'get'];

type Family = 'pods' | 'secrets' | 'tokens' | 'rbac';

/** What an attacker with a stolen credential does first, and what the audit log must show. */
const WATCHED: Array<RequestClass & { family: Family }> = [
  { family: 'pods', label: 'pods/exec', group: '', resource: 'pods', subresource: 'exec', verbs: CONNECT },
  { family: 'pods', label: 'pods/attach', group: '', resource: 'pods', subresource: 'attach', verbs: CONNECT },
  { family: 'pods', label: 'pods/portforward', group: '', resource: 'pods', subresource: 'portforward', verbs: CONNECT },
  { family: 'secrets', label: 'secrets', group: '', resource: 'secrets', subresource: '', verbs: ['get', 'list', 'watch'] },
  { family: 'tokens', label: 'serviceaccounts/token', group: '', resource: 'serviceaccounts', subresource: 'token', verbs: ['create'] },
  { family: 'rbac', label: 'roles', group: RBAC, resource: 'roles', subresource: '', verbs: WRITES },
  { family: 'rbac', label: 'clusterroles', group: RBAC, resource: 'clusterroles', subresource: '', verbs: WRITES, clusterScoped: true },
  { family: 'rbac', label: 'rolebindings', group: RBAC, resource: 'rolebindings', subresource: '', verbs: WRITES },
  { family: 'rbac', label: 'clusterrolebindings', group: RBAC, resource: 'clusterrolebindings', subresource: '', verbs: WRITES, clusterScoped: true },
];

const FAMILY_VERBS: ReadonlyArray<[Family, string]> = [
  ['pods', 'gets into pods'],
  ['secrets', 'reads Secrets'],
  ['tokens', 'requests tokens'],
  ['rbac', 'changes RBAC'],
];

const ATTACKER = 'These are the requests of someone using a stolen credential: getting into containers, reading Secrets, minting tokens, granting themselves more rights.';

/** "a, b or c" */
function list(items: readonly string[], last: string): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}` : items[0] ?? '';
}

/** Requests of one watched class that nothing records, and the first rule (or the end of the rules) they fall to. */
interface Gap {
  requests: (typeof WATCHED)[number];
  boxes: Box[];
  /** Position in `rules` of the rule that swallows them first; the number of rules when no rule matches. */
  at: number;
  rule?: AuditRule;
}

export default defineRule({
  meta: {
    id: 'audit-policy-blind-spot',
    title: 'Audit policy does not record what attackers do',
    principle: 'monitoring',
    severity: 'warning',
    kinds: ['Policy'],
    notExported: 'an audit Policy is a file the API server reads at startup (`--audit-policy-file`), not an object it admits.',
    // {{families}}: what those requests do ("gets into pods or reads Secrets"); {{missing}}: the watched requests nothing
    // records; {{where}}: the rules (or the lack of one) that let them through.
    messages: {
      notRecorded: `The audit policy misses who {{families}}. It does not record {{missing}}: {{where}}. ${ATTACKER} Record them at Metadata in a rule before {{rule}}.`,
      notRecordedByAnyRule: `The audit policy misses who {{families}}. It does not record {{missing}}: {{where}}. ${ATTACKER} Record them at Metadata in a rule before the end of the rules.`,
      policyOmitsStages: `The audit policy's omitStages drop both RequestReceived and ResponseComplete. No rule records a request that completes, so it does not record {{missing}}. ${ATTACKER} Drop RequestReceived or ResponseComplete from the policy's omitStages.`,
    },
    docs: {
      what: 'An API server audit policy (`audit.k8s.io/v1` `Policy`) in which some request of these kinds has no first matching rule at `Metadata` or above: `pods/exec`, `pods/attach`, `pods/portforward` (`create`, or `get` over WebSocket), `get`/`list`/`watch` on `secrets`, `create` on `serviceaccounts/token`, and writes to `roles`, `clusterroles`, `rolebindings` and `clusterrolebindings`. Rules are read as the API server reads them: in order, the first match wins (a `level: None` rule for some users or namespaces hides their requests), with `resources`, `*`, `pods/*`, `*/exec`, `verbs`, `namespaces`, `nonResourceURLs`, and `omitStages` (a rule that drops both `RequestReceived` and `ResponseComplete` records nothing of a short request). A request no rule matches is not logged.',
      why: 'Zero trust assumes a credential will be stolen and relies on seeing it used. Once inside, an attacker runs commands in containers, forwards ports into the network, reads Secrets, mints ServiceAccount tokens and binds themselves to a stronger role: with no record of those requests, an intrusion cannot be detected, scoped or proven afterwards. A policy that ends with `level: None` to save log volume is blind exactly there. CIS Kubernetes Benchmark 3.2.2 asks the audit policy to cover Secrets, `pods/exec` and `pods/portforward`. Kubescape\'s C-0161 checks the same area by resource name, without rule order; Checkov\'s CKV_K8S_91 to CKV_K8S_94 check the kube-apiserver flags that turn the audit log on, which this rule assumes.',
      fix: 'Add a rule at `Metadata` (who, what, when, from where; no bodies) for these resources before the first rule that swallows them, usually the `level: None` catch-all. The quick fix inserts it there, in the policy\'s indentation and keeping every comment; it records every verb on the listed resources (narrow it with `verbs` if reads of RBAC objects are too many).',
      peers: { kubescape: ['C-0161'] },
      links: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/', 'https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-PolicyRule'],
    },
  },
  check(resource, { report }) {
    if (!isAuditPolicy(resource)) return;
    const policy = readAuditPolicy(resource);
    const end = policy.rulesSeq?.node.items.length ?? 0;
    const gaps: Gap[] = [];
    for (const requests of WATCHED) {
      const evaluation = evaluate(policy, requests);
      if (!evaluation) continue;
      for (const { rule, boxes } of evaluation.matches) {
        const missed = rule.level === 'None' ? boxes : withVerbs(boxes, (verb) => !recordsCompletedRequest(rule.omitStages, isLongRunning(verb, requests)));
        if (missed.length) gaps.push({ requests, boxes: missed, at: rule.index, rule });
      }
      if (evaluation.unmatched.length) gaps.push({ requests, boxes: evaluation.unmatched, at: end });
    }
    if (gaps.length === 0) return;
    const first = gaps.reduce((a, b) => (b.at < a.at ? b : a));
    const missing = WATCHED.filter((requests) => gaps.some((g) => g.requests === requests));
    const policyStages = !recordsCompletedRequest(policy.omitStages, false);
    const fallback = resource.root.keyNode('rules') ?? resource.root.keyNode('kind') ?? (resource.root.node as Node);
    const data = { families: familyVerbs(missing), missing: describeMissing(missing, gaps) };
    if (policyStages) {
      report({ node: resource.root.keyNode('omitStages') ?? fallback, messageId: 'policyOmitsStages', data, fixes: [] });
      return;
    }
    report({
      node: first.rule?.node ?? fallback,
      ...(first.rule
        ? { messageId: 'notRecorded', data: { ...data, where: describeWhere(gaps), rule: ruleLabel(first.rule) } }
        : { messageId: 'notRecordedByAnyRule', data: { ...data, where: describeWhere(gaps) } }),
      fixes: () => fixes(policy, first, missing),
    });
  },
});

/** "gets into pods, reads Secrets or changes RBAC": what the missing requests do. */
function familyVerbs(missing: Array<(typeof WATCHED)[number]>): string {
  return list(FAMILY_VERBS.filter(([family]) => missing.some((m) => m.family === family)).map(([, verb]) => verb), 'or');
}

function describeMissing(missing: Array<(typeof WATCHED)[number]>, gaps: Gap[]): string {
  const detail = (requests: (typeof WATCHED)[number]) => {
    const boxes = gaps.filter((g) => g.requests === requests).flatMap((g) => g.boxes);
    const verbs = verbsOf(boxes);
    return { label: `${requests.label}${verbs.length < requests.verbs.length ? ` (${verbs.join(', ')})` : ''}`, scope: describeScope(boxes, requests) };
  };
  const details = new Map(missing.map((m) => [m, detail(m)]));
  // One scope for all of them (one user, one namespace…) is said once, at the end.
  const scopes = new Set([...details.values()].map((d) => d.scope));
  const common = scopes.size === 1 ? [...scopes][0] : '';
  const item = (m: (typeof WATCHED)[number]) => {
    const d = details.get(m)!;
    return d.scope && !common ? `${d.label} ${d.scope}` : d.label;
  };
  const phrases: string[] = [];
  const of = (family: Family) => missing.filter((m) => m.family === family).map(item);
  const pods = of('pods');
  if (pods.length) phrases.push(pods.join(', '));
  const secrets = of('secrets');
  if (secrets.length) phrases.push(`reads of ${secrets.join(', ')}`);
  const tokens = of('tokens');
  if (tokens.length) phrases.push(`token requests to ${tokens.join(', ')}`);
  const rbac = of('rbac');
  if (rbac.length) phrases.push(`changes to ${rbac.join(', ')}`);
  const all = phrases.length > 1 ? `${phrases.slice(0, -1).join('; ')}; nor ${phrases[phrases.length - 1]}` : phrases[0];
  return common ? `${all} (requests ${common})` : all;
}

function describeWhere(gaps: Gap[]): string {
  const places: string[] = [];
  const seen = new Set<number>();
  for (const gap of [...gaps].sort((a, b) => a.at - b.at)) {
    if (seen.has(gap.at)) continue;
    seen.add(gap.at);
    if (!gap.rule) places.push('no rule matches them, and the API server logs nothing for such requests');
    else if (gap.rule.level === 'None') places.push(`${ruleLabel(gap.rule)} (level: None) is the first rule to match them`);
    else places.push(`${ruleLabel(gap.rule)} matches them first and omits the stages they would be logged at`);
  }
  return places.join('; ');
}

function fixes(policy: AuditPolicyModel, first: Gap, missing: Array<(typeof WATCHED)[number]>): FixSpec[] {
  const core = missing.filter((m) => m.group === '').map((m) => m.label);
  const rbac = missing.filter((m) => m.group === RBAC).map((m) => m.label);
  const edits = insertAuditRule(policy, first.at, {
    level: 'Metadata',
    resources: [...(core.length ? [{ group: '', resources: core }] : []), ...(rbac.length ? [{ group: RBAC, resources: rbac }] : [])],
    comment: `Who ${familyVerbs(missing)}: logged without bodies.`,
  });
  return edits ? [{ title: `Record ${missing.map((m) => m.label).join(', ')} at Metadata before ${first.rule ? ruleLabel(first.rule) : 'the end of the rules'}`, edits }] : [];
}

export const cases: RuleCases = {
  valid: [
    {
      name: 'a Metadata catch-all records everything it is the first to match',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    users: ["system:kube-proxy"]
    verbs: ["watch"]
    resources: [{group: "", resources: ["endpoints", "services"]}]
  - level: None
    nonResourceURLs: ["/healthz*", "/version"]
  - level: Metadata
`,
    },
    {
      name: 'a None catch-all after rules that record every watched request; subresource forms `pods/*` and `*/exec`, group `*`',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources:
      - group: ""
        resources: ["pods/*", "*/attach", "*/exec", "secrets", "serviceaccounts/token"]
  - level: RequestResponse
    verbs: [create, update, patch, delete, deletecollection]
    resources: [{group: "*", resources: ["roles", "clusterroles", "rolebindings", "clusterrolebindings"]}]
  - level: None
`,
    },
    {
      name: 'long-running requests are still logged at ResponseStarted; a catch-all that omits RequestReceived still records',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    verbs: [watch]
    resources: [{group: "", resources: [secrets]}]
    omitStages: [RequestReceived, ResponseComplete]
  - level: Metadata
    omitStages: [RequestReceived]
`,
    },
  ],
  invalid: [
    {
      name: 'a None catch-all swallows everything not recorded before it: the fix inserts a Metadata rule above it and its comment',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  # Changes to workloads, with bodies.
  - level: RequestResponse
    verbs: [create, update, patch, delete]
    resources:
      - group: apps
        resources: [deployments, statefulsets, daemonsets]
  # Nothing else: saves log volume.
  - level: None
`,
      findings: [
        {
          line: 10, column: 11, endLine: 10, endColumn: 15, message: 'The audit policy misses who gets into pods, reads Secrets, requests tokens or changes RBAC. It does not record pods/exec, pods/attach, pods/portforward; reads of secrets; token requests to serviceaccounts/token; nor changes to roles, clusterroles, rolebindings, clusterrolebindings: rules[1] (level: None) is the first rule to match them', messageId: 'notRecorded',
          fixes: [
            {
              title: 'Record pods/exec, pods/attach, pods/portforward, secrets, serviceaccounts/token, roles, clusterroles, rolebindings, clusterrolebindings at Metadata before rules[1]',
              output: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  # Changes to workloads, with bodies.
  - level: RequestResponse
    verbs: [create, update, patch, delete]
    resources:
      - group: apps
        resources: [deployments, statefulsets, daemonsets]
  # Who gets into pods, reads Secrets, requests tokens or changes RBAC: logged without bodies.
  - level: Metadata
    resources:
      - group: ""
        resources: [pods/exec, pods/attach, pods/portforward, secrets, serviceaccounts/token]
      - group: rbac.authorization.k8s.io
        resources: [roles, clusterroles, rolebindings, clusterrolebindings]
  # Nothing else: saves log volume.
  - level: None
`,
            },
          ],
        },
      ],
    },
    {
      name: 'order matters: a None rule for one user before the Metadata catch-all hides that user; `pods` does not match `pods/exec`',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
  resources:
  - group: ""
    resources: ["pods"]
- level: None
  users: ["system:serviceaccount:ci:deployer"]
- level: Metadata
`,
      findings: [
        {
          line: 7, column: 9, endLine: 7, endColumn: 13, message: 'does not record pods/exec, pods/attach, pods/portforward; reads of secrets; token requests to serviceaccounts/token; nor changes to roles, clusterroles, rolebindings, clusterrolebindings (requests by user system:serviceaccount:ci:deployer): rules[1] (level: None) is the first rule to match them', messageId: 'notRecorded',
          fixes: [
            {
              title: 'Record pods/exec, pods/attach, pods/portforward, secrets, serviceaccounts/token, roles, clusterroles, rolebindings, clusterrolebindings at Metadata before rules[1]',
              output: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: Metadata
  resources:
  - group: ""
    resources: ["pods"]
# Who gets into pods, reads Secrets, requests tokens or changes RBAC: logged without bodies.
- level: Metadata
  resources:
  - group: ""
    resources: [pods/exec, pods/attach, pods/portforward, secrets, serviceaccounts/token]
  - group: rbac.authorization.k8s.io
    resources: [roles, clusterroles, rolebindings, clusterrolebindings]
- level: None
  users: ["system:serviceaccount:ci:deployer"]
- level: Metadata
`,
            },
          ],
        },
      ],
    },
    {
      name: 'no rule for what is left: records only exec (create, not get), Secrets in one namespace and RBAC in the wrong group',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    verbs: [create]
    resources: [{group: "", resources: [pods/exec, pods/attach, pods/portforward, serviceaccounts/token]}]
  - level: Metadata
    namespaces: [prod]
    resources: [{group: "", resources: [secrets]}]
  - level: Request
    resources: [{group: "", resources: [roles, clusterroles, rolebindings, clusterrolebindings]}]
`,
      findings: [
        {
          line: 2, column: 0, endLine: 2, endColumn: 5, message: 'The audit policy misses who gets into pods, reads Secrets or changes RBAC. It does not record pods/exec (get), pods/attach (get), pods/portforward (get); reads of secrets; nor changes to roles, clusterroles, rolebindings, clusterrolebindings: no rule matches them', messageId: 'notRecordedByAnyRule',
          fixes: [
            {
              title: 'Record pods/exec, pods/attach, pods/portforward, secrets, roles, clusterroles, rolebindings, clusterrolebindings at Metadata before the end of the rules',
              output: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    verbs: [create]
    resources: [{group: "", resources: [pods/exec, pods/attach, pods/portforward, serviceaccounts/token]}]
  - level: Metadata
    namespaces: [prod]
    resources: [{group: "", resources: [secrets]}]
  - level: Request
    resources: [{group: "", resources: [roles, clusterroles, rolebindings, clusterrolebindings]}]
  # Who gets into pods, reads Secrets or changes RBAC: logged without bodies.
  - level: Metadata
    resources:
      - group: ""
        resources: [pods/exec, pods/attach, pods/portforward, secrets]
      - group: rbac.authorization.k8s.io
        resources: [roles, clusterroles, rolebindings, clusterrolebindings]
`,
            },
          ],
        },
      ],
    },
    {
      name: 'a rule that omits RequestReceived and ResponseComplete records no Secret read that completes; a namespace-limited None rule',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    namespaces: [kube-system]
  - level: Metadata
    resources: [{group: "", resources: [secrets]}]
    omitStages: [RequestReceived, ResponseComplete]
  - level: Metadata
`,
      findings: [
        {
          line: 3, column: 11, endLine: 3, endColumn: 15, message: 'does not record pods/exec in namespace kube-system, pods/attach in namespace kube-system, pods/portforward in namespace kube-system; reads of secrets; token requests to serviceaccounts/token in namespace kube-system; nor changes to roles in namespace kube-system, rolebindings in namespace kube-system: rules[0] (level: None) is the first rule to match them; rules[1] matches them first and omits the stages they would be logged at', messageId: 'notRecorded',
          fixes: [
            {
              title: 'Record pods/exec, pods/attach, pods/portforward, secrets, serviceaccounts/token, roles, rolebindings at Metadata before rules[0]',
              output: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  # Who gets into pods, reads Secrets, requests tokens or changes RBAC: logged without bodies.
  - level: Metadata
    resources:
      - group: ""
        resources: [pods/exec, pods/attach, pods/portforward, secrets, serviceaccounts/token]
      - group: rbac.authorization.k8s.io
        resources: [roles, rolebindings]
  - level: None
    namespaces: [kube-system]
  - level: Metadata
    resources: [{group: "", resources: [secrets]}]
    omitStages: [RequestReceived, ResponseComplete]
  - level: Metadata
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Secrets read with get and list are recorded, but a watch falls to the None catch-all; RBAC recorded through its whole group',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources:
      - {group: "", resources: [pods/exec, pods/attach, pods/portforward, serviceaccounts/token]}
      - {group: rbac.authorization.k8s.io}
  - level: Metadata
    verbs: [get, list]
    resources: [{group: "", resources: [secrets]}]
  - level: None # the rest is noise
`,
      findings: [
        {
          line: 10, column: 11, endLine: 10, endColumn: 15, message: 'The audit policy misses who reads Secrets. It does not record reads of secrets (watch): rules[2] (level: None) is the first rule to match them.', messageId: 'notRecorded',
          fixes: [
            {
              title: 'Record secrets at Metadata before rules[2]',
              output: `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources:
      - {group: "", resources: [pods/exec, pods/attach, pods/portforward, serviceaccounts/token]}
      - {group: rbac.authorization.k8s.io}
  - level: Metadata
    verbs: [get, list]
    resources: [{group: "", resources: [secrets]}]
  # Who reads Secrets: logged without bodies.
  - level: Metadata
    resources:
      - group: ""
        resources: [secrets]
  - level: None # the rest is noise
`,
            },
          ],
        },
      ],
    },
    {
      name: 'policy-level omitStages leave nothing to record: no fix can help',
      yaml: `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived, ResponseStarted, ResponseComplete]
rules:
  - level: Metadata
`,
      findings: [{ line: 2, column: 0, endLine: 2, endColumn: 10, message: 'The audit policy\'s omitStages drop both RequestReceived and ResponseComplete. No rule records a request that completes, so it does not record pods/exec, pods/attach, pods/portforward; reads of secrets; token requests to serviceaccounts/token; nor changes to roles, clusterroles, rolebindings, clusterrolebindings. These are the requests of someone using a stolen credential: getting into containers, reading Secrets, minting tokens, granting themselves more rights. Drop RequestReceived or ResponseComplete from the policy\'s omitStages.', messageId: 'policyOmitsStages', fixes: [] }],
    },
  ],
};
