// Incremental results equal fresh ones, by construction: rule results are cached per engine,
// keyed by the document, the profile and default namespace, and for rules that read other
// resources by the declared projections of those resources. Random edits to other files, a
// compact (unopened) file, another thread's extracts and each configuration dimension must all
// give exactly what a fresh lint of the same texts gives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { RULES } from '../../rules';
import type { EngineConfig } from '../../server/src/engine/config';
import { Engine, lintText } from '../../server/src/engine/engine';
import type { FileResult } from '../../server/src/engine/lint';
import type { Rule } from '../../server/src/engine/rule';
import { extractResource, hydrateResource } from '../../server/src/workspace/resource-extract';
import { Workspace } from '../../server/src/workspace/workspace';

const A = 'file:///apps.yaml';
const B = 'file:///policies.yaml';
const C = 'file:///identity.yaml';

const APPS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      serviceAccountName: web
      containers:
        - name: app
          image: nginx:1.27
          ports: [{containerPort: 8080, name: http}]
          env: [{name: CART_URL, value: "http://cart:7070"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop}
spec:
  selector: {matchLabels: {app: cart}}
  template:
    metadata: {labels: {app: cart}}
    spec:
      containers:
        - {name: app, image: redis:7, ports: [{containerPort: 7070}]}
---
apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec: {selector: {app: cart}, ports: [{port: 7070, targetPort: 7070}]}
---
apiVersion: example.com/v1
kind: WebApp
metadata: {name: shop-ui, namespace: shop}
spec:
  runtime:
    template:
      metadata: {labels: {app: ui}}
      spec:
        serviceAccountName: web
        containers:
          - {name: ui, image: shop/ui:1, securityContext: {privileged: true}}
`;

const POLICIES = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress, Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{podSelector: {matchLabels: {tier: front}}}], ports: [{port: 8080}]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-edit, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
`;

const IDENTITY = `apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {pod-security.kubernetes.io/enforce: restricted}
---
apiVersion: v1
kind: LimitRange
metadata: {name: limits, namespace: shop}
spec: {limits: [{type: Container, default: {cpu: 500m, memory: 256Mi}}]}
`;

/** Edits that change what other files' cross-resource rules see, and some that change nothing they read. */
const EDITS: Array<[string, string]> = [
  ['app: web, tier: front', 'app: web, tier: back'],
  ['app: web, tier: front', 'app: webx'],
  ['serviceAccountName: web', 'serviceAccountName: other'],
  ['image: nginx:1.27', 'image: nginx:1.28'],
  ['containerPort: 8080', 'containerPort: 9090'],
  ['http://cart:7070', 'http://basket:7070'],
  ['namespace: shop}\nspec:\n  selector: {matchLabels: {app: cart}}', 'namespace: store}\nspec:\n  selector: {matchLabels: {app: cart}}'],
  ['policyTypes: [Ingress, Egress]', 'policyTypes: [Ingress]'],
  ['matchLabels: {tier: front}', 'matchLabels: {tier: back}'],
  ['name: edit}', 'name: view}'],
  ['automountServiceAccountToken: false', 'automountServiceAccountToken: true'],
  ['enforce: restricted', 'enforce: baseline'],
  ['cpu: 500m, memory: 256Mi', 'memory: 256Mi'],
  ['spec: {selector: {app: cart}', 'spec: {type: NodePort, selector: {app: cart}'],
  ['labels: {app: ui}', 'labels: {app: web, tier: front}'],
  ['apiVersion: example.com/v1\nkind: WebApp', 'apiVersion: example.com/v2\nkind: WebApp'],
];

/** The team's own kind with a pod template (`podTemplates`), for one version or every version of its group. */
const WEBAPP_V1 = [{ apiVersion: 'example.com/v1', kind: 'WebApp', path: 'spec.runtime.template' }];
const WEBAPP_ANY = [{ apiVersion: 'example.com/*', kind: 'WebApp', path: 'spec.runtime.template' }];

const CONFIGS: EngineConfig[] = [
  { profile: 'restricted', rules: {} },
  { profile: 'baseline', rules: {} },
  { profile: 'restricted', rules: { 'resource-limits-missing': 'off', 'default-namespace': 'error' } },
  { profile: 'restricted', rules: {}, exemptions: [{ kind: 'Deployment', name: 'web', rules: ['workload-not-isolated'], reason: 'test' }] },
  { profile: 'restricted', rules: {}, podTemplates: WEBAPP_V1 },
  { profile: 'baseline', rules: {}, podTemplates: WEBAPP_ANY },
  { profile: 'restricted', rules: {}, ruleOptions: { 'resource-limits-missing': { limits: ['memory'] } } },
  { profile: 'restricted', rules: {}, requireNamespace: true },
];

/**
 * A comparable view of a result: what a user sees. Related places by file and message: a file
 * kept compact has no positions to relate to (its start stands in).
 */
function view(result: FileResult): string[] {
  return [...result.findings, ...result.suppressed]
    .map((f) => `${f.range.start.line}:${f.range.start.character} ${f.severity} ${f.ruleId} ${f.message} ${f.suppressed?.by ?? ''} ${(f.related ?? []).map((r) => `${r.uri} ${r.message}`).join(' ')}`)
    .sort();
}

function fresh(texts: Record<string, string>, uri: string, config: EngineConfig, defaultNamespace: string, rules: readonly Rule[] = RULES): string[] {
  const engine = new Engine(new Workspace(defaultNamespace), config, rules);
  for (const [other, text] of Object.entries(texts)) engine.workspace.setFile(other, text);
  return view(engine.lint(uri));
}

function apply(text: string, [from, to]: [string, string]): string {
  return text.includes(from) ? text.replace(from, to) : text.includes(to) ? text.replace(to, from) : text;
}

describe('engine cache', () => {
  test('incremental lints after random edits of other files equal fresh lints, for every rule and configuration dimension', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ file: fc.constantFrom(A, B, C), edit: fc.nat(EDITS.length - 1), compact: fc.boolean(), config: fc.option(fc.nat(CONFIGS.length - 1)) }), { minLength: 1, maxLength: 8 }),
        fc.nat(CONFIGS.length - 1),
        fc.constantFrom('default', 'shop'),
        (steps, configIndex, defaultNamespace) => {
          let config = CONFIGS[configIndex];
          const engine = new Engine(new Workspace(defaultNamespace), config);
          const texts: Record<string, string> = { [A]: APPS, [B]: POLICIES, [C]: IDENTITY };
          for (const [uri, text] of Object.entries(texts)) engine.workspace.setFile(uri, text);
          for (const uri of Object.keys(texts)) engine.lint(uri);
          for (const step of steps) {
            // The configuration changes between edits too (the kinds with a pod template among it).
            if (step.config !== null) engine.config = config = CONFIGS[step.config];
            texts[step.file] = apply(texts[step.file], EDITS[step.edit]);
            // An edited file that nobody has open is kept compact, as the language server does.
            engine.workspace.setFile(step.file, texts[step.file], { compact: step.compact });
            for (const uri of Object.keys(texts)) {
              if (engine.workspace.getFile(uri)?.compact) continue;
              assert.deepEqual(view(engine.lint(uri)), fresh(texts, uri, config, defaultNamespace), `${uri} after ${JSON.stringify(steps)}`);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  test('another thread\'s extracts give the results of the parsed files', () => {
    for (const [i, edit] of EDITS.entries()) {
      const texts: Record<string, string> = { [A]: apply(APPS, edit), [B]: apply(POLICIES, edit), [C]: apply(IDENTITY, edit) };
      for (const lintedUri of Object.keys(texts)) {
        // This thread parses one file; the others come in as extracts of another thread's parse.
        const other = new Workspace();
        for (const [uri, text] of Object.entries(texts)) if (uri !== lintedUri) other.setFile(uri, text);
        const engine = new Engine(new Workspace());
        engine.workspace.setFile(lintedUri, texts[lintedUri]);
        for (const uri of Object.keys(texts)) {
          if (uri !== lintedUri) engine.workspace.addForeignFile(uri, other.getFile(uri)!.resources.map((r) => hydrateResource(structuredClone(extractResource(r)), r.podTemplates)));
        }
        assert.deepEqual(view(engine.lint(lintedUri)), fresh(texts, lintedUri, { profile: 'restricted', rules: {} }, 'default'), `${lintedUri}, edit ${i}`);
      }
    }
  });

  test('switching the profile, the rules, rule options, requireNamespace or the default namespace gives the fresh results (no stale finding)', () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: c, image: nginx:1.27}]\n';
    const engine = new Engine(new Workspace());
    engine.workspace.setFile(A, pod);
    const restricted = view(engine.lint(A));
    assert.ok(restricted.some((f) => f.includes('run-as-root')));
    engine.config = { profile: 'baseline', rules: {} };
    assert.deepEqual(view(engine.lint(A)), view(lintText(pod, { uri: A, config: { profile: 'baseline', rules: {} } })));
    assert.ok(!view(engine.lint(A)).some((f) => f.includes('run-as-root')), 'the restricted-only finding is gone');
    engine.config = { profile: 'restricted', rules: { 'run-as-root': 'off' } };
    assert.ok(!view(engine.lint(A)).some((f) => f.includes('run-as-root')));
    // Options change results: none kept from other options.
    const cpuOnly = { profile: 'restricted', rules: {}, ruleOptions: { 'resource-limits-missing': { limits: ['cpu'] } } } satisfies EngineConfig;
    engine.config = cpuOnly;
    assert.deepEqual(view(engine.lint(A)), view(lintText(pod, { uri: A, config: cpuOnly })));
    assert.ok(view(engine.lint(A)).some((f) => f.includes('has no CPU limit.')), 'the CPU-only finding');
    const unnamed = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n';
    engine.workspace.setFile(B, unnamed);
    engine.config = { profile: 'restricted', rules: {} };
    assert.ok(!view(engine.lint(B)).some((f) => f.includes('default-namespace')));
    engine.config = { profile: 'restricted', rules: {}, requireNamespace: true };
    assert.ok(view(engine.lint(B)).some((f) => f.includes('default-namespace')), 'requireNamespace is a key of the cache');
    engine.workspace.removeFile(B);
    engine.config = { profile: 'restricted', rules: {} };
    assert.ok(view(engine.lint(A)).some((f) => f.includes('has no memory limit and no CPU limit')), 'back to both limits');
    engine.workspace.setDefaultNamespace('shop');
    assert.deepEqual(view(engine.lint(A)), fresh({ [A]: pod }, A, { profile: 'restricted', rules: {} }, 'shop'));
  });

  test('configuring a kind with a pod template checks its objects, in open and compact files alike; removing it stops', () => {
    const engine = new Engine(new Workspace());
    engine.workspace.setFile(A, APPS);
    engine.workspace.setFile(C, IDENTITY, { compact: true });
    const privileged = () => view(engine.lint(A)).filter((f) => f.includes('privileged-container'));
    assert.deepEqual(privileged(), []);
    engine.config = { profile: 'restricted', rules: {}, podTemplates: WEBAPP_V1 };
    assert.deepEqual(privileged().map((f) => f.slice(0, f.indexOf('. '))), ['41:71 error privileged-container Container "ui" is privileged, which amounts to root on the node']);
    assert.deepEqual(view(engine.lint(A)), fresh({ [A]: APPS, [C]: IDENTITY }, A, engine.config, 'default'));
    engine.config = { profile: 'restricted', rules: {} };
    assert.deepEqual(privileged(), []);
    assert.deepEqual(view(engine.lint(A)), fresh({ [A]: APPS, [C]: IDENTITY }, A, engine.config, 'default'));
  });

  test('each engine owns its cache: a second engine runs its rules itself', () => {
    const first = new Engine(new Workspace());
    const second = new Engine(new Workspace());
    for (const engine of [first, second]) {
      engine.workspace.setFile(A, APPS);
      engine.lint(A);
    }
    assert.ok(second.cache.stats.runs > 0);
    assert.equal(second.cache.stats.runs, first.cache.stats.runs);
    assert.equal(second.cache.stats.reused, 0);
  });
});
