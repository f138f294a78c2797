// Audit policy matching against a line-by-line port of kube-apiserver's checker
// (k8s.io/apiserver pkg/audit/policy/checker.go, ruleMatches): the exact region analysis
// must give every concrete request the same first matching rule.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate, OTHER, readAuditPolicy, resourceMatches, type AuditRule, type Box, type RequestClass } from '../../../server/src/analysis/audit';
import { parseFile } from '../../../server/src/parsing/parse-file';
import { Resource } from '../../../server/src/model/resource';

function policyOf(yaml: string) {
  const parsed = parseFile(yaml);
  const resource = Resource.allFrom('file:///policy.yaml', parsed.docs[0])[0];
  return readAuditPolicy(resource);
}

interface Request {
  user: string;
  groups: string[];
  verb: string;
  namespace: string;
  group: string;
  resource: string;
  subresource: string;
  name: string;
}

/** checker.go `ruleMatches` for resource requests, transcribed. */
function goRuleMatches(r: AuditRule, a: Request): boolean {
  if (r.users.length > 0 && !r.users.includes(a.user)) return false;
  if (r.userGroups.length > 0 && !a.groups.some((g) => r.userGroups.includes(g))) return false;
  if (r.verbs.length > 0 && !r.verbs.includes(a.verb)) return false;
  if (r.namespaces.length > 0 || r.resources.length > 0) {
    if (r.namespaces.length > 0 && !r.namespaces.includes(a.namespace)) return false;
    if (r.resources.length === 0) return true;
    const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    for (const gr of r.resources) {
      if (gr.group === a.group || gr.group === '*') {
        if (gr.resources.length === 0) return true;
        for (const res of gr.resources) {
          if (gr.resourceNames.length === 0 || gr.resourceNames.includes(a.name)) {
            if (res === combined || res === '*') return true;
            if (a.subresource.length > 0 && res.startsWith('*/') && a.subresource === res.slice(2)) return true;
            if (res.endsWith('/*') && a.resource === res.slice(0, -2)) return true;
          }
        }
      }
    }
    return false;
  }
  // A rule with only nonResourceURLs never matches a resource request.
  if (r.nonResourceURLs.length > 0) return false;
  return true;
}

/** Index in `rules` of the first rule with a level that matches, or -1. */
function goFirstMatch(rules: AuditRule[], a: Request): number {
  return rules.find((r) => r.level && goRuleMatches(r, a))?.index ?? -1;
}

function contains(box: Box, user: string, group: string, verb: string, namespace: string, name: string): boolean {
  return box[0].has(user) && box[1].has(group) && box[2].has(verb) && box[3].has(namespace) && box[4].has(name);
}

const analyses = new Map<string, { policy: ReturnType<typeof policyOf>; evaluation: NonNullable<ReturnType<typeof evaluate>> }>();

/** The first matching rule the region analysis gives a request (its values mapped to the representatives). */
function analysedFirstMatch(yaml: string, requests: RequestClass, a: Request): number {
  const key = `${yaml}\0${requests.label}`;
  let analysed = analyses.get(key);
  if (!analysed) {
    const policy = policyOf(yaml);
    analyses.set(key, (analysed = { policy, evaluation: evaluate(policy, requests)! }));
  }
  const { policy, evaluation } = analysed;
  const known = (values: string[], v: string) => (values.includes(v) ? v : OTHER);
  const rules = policy.rules;
  const user = known(rules.flatMap((r) => r.users), a.user);
  const group = a.groups.length ? known(rules.flatMap((r) => r.userGroups), a.groups[0]) : OTHER;
  const namespace = a.namespace === '' ? '' : known(rules.flatMap((r) => r.namespaces), a.namespace);
  const name = a.name === '' ? '' : known(rules.flatMap((r) => r.resources.flatMap((gr) => gr.resourceNames)), a.name);
  const hits = evaluation.matches.filter((m) => m.boxes.some((b) => contains(b, user, group, a.verb, namespace, name)));
  const unmatched = evaluation.unmatched.some((b) => contains(b, user, group, a.verb, namespace, name));
  assert.ok(hits.length + (unmatched ? 1 : 0) === 1, `request ${JSON.stringify(a)} is in ${hits.length} matches and ${unmatched ? '' : 'not '}in the unmatched region`);
  return hits[0]?.rule.index ?? -1;
}

describe('audit policy matching (checker.go)', () => {
  test('resource patterns: exact, `*`, `*/sub`, `res/*` (which includes the resource itself)', () => {
    const exec = { resource: 'pods', subresource: 'exec' };
    const pods = { resource: 'pods', subresource: '' };
    assert.ok(resourceMatches('pods/exec', exec));
    assert.ok(resourceMatches('*', exec));
    assert.ok(resourceMatches('*/exec', exec));
    assert.ok(resourceMatches('pods/*', exec));
    assert.ok(resourceMatches('pods/*', pods), 'checker.go compares the resource alone for `res/*`');
    assert.ok(!resourceMatches('pods', exec), '`pods` does not match a subresource');
    assert.ok(!resourceMatches('*/exec', pods));
    assert.ok(!resourceMatches('*/log', exec));
    assert.ok(!resourceMatches('deployments/*', exec));
  });

  test('rules are tried in order; only-nonResourceURLs rules, other groups and invalid levels never decide a resource request', () => {
    const yaml = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    nonResourceURLs: ["*"]
  - level: RequestResponse
    resources: [{group: apps, resources: [secrets]}]
  - level: Loud
  - level: Metadata
    namespaces: [prod]
  - level: Request
`;
    const secrets: RequestClass = { label: 'secrets', group: '', resource: 'secrets', subresource: '', verbs: ['get', 'list'] };
    const evaluation = evaluate(policyOf(yaml), secrets)!;
    assert.deepEqual(evaluation.matches.map((m) => m.rule.index), [3, 4]);
    assert.deepEqual(evaluation.unmatched, []);
    // A list across all namespaces has the namespace "": the prod rule does not catch it.
    assert.equal(analysedFirstMatch(yaml, secrets, { user: 'u', groups: [], verb: 'list', namespace: '', group: '', resource: 'secrets', subresource: '', name: '' }), 4);
    assert.equal(analysedFirstMatch(yaml, secrets, { user: 'u', groups: [], verb: 'get', namespace: 'prod', group: '', resource: 'secrets', subresource: '', name: 'db' }), 3);
  });

  test('random policies: every concrete request gets the rule kube-apiserver would pick', () => {
    let seed = 20240521;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const some = <T>(items: readonly T[], max = 2): T[] => [...new Set(Array.from({ length: Math.floor(random() * (max + 1)) }, () => pick(items)))];
    const USERS = ['alice', 'bob'];
    const GROUPS = ['ops', 'devs'];
    const VERBS = ['get', 'list', 'watch', 'create', 'update', 'delete'];
    const NAMESPACES = ['prod', 'kube-system', ''];
    const NAMES = ['db', 'leader'];
    const RESOURCES = ['secrets', 'pods', 'pods/exec', 'pods/*', '*/exec', '*', 'configmaps'];
    const classes: RequestClass[] = [
      { label: 'secrets', group: '', resource: 'secrets', subresource: '', verbs: ['get', 'list', 'watch', 'create', 'update', 'delete'] },
      { label: 'pods/exec', group: '', resource: 'pods', subresource: 'exec', verbs: ['create', 'get'] },
      { label: 'clusterroles', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', subresource: '', verbs: ['create', 'update', 'delete', 'list'], clusterScoped: true },
    ];
    const list = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
    let checked = 0;
    for (let round = 0; round < 60; round++) {
      const rules = Array.from({ length: 1 + Math.floor(random() * 5) }, () => {
        const lines = [`  - level: ${pick(['None', 'Metadata', 'Request', 'RequestResponse'])}`];
        const users = some(USERS, 1);
        if (users.length) lines.push(`    users: ${list(users)}`);
        const groups = some(GROUPS, 1);
        if (groups.length) lines.push(`    userGroups: ${list(groups)}`);
        const verbs = some(VERBS, 3);
        if (verbs.length) lines.push(`    verbs: ${list(verbs)}`);
        const namespaces = some(NAMESPACES, 1);
        if (namespaces.length) lines.push(`    namespaces: ${list(namespaces)}`);
        if (random() < 0.7) {
          const group = pick(['', '*', 'rbac.authorization.k8s.io', 'apps']);
          const names = random() < 0.3 ? some(NAMES, 1) : [];
          const resources = random() < 0.15 ? [] : some(RESOURCES, 2);
          lines.push(`    resources: [{group: ${JSON.stringify(group)}, resources: ${list(resources)}${names.length ? `, resourceNames: ${list(names)}` : ''}}]`);
        } else if (random() < 0.2) {
          lines.push('    nonResourceURLs: ["/healthz*"]');
        }
        return lines.join('\n');
      });
      const yaml = `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n${rules.join('\n')}\n`;
      const policy = policyOf(yaml);
      for (const requests of classes) {
        for (const user of [...USERS, 'zed']) {
          for (const groups of [[], ['ops'], ['devs'], ['other']]) {
            for (const verb of requests.verbs) {
              const collection = verb === 'list' || verb === 'watch';
              const namespaces = requests.clusterScoped ? [''] : collection ? [...NAMESPACES, 'shop'] : ['prod', 'kube-system', 'shop'];
              const names = requests.subresource ? ['db', 'web'] : collection ? ['', 'db', 'web'] : verb === 'create' ? [''] : ['db', 'leader', 'web'];
              for (const namespace of namespaces) {
                for (const name of names) {
                  const request: Request = { user, groups, verb, namespace, group: requests.group, resource: requests.resource, subresource: requests.subresource, name };
                  assert.equal(analysedFirstMatch(yaml, requests, request), goFirstMatch(policy.rules, request), `${yaml}\n${JSON.stringify(request)}`);
                  checked++;
                }
              }
            }
          }
        }
      }
    }
    assert.ok(checked > 10_000, `${checked} requests checked`);
  });
});
