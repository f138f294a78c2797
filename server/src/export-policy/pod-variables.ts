import type { AdmissionValidation } from '../engine/rule';
import { BUILT_IN_POD_TEMPLATES, type PodTemplateKind } from '../model/pod-templates';
import { apiResourceOf, type MatchedResource } from './api-resources';
import { celList, celString, celTemplate, valueOr } from './cel';

/**
 * The variables through which a `pod` admission check sees a pod spec, the same for a Pod and
 * for the pod template of every kind the model knows (model/pod-templates.ts: Kubernetes'
 * workloads, the custom resources it knows, the configuration's `podTemplates`), so a check
 * is written once and a bad Deployment or Rollout is refused when it is applied, not when its
 * pods fail. Every variable is a map or list even when the object leaves the field out: checks
 * need no `has()` for the levels these name.
 */
export interface PolicyVariable {
  name: string;
  expression: string;
}

/** A kind a `pod` check judges: its resource, and the path from the object to its pod template (empty: the object is the pod). */
export interface PodKind extends MatchedResource {
  path: readonly string[];
}

/** The kinds with a pod template of a configuration that a policy can judge, and the configured ones it cannot. */
export interface PodKinds {
  /** The configured kinds first: they win over the built-in ones for the same apiVersion and kind, as in the model. */
  kinds: PodKind[];
  /** Configured kinds whose plural resource is not known (no `resource`, and not a kind the export knows): left to the editor. */
  unknown: PodTemplateKind[];
}

/** The kinds with a pod template under the configuration's `podTemplates`, with their API resources. */
export function podKinds(configured: readonly PodTemplateKind[] = []): PodKinds {
  const kinds: PodKind[] = [];
  const unknown: PodTemplateKind[] = [];
  for (const entry of configured) {
    const [group, version] = entry.apiVersion.split('/');
    const known = apiResourceOf(group, entry.kind);
    const resource = entry.resource ?? known?.resource;
    if (resource) kinds.push({ group, version, kind: entry.kind, resource, path: entry.path ? entry.path.split('.') : [] });
    else unknown.push(entry);
  }
  for (const { kind, groups, path } of BUILT_IN_POD_TEMPLATES) {
    for (const group of groups) {
      // Groups the API server no longer serves (`extensions`) reach the policy as their successor's (matchPolicy Equivalent).
      const api = apiResourceOf(group, kind);
      if (api) kinds.push({ ...api, version: '*', path });
    }
  }
  return { kinds, unknown };
}

/**
 * CEL: the object is of this kind. The kind alone tells the kinds a policy matches apart,
 * except where two of them share it (a configured version of a built-in kind, two groups'
 * `Service`s): then the apiVersion says which, as in the model.
 */
function kindTest(kind: PodKind, kinds: readonly PodKind[]): string | undefined {
  if (kinds.filter((other) => other.kind === kind.kind).length === 1) return undefined;
  const apiVersion =
    kind.version !== '*'
      ? `object.apiVersion == ${celString(kind.group ? `${kind.group}/${kind.version}` : kind.version)}`
      : kind.group
        ? `object.apiVersion.startsWith(${celString(`${kind.group}/`)})`
        : 'object.apiVersion == "v1"';
  return `(object.kind == ${celString(kind.kind)} && ${apiVersion})`;
}

/** The pod (a Pod, or a template: a map with `metadata` and `spec`), `{}` when the object has none where its kind keeps it. */
function podExpression(kinds: readonly PodKind[]): string {
  const byPath = new Map<string, { path: readonly string[]; plain: string[]; qualified: string[] }>();
  for (const kind of kinds) {
    const entry = byPath.get(kind.path.join('.')) ?? { path: kind.path, plain: [], qualified: [] };
    const qualified = kindTest(kind, kinds);
    if (qualified) entry.qualified.push(qualified);
    else if (!entry.plain.includes(kind.kind)) entry.plain.push(kind.kind);
    byPath.set(kind.path.join('.'), entry);
  }
  return [...byPath.values()].reduceRight((otherwise, { path, plain, qualified }) => {
    const tests = [...(plain.length === 1 ? [`object.kind == ${celString(plain[0])}`] : plain.length ? [`object.kind in ${celList(plain)}`] : []), ...qualified];
    return `${tests.join(' || ')} ? (${valueOr('object', path, '{}')}) : ${otherwise}`;
  }, '{}');
}

/** One entry of `variables.allContainers`: the container, how messages name it, and its securityContext (`{}` when unset). */
function containerEntries(list: string, label: string): string {
  const name = `(has(c.name) ? string(c.name) : "")`;
  return `(has(variables.spec.${list}) ? variables.spec.${list}.map(c, {"label": ${celString(`${label} "`)} + ${name} + "\\"", "name": ${name}, "container": c, "sc": has(c.securityContext) ? c.securityContext : {}}) : [])`;
}

/**
 * The pod variables of a policy on `kinds`. `allContainers` lists every container; `containers`, what the
 * per-container checks judge, leaves out the containers a config exemption names (`container`
 * glob) where `exempt` (CEL of an entry `e`) is true: their container-level findings are exempt.
 */
export function podVariables(kinds: readonly PodKind[], exempt?: string): PolicyVariable[] {
  return [
    { name: 'pod', expression: podExpression(kinds) },
    { name: 'spec', expression: valueOr('variables.pod', ['spec'], '{}') },
    { name: 'podAnnotations', expression: valueOr('variables.pod', ['metadata', 'annotations'], '{}') },
    { name: 'podSecurityContext', expression: valueOr('variables.spec', ['securityContext'], '{}') },
    {
      name: 'allContainers',
      expression: [
        containerEntries('initContainers', 'Init container'),
        containerEntries('containers', 'Container'),
        containerEntries('ephemeralContainers', 'Ephemeral container'),
      ].join(' + '),
    },
    { name: 'containers', expression: exempt ? `variables.allContainers.filter(e, !(${exempt}))` : 'variables.allContainers' },
  ];
}

/**
 * A check on every container (findings with the container as their target): admitted when no
 * entry `e` of `variables.containers` makes
 * `violation` true; the message names the first container that does, like the diagnostic.
 * `message` is CEL evaluated with that entry as `e` (a string literal, or built from its fields).
 */
export function containerCheck(violation: string, message: string): AdmissionValidation {
  return containerDenial(violation, `e.label + ${message}`);
}

/**
 * A check on every container whose denial is one of the rule's `meta.messages`: `{{container}}`
 * is the entry's label, the other placeholders CEL strings of the entry `e` given in `data`.
 */
export function containerTemplateCheck(violation: string, template: string, data: Readonly<Record<string, string>> = {}): AdmissionValidation {
  return containerDenial(violation, celTemplate(template, { container: 'e.label', ...data }));
}

/** A check on every container whose denial is `message`, CEL of the first violating entry `e` giving the whole text. */
export function containerDenial(violation: string, message: string): AdmissionValidation {
  return {
    expression: `!variables.containers.exists(e, ${violation})`,
    messageExpression: `variables.containers.filter(e, ${violation}).map(e, ${message})[0]`,
  };
}

/** CEL of a container entry (`allContainers`): `privileged: true`, the model's isPrivileged. */
export function privilegedCel(entry: string): string {
  return `(has(${entry}.sc.privileged) && ${entry}.sc.privileged == true)`;
}

/** CEL tests of the pod that several checks share (the model's isWindowsPod, usesUserNamespace, onlyPrivilegedContainers). */
export const POD_CEL = {
  /** `spec.os.name: windows`: PSA exempts such pods from the Linux-only restricted controls. */
  isWindows: 'has(variables.spec.os) && has(variables.spec.os.name) && variables.spec.os.name == "windows"',
  /** `spec.hostUsers: false`: the pod runs in a user namespace. */
  usesUserNamespace: 'has(variables.spec.hostUsers) && variables.spec.hostUsers == false',
  /** `spec.hostNetwork: true`: every port of the pod is on the node. */
  hostNetwork: 'has(variables.spec.hostNetwork) && variables.spec.hostNetwork == true',
  /** Every container privileged: a pod-level setting they would inherit changes nothing (privileged-container reports them). */
  onlyPrivilegedContainers: `size(variables.allContainers) > 0 && variables.allContainers.all(p, ${privilegedCel('p')})`,
} as const;
