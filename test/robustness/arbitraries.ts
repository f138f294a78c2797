// Generators for the robustness properties: real manifests (examples, rule cases, the
// shared corpus when present) with random edits, random YAML, and generated Kubernetes
// manifests in random styles. Every property runs with a fixed seed so `npm test` is
// deterministic; KZT_FUZZ_SEED and KZT_FUZZ_RUNS explore further (see README.md here).
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Document, Parser, isCollection, isMap, isScalar, parseDocument, visit } from 'yaml';

export const ROOT = join(__dirname, '..', '..');
export const SEED = Number(process.env.KZT_FUZZ_SEED ?? 20250609);

/** Number of runs of a property: its default, scaled by KZT_FUZZ_RUNS (a multiplier). */
export function runs(base: number): number {
  return Math.max(1, Math.round(base * Number(process.env.KZT_FUZZ_RUNS ?? 1)));
}

export function fcOptions(base: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns: runs(base), endOnFailure: true };
}

// ---------------------------------------------------------------------------------------
// Seed texts: real manifests.

function yamlFilesUnder(dir: string, maxBytes: number): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true }).map(String).sort()) {
    const path = join(dir, entry);
    if (/\.ya?ml$/.test(entry) && statSync(path).isFile() && statSync(path).size <= maxBytes) out.push(path);
  }
  return out;
}

/** Rule cases (valid and invalid) of every rule, read through the generated registry's files. */
function ruleCaseTexts(): string[] {
  const rulesDir = join(ROOT, 'rules');
  const texts: string[] = [];
  for (const file of readdirSync(rulesDir).filter((f) => f.endsWith('.ts') && f !== 'index.ts').sort()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(join(rulesDir, file)) as { cases?: { valid: Array<{ yaml: string }>; invalid: Array<{ yaml: string }> } };
    for (const c of [...(mod.cases?.valid ?? []), ...(mod.cases?.invalid ?? [])]) texts.push(c.yaml);
  }
  return texts;
}

export interface Seed {
  name: string;
  text: string;
}

let seedsCache: Seed[] | undefined;

/**
 * Real manifests: `examples/`, every rule case, and the shared corpus of published
 * projects (only when present: it lives outside the repository). Files over 100 KB are
 * left out of the mutation seeds (they are linted whole by the engine properties).
 */
export function seeds(): Seed[] {
  if (seedsCache) return seedsCache;
  const list: Seed[] = [];
  for (const path of yamlFilesUnder(join(ROOT, 'examples'), 100_000)) list.push({ name: path.slice(ROOT.length + 1), text: readFileSync(path, 'utf8') });
  ruleCaseTexts().forEach((text, i) => list.push({ name: `rule case #${i}`, text }));
  for (const path of yamlFilesUnder(CORPUS, 100_000)) list.push({ name: path, text: readFileSync(path, 'utf8') });
  seedsCache = list;
  return list;
}

export const CORPUS = process.env.KZT_CORPUS ?? '/work/shared/corpus';

/** Example files with findings: the fix-safety properties start from these. */
export function exampleFiles(): Seed[] {
  return yamlFilesUnder(join(ROOT, 'examples'), 1_000_000).map((path) => ({ name: path.slice(ROOT.length + 1), text: readFileSync(path, 'utf8') }));
}

// ---------------------------------------------------------------------------------------
// Random edits.

export type Mutation = { name: string; apply: (text: string) => string };

/** Nesting depth of generated text linted inside this process (see the deep mutations). */
export const MAX_IN_PROCESS_DEPTH = 300;

/** An upper bound of a text's nesting: open brackets plus the deepest line's indentation and dashes. */
export function roughDepth(text: string): number {
  let brackets = 0;
  let maxBrackets = 0;
  for (const c of text) {
    if (c === '[' || c === '{') maxBrackets = Math.max(maxBrackets, ++brackets);
    else if ((c === ']' || c === '}') && brackets > 0) brackets--;
  }
  let maxLine = 0;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const lead = /^[ \t-]*/.exec(line)![0];
    maxLine = Math.max(maxLine, lead.length / 2 + (lead.match(/-/g)?.length ?? 0));
  }
  const dashes = (text.match(/(?:- )+/g) ?? []).reduce((max, run) => Math.max(max, run.length / 2), 0);
  return maxBrackets + maxLine + dashes;
}

const pos = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const at = (text: string, p: number) => Math.floor(p * (text.length + 1));

/** Characters that matter to YAML, plus blanks, line breaks, unicode and raw bytes. */
const SYNTAX_CHARS = [...':-?[]{},&*!|>\'"#%@`\t\n\r   ', 'a', 'k', '0', '.', '\\', '\u00e9', '\u{1F680}', '\u0000', '\u0007', '\u001b', '\u0085', '\u2028', '\uFEFF', '\uFFFD', '\uD800', '\uDC00'];
const syntaxString = fc.array(fc.constantFrom(...SYNTAX_CHARS), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
const binaryString = fc.array(fc.integer({ min: 0, max: 0xff }), { minLength: 1, maxLength: 64 }).map((a) => String.fromCharCode(...a));
const unicodeString = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 });

function lineOf(text: string, p: number): { start: number; end: number } {
  const i = at(text, p);
  const start = text.lastIndexOf('\n', i - 1) + 1;
  const nl = text.indexOf('\n', i);
  return { start, end: nl < 0 ? text.length : nl };
}

function indentAt(text: string, p: number): string {
  const { start } = lineOf(text, p);
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/** Billion laughs: ten levels of nine aliases each (9^9 nodes if expanded). */
export function aliasBomb(indent = '', key = 'lol'): string {
  const lines = [`${key}0: &${key}0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (let i = 1; i < 10; i++) lines.push(`${key}${i}: &${key}${i} [${Array(9).fill(`*${key}${i - 1}`).join(', ')}]`);
  return lines.map((l) => indent + l).join('\n');
}

/** The same with `<<` merge keys, which Kubernetes decoders follow (9^9 maps if walked naively). */
export function mergeBomb(indent = '', key = 'm'): string {
  const lines = [`${key}0: &${key}0 {a: 1}`];
  for (let i = 1; i < 10; i++) lines.push(`${key}${i}: &${key}${i} {<<: [${Array(9).fill(`*${key}${i - 1}`).join(', ')}]}`);
  return lines.map((l) => indent + l).join('\n');
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  pos.map((p) => ({ name: `truncate@${p.toFixed(3)}`, apply: (t: string) => t.slice(0, at(t, p)) })),
  fc.tuple(pos, syntaxString).map(([p, s]) => ({ name: `insert ${JSON.stringify(s)}@${p.toFixed(3)}`, apply: (t: string) => t.slice(0, at(t, p)) + s + t.slice(at(t, p)) })),
  fc.tuple(pos, fc.integer({ min: 1, max: 40 })).map(([p, n]) => ({ name: `delete ${n}@${p.toFixed(3)}`, apply: (t: string) => t.slice(0, at(t, p)) + t.slice(at(t, p) + n) })),
  fc.tuple(pos, binaryString).map(([p, s]) => ({ name: `bytes@${p.toFixed(3)}`, apply: (t: string) => t.slice(0, at(t, p)) + s + t.slice(at(t, p)) })),
  fc.tuple(pos, unicodeString).map(([p, s]) => ({ name: `unicode ${JSON.stringify(s)}@${p.toFixed(3)}`, apply: (t: string) => t.slice(0, at(t, p)) + s + t.slice(at(t, p)) })),
  pos.map((p) => ({
    name: `tabs@${p.toFixed(3)}`,
    apply: (t: string) => {
      const { start } = lineOf(t, p);
      return t.slice(0, start) + t.slice(start).replace(/^ +/, (m) => '\t'.repeat(Math.max(1, m.length >> 1)));
    },
  })),
  fc.tuple(pos, fc.integer({ min: -4, max: 4 })).map(([p, d]) => ({
    name: `indent ${d}@${p.toFixed(3)}`,
    apply: (t: string) => {
      const { start } = lineOf(t, p);
      return d > 0 ? t.slice(0, start) + ' '.repeat(d) + t.slice(start) : t.slice(0, start) + t.slice(start).replace(new RegExp(`^ {0,${-d}}`), '');
    },
  })),
  fc.constant({ name: 'crlf', apply: (t: string) => t.replace(/\r?\n/g, '\r\n') }),
  // One byte-order mark; a second one is content (see the known issue in known-issues.test.ts).
  fc.constant({ name: 'bom', apply: (t: string) => (t.startsWith('\uFEFF') ? t : `\uFEFF${t}`) }),
  fc.constant({ name: 'lone-cr', apply: (t: string) => t.replace(/\r?\n/g, '\r') }),
  pos.map((p) => ({ name: `doc-marker@${p.toFixed(3)}`, apply: (t: string) => `${t.slice(0, lineOf(t, p).start)}---\n${t.slice(lineOf(t, p).start)}` })),
  fc.tuple(pos, pos).map(([p, q]) => ({
    name: `dup-line@${p.toFixed(3)}->${q.toFixed(3)}`,
    apply: (t: string) => {
      const { start, end } = lineOf(t, p);
      const to = lineOf(t, q).start;
      return `${t.slice(0, to)}${t.slice(start, end)}\n${t.slice(to)}`;
    },
  })),
  pos.map((p) => ({ name: `drop-line@${p.toFixed(3)}`, apply: (t: string) => { const { start, end } = lineOf(t, p); return t.slice(0, start) + t.slice(end + 1); } })),
  fc.tuple(pos, pos, fc.constantFrom('a', 'sc', 'x1')).map(([p, q, name]) => ({
    name: `anchor+alias ${name}@${p.toFixed(3)},${q.toFixed(3)}`,
    apply: (t: string) => {
      // An anchor after some `key:` and an alias replacing a later value.
      const colon = t.indexOf(': ', at(t, p));
      if (colon < 0) return t;
      const anchored = `${t.slice(0, colon + 2)}&${name} ${t.slice(colon + 2)}`;
      const later = anchored.indexOf(': ', Math.max(colon + 4, at(anchored, q)));
      if (later < 0) return anchored;
      const end = anchored.indexOf('\n', later);
      return `${anchored.slice(0, later + 2)}*${name}${end < 0 ? '' : anchored.slice(end)}`;
    },
  })),
  fc.tuple(pos, fc.constantFrom(1_000, 20_000, 200_000), fc.constantFrom('a', 'é', ' ', '🚀')).map(([p, n, c]) => ({
    name: `long-scalar ${n}x${JSON.stringify(c)}@${p.toFixed(3)}`,
    apply: (t: string) => t.slice(0, at(t, p)) + c.repeat(n) + t.slice(at(t, p)),
  })),
  // In-process nesting stays under what overflows yaml's recursive parser inside a test
  // runner's stack; deeper nesting is sent to the real server and CLI processes (limits.test.ts).
  fc.tuple(pos, fc.integer({ min: 10, max: MAX_IN_PROCESS_DEPTH }), fc.constantFrom('[', '{a: ', '- ', '{', '[{x: ')).map(([p, n, open]) => ({
    name: `deep ${n}x${JSON.stringify(open)}@${p.toFixed(3)}`,
    apply: (t: string) => {
      const close = open.includes('{') ? '}' : open === '- ' ? '' : ']';
      const deeper = `${t.slice(0, at(t, p))}${open.repeat(n)}1${(open === '[{x: ' ? '}]' : close).repeat(open === '- ' ? 0 : n)}${t.slice(at(t, p))}`;
      return roughDepth(deeper) <= MAX_IN_PROCESS_DEPTH ? deeper : t;
    },
  })),
  fc.tuple(pos, fc.integer({ min: 10, max: MAX_IN_PROCESS_DEPTH })).map(([p, n]) => ({
    name: `deep-block ${n}@${p.toFixed(3)}`,
    apply: (t: string) => {
      const { start } = lineOf(t, p);
      const base = indentAt(t, p).length;
      const lines = Array.from({ length: n }, (_, i) => `${' '.repeat(base + 2 * i)}k${i}:`).join('\n');
      const deeper = `${t.slice(0, start)}${lines} deep\n${t.slice(start)}`;
      return roughDepth(deeper) <= MAX_IN_PROCESS_DEPTH ? deeper : t;
    },
  })),
  fc.tuple(pos, fc.boolean()).map(([p, merge]) => ({
    name: `${merge ? 'merge' : 'alias'}-bomb@${p.toFixed(3)}`,
    apply: (t: string) => {
      const { start } = lineOf(t, p);
      const indent = indentAt(t, p).replace(/-/g, ' ');
      const key = merge ? 'mb' : 'lol';
      const bomb = merge ? mergeBomb(indent, key) : aliasBomb(indent, key);
      // Point the next value after the bomb at its top: rules then walk into it.
      const withBomb = `${t.slice(0, start)}${bomb}\n${t.slice(start)}`;
      const after = start + bomb.length + 1;
      const colon = withBomb.indexOf(': ', after);
      if (colon < 0) return withBomb;
      const end = withBomb.indexOf('\n', colon);
      return `${withBomb.slice(0, colon + 2)}${merge ? `{<<: *${key}9}` : `*${key}9`}${end < 0 ? '' : withBomb.slice(end)}`;
    },
  })),
  fc.tuple(pos, fc.constantFrom('{{ .Values.image }}', '{{- include "x" . | nindent 4 }}', '{{ end }}')).map(([p, s]) => ({
    name: `template@${p.toFixed(3)}`,
    apply: (t: string) => t.slice(0, at(t, p)) + s + t.slice(at(t, p)),
  })),
  fc.tuple(pos, fc.constantFrom('!!binary', '!!js/function', '!custom', '!!set', '!!omap', '%YAML 1.1\n', '%TAG ! tag:x,2000:\n', '? ', '<<: ', '...\n')).map(([p, s]) => ({
    name: `yaml-feature ${JSON.stringify(s)}@${p.toFixed(3)}`,
    apply: (t: string) => t.slice(0, at(t, p)) + s + t.slice(at(t, p)),
  })),
);

export interface Mutated {
  seed: string;
  mutations: string[];
  text: string;
}

/** How fast-check prints a failing input: the recipe and the start of the text, not megabytes. */
export function printable<T extends object>(value: T, describe: (v: T) => string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => describe(value), enumerable: false });
  return value;
}

export function preview(text: string, max = 400): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text);
}

/** A real manifest with 1 to 5 random edits (names kept so a failure reads as a recipe). */
export function mutatedManifest(maxEdits = 5): fc.Arbitrary<Mutated> {
  const list = seeds();
  return fc
    .tuple(fc.integer({ min: 0, max: list.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: maxEdits }))
    .map(([i, edits]) =>
      printable(
        { seed: list[i].name, mutations: edits.map((e) => e.name), text: edits.reduce((text, e) => e.apply(text), list[i].text) },
        (m) => `${m.seed} with [${m.mutations.join(', ')}]: ${preview(m.text)}`,
      ),
    );
}

/** A real manifest and the texts after each of 1 to `maxEdits` successive edits (an editing session). */
export function mutationChain(maxEdits = 6): fc.Arbitrary<{ seed: string; mutations: string[]; texts: string[] }> {
  const list = seeds();
  return fc
    .tuple(fc.integer({ min: 0, max: list.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: maxEdits }))
    .map(([i, edits]) => {
      const texts = [list[i].text];
      for (const e of edits) texts.push(e.apply(texts[texts.length - 1]));
      return printable({ seed: list[i].name, mutations: edits.map((e) => e.name), texts }, (c) => `${c.seed} with [${c.mutations.join(', ')}]: ${preview(c.texts[c.texts.length - 1])}`);
    });
}

// ---------------------------------------------------------------------------------------
// Random YAML: Kubernetes-shaped trees with values of the wrong type in the right places.

const KEYS = [
  'apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'annotations', 'spec', 'template', 'jobTemplate',
  'containers', 'initContainers', 'ephemeralContainers', 'securityContext', 'privileged', 'runAsNonRoot', 'runAsUser',
  'capabilities', 'add', 'drop', 'allowPrivilegeEscalation', 'hostNetwork', 'hostPID', 'hostIPC', 'volumes', 'hostPath',
  'path', 'image', 'env', 'value', 'valueFrom', 'ports', 'containerPort', 'hostPort', 'rules', 'verbs', 'resources',
  'subjects', 'roleRef', 'data', 'stringData', 'tls', 'podSelector', 'policyTypes', 'ingress', 'egress', 'os', 'seccompProfile',
  'type', 'readOnlyRootFilesystem', 'serviceAccountName', 'automountServiceAccountToken', '<<', 'kube-zero-trust.io/ignore',
];

const scalar = fc.oneof(
  fc.constantFrom(true, false, null, 0, 1, -1, 1000, 0.5, '', 'ALL', 'all', 'NET_RAW', 'SYS_ADMIN', '*', 'true', 'v1', 'Pod', 'RuntimeDefault', '/', '/var/run/docker.sock', 'windows', 'password', 'nginx:latest', '0.0.0.0/0'),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double(),
);

const tree = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), tie('node'), { maxKeys: 5 }),
  ),
})).node;

const KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'PodTemplate', 'Namespace', 'Service', 'Ingress', 'NetworkPolicy', 'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount', 'Secret', 'ConfigMap', 'PeerAuthentication', 'AuthorizationPolicy'];

/** Objects with a real kind and random, often ill-typed, content where rules look. */
const k8sShaped = fc
  .record({
    kind: fc.constantFrom(...KINDS),
    apiVersion: fc.constantFrom('v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'security.istio.io/v1'),
    metadata: fc.oneof(tree, fc.record({ name: scalar, namespace: scalar, labels: tree, annotations: tree })),
    spec: fc.oneof(
      tree,
      fc.record({ containers: tree, securityContext: tree, volumes: tree, hostNetwork: scalar }),
      fc.record({ template: fc.record({ metadata: tree, spec: fc.record({ containers: fc.array(fc.record({ name: scalar, image: scalar, securityContext: tree, env: tree, ports: tree })), securityContext: tree }) }) }),
      fc.record({ jobTemplate: fc.record({ spec: fc.record({ template: fc.record({ spec: fc.record({ containers: tree, initContainers: tree }) }) }) }) }),
    ),
    rules: tree,
    data: tree,
    subjects: tree,
  }, { requiredKeys: ['kind', 'apiVersion'] });

/** Random YAML text: random trees and Kubernetes-shaped objects, 1 to 3 documents, random styles. */
export const randomYaml: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.oneof(k8sShaped, tree), { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { minLength: 16, maxLength: 16 }))
  .map(([values, bits]) => values.map((v, i) => render(v, bits, i)).join('---\n'));

// ---------------------------------------------------------------------------------------
// Generated manifests: valid Kubernetes objects with the settings rules look at, rendered in
// random but valid styles (flow or block, indentation, comments, anchors, CRLF).

// `null` values are rendered, in most files, as a key with no value and a comment (`render`).
const securityContext = fc.record(
  {
    privileged: fc.constantFrom(true, false, null),
    runAsNonRoot: fc.constantFrom(true, false, null),
    runAsUser: fc.constantFrom(0, 1000, 10001),
    allowPrivilegeEscalation: fc.constantFrom(true, false, null),
    readOnlyRootFilesystem: fc.constantFrom(true, false, null),
    capabilities: fc.oneof(
      { weight: 3, arbitrary: fc.record({ drop: fc.subarray(['ALL', 'all', 'NET_RAW', 'CAP_ALL']), add: fc.subarray(['NET_ADMIN', 'SYS_ADMIN', 'NET_BIND_SERVICE', 'CHOWN', 'NET_RAW']) }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: fc.constant(null) },
    ),
    seccompProfile: fc.oneof({ weight: 3, arbitrary: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined', 'Localhost') }) }, { weight: 1, arbitrary: fc.constant(null) }),
  },
  { requiredKeys: [] },
);

const container = fc.record(
  {
    name: fc.constantFrom('app', 'sidecar', 'init', 'web-1', 'x'),
    image: fc.constantFrom('nginx', 'nginx:latest', 'nginx:1.27', 'registry.example.com/app@sha256:' + 'a'.repeat(64), 'busybox:1.36'),
    ports: fc.array(fc.record({ containerPort: fc.constantFrom(80, 8080, 443), hostPort: fc.constantFrom(80, 8080) }, { requiredKeys: ['containerPort'] }), { maxLength: 2 }),
    env: fc.array(fc.record({ name: fc.constantFrom('DB_PASSWORD', 'API_TOKEN', 'LOG_LEVEL', 'AWS_SECRET_ACCESS_KEY'), value: fc.constantFrom('debug', 'hunter2hunter2', 'changeme', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY') }), { maxLength: 2 }),
    resources: fc.record({ limits: fc.record({ cpu: fc.constant('500m'), memory: fc.constant('128Mi') }, { requiredKeys: [] }) }, { requiredKeys: [] }),
    securityContext: fc.oneof(securityContext, fc.constant({}), fc.constant(null)),
  },
  { requiredKeys: ['name', 'image'] },
);

const podSpec = fc.record(
  {
    hostNetwork: fc.boolean(),
    hostPID: fc.boolean(),
    hostIPC: fc.boolean(),
    hostUsers: fc.boolean(),
    securityContext: fc.oneof(fc.record({ runAsNonRoot: fc.boolean(), runAsUser: fc.constantFrom(0, 1000), seccompProfile: fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined') }) }, { requiredKeys: [] }), fc.constant({}), fc.constant(null)),
    os: fc.record({ name: fc.constantFrom('linux', 'windows') }),
    serviceAccountName: fc.constantFrom('default', 'builder'),
    automountServiceAccountToken: fc.boolean(),
    initContainers: fc.array(container, { maxLength: 1 }),
    containers: fc.array(container, { minLength: 1, maxLength: 3 }),
    volumes: fc.array(fc.oneof(
      fc.record({ name: fc.constant('host'), hostPath: fc.record({ path: fc.constantFrom('/', '/var/run/docker.sock', '/data', '/etc') }) }),
      fc.record({ name: fc.constant('tmp'), emptyDir: fc.constant({}) }),
    ), { maxLength: 2 }),
  },
  { requiredKeys: ['containers'] },
);

const WORKLOADS: Record<string, (spec: object, meta: object) => object> = {
  Pod: (spec, meta) => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta, spec }),
  Deployment: (spec, meta) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec } } }),
  StatefulSet: (spec, meta) => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta, spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec } } }),
  DaemonSet: (spec, meta) => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec } } }),
  Job: (spec, meta) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: meta, spec: { template: { spec } } }),
  CronJob: (spec, meta) => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: { spec } } } } }),
  PodTemplate: (spec, meta) => ({ apiVersion: 'v1', kind: 'PodTemplate', metadata: meta, template: { spec } }),
};

const metadata = fc.record(
  {
    name: fc.constantFrom('web', 'api', 'db', 'worker'),
    namespace: fc.constantFrom('shop', 'default', 'kube-system'),
    labels: fc.constant({ app: 'web' }),
    annotations: fc.constantFrom({ team: 'payments' }, { 'kube-zero-trust.io/ignore': 'image-tag-mutable' }),
  },
  { requiredKeys: ['name'] },
);

const workload = fc.tuple(fc.constantFrom(...Object.keys(WORKLOADS)), podSpec, metadata, fc.boolean()).map(([kind, spec, meta, share]) => {
  // Shared objects become an anchor and aliases when rendered.
  if (share && spec.containers.length > 1 && spec.containers[0].securityContext) spec.containers[1].securityContext = spec.containers[0].securityContext;
  return WORKLOADS[kind](spec, meta);
});

const otherObject = fc.oneof(
  fc.constant({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } } }),
  fc.constant({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { color: 'blue', password: 'hunter2hunter2' } }),
  fc.constant({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { token: 'ghp_' + 'x'.repeat(36) } }),
  fc.constant({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'all' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] }),
  fc.constant({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'open', namespace: 'shop' }, spec: { podSelector: {}, ingress: [{}] } }),
  fc.constant({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' }, spec: { rules: [{ host: 'shop.example.com' }] } }),
);

export interface StyleChoices {
  bits: number[];
}

/** Renders one value as YAML in a style chosen by `bits` (flow or block collections, comments, indentation, quotes). */
export function render(value: unknown, bits: readonly number[], salt = 0): string {
  let i = salt;
  const next = (n: number) => (bits[i++ % bits.length] + i * 7919) % n;
  const doc = new Document(value, { aliasDuplicateObjects: true });
  const flowChance = next(4); // 0: never flow, else 1 in (8 - 2·chance)
  const commentChance = next(3);
  let comment = 0;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key as { commentBefore?: string } | null;
      if (commentChance && key && next(6 - commentChance) === 0) key.commentBefore = ` note ${salt}.${comment++}: keep me`;
    },
    Scalar(key, node) {
      // On values only: yaml prints a key's trailing comment before an empty flow value, which is invalid.
      if (key !== 'key' && commentChance && next(8 - commentChance) === 0) node.comment = ` trailing ${salt}.${comment++}`;
    },
    Map(_, node) {
      if (flowChance && next(8 - 2 * flowChance) === 0) node.flow = true;
    },
    Seq(_, node) {
      if (flowChance && next(8 - 2 * flowChance) === 0) node.flow = true;
    },
  });
  if (isCollection(doc.contents) && next(4) === 0) doc.commentBefore = ` document ${salt}`;
  const text = doc.toString({
    indent: [2, 2, 4, 3][next(4)],
    indentSeq: next(2) === 0,
    defaultStringType: (['PLAIN', 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'] as const)[next(4)],
    defaultKeyType: 'PLAIN',
    lineWidth: 0,
  });
  return next(3) === 0 ? text : emptyValuesWithComments(text, salt);
}

/**
 * A key with no value and a trailing comment, `securityContext: # why` (the parser gives it an
 * empty null scalar carrying the comment), written as people leave a key to fill in later: each
 * entry of a block map whose value is a plain `null` on the key's line becomes one, keeping its
 * comment or getting a new one. Same data (an empty value is null). Fixes that fill such a key
 * in must keep the comment (fix-checks.ts). Flow maps are left alone.
 */
export function emptyValuesWithComments(text: string, salt = 0): string {
  const doc = parseDocument(text);
  if (doc.errors.length) return text;
  const nulls: Array<[number, number]> = [];
  visit(doc, {
    Pair(_, pair, path) {
      const parent = path[path.length - 1];
      const value = pair.value;
      if (!isMap(parent) || parent.flow || !isScalar(value) || value.value !== null || !value.range) return;
      const [start, end] = value.range;
      const lineEnd = text.indexOf('\n', start);
      const keyEnd = (pair.key as { range?: [number, number, number] } | null)?.range?.[1];
      // A plain null written on the key's line (not `key:⏎  null`, not an empty value already).
      if (keyEnd === undefined || !/^(null|~)$/.test(text.slice(start, end)) || /[\r\n]/.test(text.slice(keyEnd, start))) return;
      if (/^[ \t]*(#.*)?$/.test(text.slice(end, lineEnd < 0 ? text.length : lineEnd))) nulls.push([start, end]);
    },
  });
  let out = text;
  let n = 0;
  for (const [start, end] of nulls.reverse()) {
    const lineEnd = out.indexOf('\n', start) < 0 ? out.length : out.indexOf('\n', start);
    const comment = out.slice(end, lineEnd).trim() || `# empty ${salt}.${n++}: keep me`;
    out = `${out.slice(0, start)}${comment}${out.slice(lineEnd)}`;
  }
  return out;
}

export interface Generated {
  text: string;
  crlf: boolean;
}

/** A valid multi-document manifest file of workloads and other objects, in random styles. */
export const generatedManifest: fc.Arbitrary<Generated> = fc
  .tuple(fc.array(fc.oneof({ weight: 4, arbitrary: workload }, { weight: 1, arbitrary: otherObject }), { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { minLength: 32, maxLength: 32 }), fc.boolean(), fc.boolean())
  .map(([objects, bits, crlf, leadingMarker]) => {
    const text = (leadingMarker ? '---\n' : '') + objects.map((o, i) => render(o, bits, i)).join('---\n');
    return { text: crlf ? text.replace(/\n/g, '\r\n') : text, crlf };
  });

// ---------------------------------------------------------------------------------------
// Comments of a YAML text, from the CST (so `#` inside strings and block scalars is not one).

export interface Comment {
  offset: number;
  source: string;
  /** Only blanks before it on its line. */
  fullLine: boolean;
}

export function commentsOf(text: string): Comment[] {
  const out: Comment[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const token = value as { type?: string; offset?: number; source?: string };
      if (token.type === 'comment' && typeof token.offset === 'number' && typeof token.source === 'string') {
        const lineStart = Math.max(text.lastIndexOf('\n', token.offset - 1), text.lastIndexOf('\r', token.offset - 1)) + 1;
        out.push({ offset: token.offset, source: token.source, fullLine: text.slice(lineStart, token.offset).trim() === '' });
        return;
      }
      for (const child of Object.values(value)) if (child && typeof child === 'object') walk(child);
    }
  };
  for (const token of new Parser().parse(text)) walk(token);
  return out.sort((a, b) => a.offset - b.offset);
}
